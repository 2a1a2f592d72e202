//! History features: overruns, late shares, cycle times, and what `apply` reports.

use domain::Move;

use crate::testing::*;

fn p() -> domain::ProjectId {
    project_id(1)
}

#[test]
fn history_features_shrink_toward_their_priors() {
    let mut world = World::new();
    let labels = |l: &[&str]| l.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    world.create(
        0.0,
        1,
        NewTask {
            due_date: Some(at(24.0)),
            ..NewTask::default()
        },
    );
    let new = NewTask {
        estimate_hours: 3.0,
        labels: labels(&["API"]),
        due_date: Some(at(100.0)),
        ..NewTask::default()
    };
    world.create(0.0, 2, new);
    let new = NewTask {
        labels: labels(&["api", "ui"]),
        ..NewTask::default()
    };
    world.create(45.0, 3, new);
    let fresh = world.row_for(3, 1, 45.0);
    assert_eq!(
        (fresh.assignee_late_share, fresh.assignee_log_overrun),
        (0.25, 0.0)
    );
    assert_eq!(
        (fresh.label_log_overrun, fresh.project_log_overrun),
        (0.0, 0.0)
    );

    // Task 1: 8 hours estimated, 31 elapsed but 17 working (Monday from 09:00, Tuesday until
    // 16:00), late. Task 2: 3 estimated, 3 working on Wednesday morning, on time.
    world.assign(0.0, 1, 1);
    world.step(0.0, 1, Move::Start);
    world.step(31.0, 1, Move::Complete);
    world.assign(47.0, 2, 1);
    world.step(47.0, 2, Move::Start);
    world.step(50.0, 2, Move::Complete);

    let overrun = (18.0f64 / 9.0).ln();
    let global = overrun / 3.0;
    assert_close(world.state.global_log_overrun(), global);
    let row = world.row_for(3, 1, 50.0);
    assert_eq!(row.assignee_completed_count, 2.0);
    assert_close(row.assignee_late_share, 2.0 / 6.0);
    assert_close(row.assignee_log_overrun, (overrun + 3.0 * global) / 5.0);
    assert_close(row.label_log_overrun, (3.0 * global / 4.0 + global) / 2.0);
    assert_close(row.project_log_overrun, (overrun + 3.0 * global) / 5.0);
    assert_eq!(row.project_throughput_per_week, 0.5);
    assert_eq!(
        row.project_cycle_p85_hours, 72.0,
        "two cycle times are not enough"
    );

    let other = world.row_for(3, 2, 50.0);
    assert_eq!(
        (other.assignee_completed_count, other.assignee_late_share),
        (0.0, 0.25)
    );
    assert_close(other.assignee_log_overrun, global);
}

#[test]
fn cycle_p85_falls_back_to_the_whole_log_then_to_the_default() {
    let mut world = World::new();
    let other = project_id(2);
    world.apply(0.0, project_created(other));
    world.apply(0.0, task_created(task_id(100), other, NewTask::default()));
    for n in 1..=4 {
        world.create(0.0, n, NewTask::default());
        world.step(0.0, n, Move::Start);
        world.step(10.0 * n as f64, n, Move::Complete);
    }
    assert_eq!(world.state.cycle_p85_hours(p()), 72.0);
    world.create(0.0, 5, NewTask::default());
    world.step(0.0, 5, Move::Start);
    world.step(50.0, 5, Move::Complete);
    assert_eq!(world.state.cycle_p85_hours(p()), 50.0);
    let row = world.state.task_row(task_id(100), at(50.0)).unwrap();
    assert_eq!(
        row.project_cycle_p85_hours, 50.0,
        "the whole log's for a new project"
    );
    assert_eq!(row.project_throughput_per_week, 0.0);
}

#[test]
fn apply_reports_the_tasks_whose_features_changed() {
    let mut world = World::new();
    world.create(0.0, 1, NewTask::default());
    world.create(
        0.0,
        2,
        NewTask {
            depends_on: vec![task_id(1)],
            ..NewTask::default()
        },
    );
    world.create(0.0, 3, NewTask::default());
    world.create(0.0, 4, NewTask::default());
    world.assign(0.0, 4, 2);
    assert_eq!(
        world.apply(1.0, work_logged(task_id(3), p(), 1.0)),
        vec![task_id(3)]
    );
    world.assign(1.0, 1, 1);
    // Starting changes the assignee's in-progress count, seen by the member's open tasks.
    assert_eq!(
        world.apply(1.0, moved(task_id(1), p(), Move::Start)),
        vec![task_id(1)]
    );
    world.assign(1.0, 3, 1);
    let touched = world.apply(2.0, moved(task_id(1), p(), Move::Complete));
    let all = vec![task_id(1), task_id(2), task_id(3), task_id(4)];
    assert_eq!(
        touched, all,
        "dependents, the member's and the project's open tasks"
    );
    assert_eq!(
        world.apply(2.0, moved(task_id(1), p(), Move::Complete)),
        vec![],
        "no move"
    );
    let capacity = domain::Event::MemberCapacityChanged(domain::MemberCapacityChanged {
        member_id: member_id(2),
        capacity_hours_per_week: 10.0,
    });
    assert_eq!(world.apply(3.0, capacity), vec![task_id(4)]);
    assert_eq!(world.row(4, 3.0).assignee_capacity_hours_per_week, 10.0);
}
