//! Assignee features: skill match and workload, for the assignee and a supposed one.

use domain::Move;

use crate::testing::*;

#[test]
fn skill_match_is_the_share_of_skills_the_assignee_has() {
    let mut world = World::new();
    let skills = vec!["rust".into(), "SQL".into(), "go".into()];
    world.create(
        0.0,
        1,
        NewTask {
            skills,
            ..NewTask::default()
        },
    );
    world.create(0.0, 2, NewTask::default());

    let unassigned = world.row(1, 1.0);
    assert_eq!(
        (unassigned.has_assignee, unassigned.skill_match),
        (0.0, 0.0)
    );
    assert_eq!(world.row(2, 1.0).skill_match, 1.0, "no skills asked");

    assert_close(world.row_for(1, 1, 1.0).skill_match, 2.0 / 3.0);
    assert_eq!(world.row_for(1, 2, 1.0).skill_match, 0.0);
    world.assign(1.0, 1, 1);
    let assigned = world.row(1, 1.0);
    assert_eq!(assigned.has_assignee, 1.0);
    assert_close(assigned.skill_match, 2.0 / 3.0);
    assert_eq!(world.row_for(1, 2, 1.0).has_assignee, 1.0);
}

#[test]
fn the_skill_gap_is_what_runs_lacking_a_skill_overran_more_for_an_assignee_lacking_one() {
    let mut world = World::new();
    let rust = || NewTask {
        estimate_hours: 3.0,
        skills: vec!["rust".into()],
        ..NewTask::default()
    };
    for n in 1..=3 {
        world.create(0.0, n, rust());
    }
    // Member 1 has rust: 3 working hours (09:00 to 12:00 on a Monday), as estimated.
    world.assign(0.0, 1, 1);
    world.step(0.0, 1, Move::Start);
    world.step(3.0, 1, Move::Complete);
    // Member 2 lacks it: 7 working hours, ln((7 + 1) / (3 + 1)) = ln 2.
    world.assign(0.0, 2, 2);
    world.step(0.0, 2, Move::Start);
    world.step(7.0, 2, Move::Complete);
    // Global mean ln 2 / 3; lacking (ln 2 + 3 × global) / 4, full (0 + 3 × global) / 4.
    let gap = 2f64.ln() / 4.0;
    assert_close(world.row_for(3, 2, 8.0).assignee_skill_gap_log_overrun, gap);
    assert_eq!(world.row_for(3, 1, 8.0).assignee_skill_gap_log_overrun, 0.0);
    assert_eq!(
        world.row(3, 8.0).assignee_skill_gap_log_overrun,
        0.0,
        "no assignee"
    );
}

#[test]
fn workload_counts_the_assignees_other_open_tasks_in_every_project() {
    let mut world = World::new();
    let other = project_id(2);
    world.apply(0.0, project_created(other));
    world.create(
        0.0,
        1,
        NewTask {
            estimate_hours: 8.0,
            ..NewTask::default()
        },
    );
    let new = NewTask {
        estimate_hours: 4.0,
        ..NewTask::default()
    };
    world.apply(0.0, task_created(task_id(2), other, new));
    world.create(
        0.0,
        3,
        NewTask {
            estimate_hours: 6.0,
            ..NewTask::default()
        },
    );
    world.assign(1.0, 1, 1);
    world.step(1.0, 1, Move::Start);
    let touched = world.apply(1.0, assigned(task_id(2), other, member_id(1)));
    assert_eq!(
        touched,
        vec![task_id(1), task_id(2)],
        "the member's open tasks"
    );

    let own = world.row(1, 2.0);
    assert_eq!(
        (own.assignee_open_tasks, own.assignee_in_progress_tasks),
        (1.0, 0.0)
    );
    assert_close(own.assignee_load_weeks, 4.0 / 40.0);
    assert_eq!(own.assignee_capacity_hours_per_week, 40.0);
    assert_eq!(
        world
            .state
            .task_features_for(task_id(1), member_id(1), at(2.0)),
        world.state.task_features(task_id(1), at(2.0)),
        "the assignee as such"
    );

    let supposed = world.row_for(3, 1, 2.0);
    assert_eq!(
        (
            supposed.assignee_open_tasks,
            supposed.assignee_in_progress_tasks
        ),
        (2.0, 1.0)
    );
    assert_close(supposed.assignee_load_weeks, 12.0 / 40.0);
    let nobody = world.row(3, 2.0);
    assert_eq!(
        (
            nobody.has_assignee,
            nobody.assignee_open_tasks,
            nobody.assignee_load_weeks
        ),
        (0.0, 0.0, 0.0)
    );
    assert_eq!(
        (
            nobody.assignee_capacity_hours_per_week,
            nobody.assignee_late_share
        ),
        (0.0, 0.25)
    );

    world.apply(3.0, estimate_changed(task_id(2), other, 10.0));
    world.step(4.0, 1, Move::Complete);
    let supposed = world.row_for(3, 1, 5.0);
    assert_eq!(
        (
            supposed.assignee_open_tasks,
            supposed.assignee_in_progress_tasks
        ),
        (1.0, 0.0)
    );
    assert_close(supposed.assignee_load_weeks, 10.0 / 40.0);

    world.apply(5.0, unassigned(task_id(2), other, member_id(1)));
    let member = world.state.member(member_id(1)).unwrap();
    assert!(member.open_tasks.is_empty());
    assert_eq!(
        (member.in_progress_tasks, member.open_estimate_hours()),
        (0, 0.0)
    );
    assert_eq!(
        world
            .state
            .task_features_for(task_id(3), member_id(9), at(5.0)),
        None
    );
}

#[test]
fn the_next_two_periods_of_time_off_are_the_runs_calendar() {
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
    let time_off = |from: u32, to: u32| {
        domain::Event::MemberTimeOffAdded(domain::MemberTimeOffAdded {
            member_id: member_id(1),
            from: day(from),
            to: day(to),
        })
    };
    let mut world = World::new();
    world.create(0.0, 1, NewTask::default());
    let none = world.row_for(1, 1, 1.0);
    assert_eq!(
        (none.time_off_1_in_days, none.time_off_1_days),
        (365.0, 0.0)
    );
    assert_eq!(
        (none.time_off_2_in_days, none.time_off_2_days),
        (365.0, 0.0)
    );
    // Announced out of order; one already over, two that touch (merged), one after them.
    for (from, to) in [(24, 25), (1, 2), (10, 12), (13, 14), (20, 20)] {
        world.apply(0.0, time_off(from, to));
    }
    // As of Monday 3 March: 10–14 March (7 days from now, 5 days), then 20 March.
    let row = world.row_for(1, 1, 1.0);
    assert_eq!((row.time_off_1_in_days, row.time_off_1_days), (7.0, 5.0));
    assert_eq!((row.time_off_2_in_days, row.time_off_2_days), (17.0, 1.0));
    // On 12 March the first has begun: three days of it are left.
    let row = world.row_for(1, 1, 9.0 * 24.0);
    assert_eq!((row.time_off_1_in_days, row.time_off_1_days), (0.0, 3.0));
    assert_eq!((row.time_off_2_in_days, row.time_off_2_days), (8.0, 1.0));
    // Somebody else's time off is not this member's.
    let other = world.row_for(1, 2, 1.0);
    assert_eq!(other.time_off_1_days, 0.0);
}
