//! Feature tests, one group at a time, on small worlds with hand-computed values: the task's own
//! features here, the assignee's and the histories' beside.

mod assignee;
mod history;

use domain::Move;

use crate::testing::*;
use crate::{FEATURE_NAMES, FeatureState};

fn p() -> domain::ProjectId {
    project_id(1)
}

#[test]
fn plan_features_come_from_the_task() {
    let mut world = World::new();
    world.create(
        0.0,
        1,
        NewTask {
            estimate_hours: 7.0,
            priority: 1,
            labels: vec!["API".into(), " api".into(), "ui".into()],
            skills: vec!["rust".into()],
            due_date: Some(at(48.0)),
            ..NewTask::default()
        },
    );
    let row = world.row(1, 12.0);
    assert_eq!(row.estimate_hours, 7.0);
    assert_close(row.log_estimate_hours, 8.0f64.ln());
    assert_eq!(row.priority, 1.0);
    assert_eq!(
        row.label_count, 2.0,
        "labels are trimmed, lower-cased, deduplicated"
    );
    assert_eq!(row.skill_count, 1.0);
    assert_eq!((row.has_due_date, row.days_to_due), (1.0, 1.5));
    assert_eq!(
        (
            row.reopen_count,
            row.due_date_change_count,
            row.estimate_change_count
        ),
        (0.0, 0.0, 0.0)
    );

    world.apply(13.0, estimate_changed(task_id(1), p(), 3.0));
    world.apply(
        14.0,
        due_date_changed(task_id(1), p(), at(14.0 + 24.0 * 200.0)),
    );
    world.apply(
        15.0,
        due_date_changed(task_id(1), p(), at(14.0 - 24.0 * 200.0)),
    );
    world.assign(16.0, 1, 1);
    world.step(16.0, 1, Move::Start);
    world.step(17.0, 1, Move::Complete);
    world.step(18.0, 1, Move::Reopen);
    let row = world.row(1, 14.0);
    assert_eq!(row.estimate_hours, 3.0);
    assert_eq!(
        (
            row.reopen_count,
            row.due_date_change_count,
            row.estimate_change_count
        ),
        (1.0, 2.0, 1.0)
    );
    assert_eq!(row.days_to_due, -60.0, "clamped");

    world.create(0.0, 2, NewTask::default());
    let row = world.row(2, 0.0);
    assert_eq!((row.has_due_date, row.days_to_due), (0.0, 0.0));
}

#[test]
fn days_to_due_is_clamped_above() {
    let mut world = World::new();
    let due = Some(at(24.0 * 365.0));
    world.create(
        0.0,
        1,
        NewTask {
            due_date: due,
            ..NewTask::default()
        },
    );
    assert_eq!(world.row(1, 0.0).days_to_due, 120.0);
}

#[test]
fn dependency_counts_follow_statuses_and_edits() {
    let mut world = World::new();
    for n in 1..=3 {
        world.create(0.0, n, NewTask::default());
    }
    let depends_on = vec![task_id(1), task_id(2), task_id(3)];
    world.create(
        0.0,
        4,
        NewTask {
            depends_on,
            ..NewTask::default()
        },
    );
    world.create(
        0.0,
        5,
        NewTask {
            depends_on: vec![task_id(4)],
            ..NewTask::default()
        },
    );
    world.create(
        0.0,
        6,
        NewTask {
            depends_on: vec![task_id(4)],
            ..NewTask::default()
        },
    );

    let row = world.row(4, 1.0);
    assert_eq!(
        (
            row.open_dependencies,
            row.done_dependencies,
            row.open_dependents
        ),
        (3.0, 0.0, 2.0)
    );
    world.step(1.0, 1, Move::Start);
    world.step(2.0, 1, Move::Complete);
    world.step(2.0, 2, Move::Cancel);
    world.step(2.0, 6, Move::Cancel);
    let row = world.row(4, 3.0);
    assert_eq!(
        (
            row.open_dependencies,
            row.done_dependencies,
            row.open_dependents
        ),
        (1.0, 1.0, 1.0),
        "a cancelled task counts in neither"
    );

    world.apply(3.0, dependency_removed(task_id(4), p(), task_id(3)));
    world.apply(3.0, dependency_added(task_id(5), p(), task_id(3)));
    assert_eq!(world.row(4, 3.0).open_dependencies, 0.0);
    assert_eq!(world.row(3, 3.0).open_dependents, 1.0);
    assert_eq!(world.row(5, 3.0).open_dependencies, 2.0);

    world.step(4.0, 1, Move::Reopen);
    assert_eq!(world.row(4, 4.0).open_dependencies, 1.0);
}

#[test]
fn progress_features_are_measured_to_as_of() {
    let mut world = World::new();
    world.create(
        0.0,
        1,
        NewTask {
            estimate_hours: 4.0,
            ..NewTask::default()
        },
    );
    let row = world.row(1, 5.0);
    assert_eq!((row.hours_since_start, row.age_hours), (0.0, 5.0));

    world.step(10.0, 1, Move::Start);
    world.apply(11.0, work_logged(task_id(1), p(), 3.0));
    world.step(12.0, 1, Move::Block);
    let row = world.row(1, 16.0);
    assert_eq!((row.hours_since_start, row.is_blocked), (6.0, 1.0));
    assert_eq!((row.logged_hours, row.logged_over_estimate), (3.0, 0.75));
    assert_eq!(row.age_hours, 16.0);
    assert_eq!(
        row.project_cycle_p85_hours, 72.0,
        "the default without history"
    );
    assert_close(row.age_over_cycle_p85, 16.0 / 72.0);
    assert_close(row.run_over_cycle_p85, 6.0 / 72.0);

    world.step(17.0, 1, Move::Unblock);
    world.apply(17.0, work_logged(task_id(1), p(), 1000.0));
    let row = world.row(1, 17.0);
    assert_eq!((row.is_blocked, row.logged_over_estimate), (0.0, 100.0));
    world.step(18.0, 1, Move::Complete);
    world.step(19.0, 1, Move::Reopen);
    assert_eq!(
        world.row(1, 20.0).hours_since_start,
        0.0,
        "a reopened task starts over"
    );
}

#[test]
fn features_use_as_of_and_not_the_wall_clock() {
    let mut world = World::new();
    for n in 1..=5 {
        world.create(0.0, n, NewTask::default());
        world.step(1.0, n, Move::Start);
        world.step(2.0 * n as f64, n, Move::Complete);
    }
    let due = Some(at(24.0 * 30.0));
    world.create(
        10.0,
        6,
        NewTask {
            due_date: due,
            ..NewTask::default()
        },
    );
    world.step(20.0, 6, Move::Start);

    let early = world.row(6, 24.0);
    let later = world.row(6, 24.0 + 48.0);
    assert_eq!(later.hours_since_start - early.hours_since_start, 48.0);
    assert_eq!(later.age_hours - early.age_hours, 48.0);
    assert_eq!(early.days_to_due - later.days_to_due, 2.0);
    // Cycle times 1, 3, 5, 7, 9 hours: p85 is the fifth.
    assert_eq!(early.project_cycle_p85_hours, 9.0);
    assert_close(
        later.age_over_cycle_p85 - early.age_over_cycle_p85,
        48.0 / 9.0,
    );
    assert_close(
        later.run_over_cycle_p85 - early.run_over_cycle_p85,
        48.0 / 9.0,
    );
    assert_eq!(early.project_throughput_per_week, 5.0 / 4.0);
    // 28 days after the last completion (hour 10) the window is empty.
    let month = world.row(6, 10.0 + 24.0 * 28.0);
    assert_eq!(month.project_throughput_per_week, 0.0);

    let time_based = [
        "days_to_due",
        "hours_since_start",
        "age_hours",
        "age_over_cycle_p85",
        "run_over_cycle_p85",
    ];
    let (a, b) = (early.to_features(), later.to_features());
    for (i, name) in FEATURE_NAMES.iter().enumerate() {
        if !time_based.contains(name) {
            assert_eq!(a.0[i], b.0[i], "{name} does not depend on as_of");
        }
    }
    assert_eq!(a, early.to_features(), "asking twice changes nothing");
}

#[test]
fn every_value_is_finite_even_for_odd_input() {
    let mut state = FeatureState::new();
    let new = NewTask {
        estimate_hours: f64::NAN,
        ..NewTask::default()
    };
    state.apply(&task_created(task_id(1), p(), new), at(0.0));
    state.apply(&assigned(task_id(1), p(), member_id(7)), at(0.0));
    state.apply(&work_logged(task_id(1), p(), f64::INFINITY), at(0.0));
    let features = state.task_features(task_id(1), at(-5.0)).unwrap();
    assert_eq!(features.0.len(), FEATURE_NAMES.len());
    assert!(features.0.iter().all(|v| v.is_finite()), "{features:?}");
    let member = state.member(member_id(7)).unwrap();
    assert!(
        !member.registered,
        "a member named before registration gets a placeholder"
    );
    assert_eq!(state.task_features(task_id(2), at(0.0)), None);
}

#[test]
fn read_access_for_the_prediction_worker() {
    let mut world = World::new();
    world.create(0.0, 1, NewTask::default());
    world.create(0.0, 2, NewTask::default());
    world.step(1.0, 2, Move::Cancel);
    let open: Vec<_> = world
        .state
        .open_tasks_of_project(p())
        .map(|t| t.id)
        .collect();
    assert_eq!(open, vec![task_id(1)]);
    assert_eq!(world.state.project_members(p()).count(), 2);
    let project = world.state.project(p()).unwrap();
    assert_eq!(project.name, "Billing");
    let task = world.state.task(task_id(1)).unwrap();
    assert_eq!((task.created_at, task.started_at), (at(0.0), None));
    assert_eq!(world.state.open_tasks_of_project(project_id(9)).count(), 0);
}
