//! The planner's dependency cases: order, members waiting on each other, unassigned work, cycles.

use super::*;

#[test]
fn a_dependency_is_done_before_what_waits_for_it_whatever_the_priority() {
    let mut urgent = task(1, Some(ALICE), 8.0, &[2]);
    urgent.priority = 1;
    let mut input = input(vec![urgent, task(2, Some(ALICE), 8.0, &[])]);
    input.tasks[1].priority = 4;
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 2),
        (t("2024-03-04 09:00"), t("2024-03-04 17:00"))
    );
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-05 09:00"), t("2024-03-05 17:00"))
    );
    assert!(plan.unscheduled.is_empty() && plan.cycles.is_empty());
}

#[test]
fn a_chain_across_two_members_waits_for_the_other_members_finish() {
    // Bob does 1 (12 h) then Alice does 2; meanwhile Alice does 3, which is ready.
    let input = input(vec![
        task(1, Some(BOB), 12.0, &[]),
        task(2, Some(ALICE), 8.0, &[1]),
        task(3, Some(ALICE), 2.0, &[]),
    ]);
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-04 09:00"), t("2024-03-05 13:00"))
    );
    assert_eq!(
        slot(&plan, 3),
        (t("2024-03-04 09:00"), t("2024-03-04 11:00"))
    );
    assert_eq!(
        slot(&plan, 2),
        (t("2024-03-05 13:00"), t("2024-03-06 13:00"))
    );
}

#[test]
fn a_dependency_of_a_member_not_planned_is_done_at_its_hours_on_their_calendar() {
    // Only Alice is queued: Bob's task starts at once however busy Bob may be, at Bob's pace.
    let mut input = input(vec![
        task(1, Some(BOB), 8.0, &[]),
        task(2, Some(ALICE), 4.0, &[1]),
    ]);
    input.queued = [ALICE].into();
    input.calendars.insert(BOB, Calendar::new(20.0, &[]));
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-04 09:00"), t("2024-03-05 13:00"))
    );
    assert_eq!(
        slot(&plan, 2),
        (t("2024-03-05 13:00"), t("2024-03-05 17:00"))
    );
}

#[test]
fn a_member_waiting_on_a_dependency_picks_the_next_ready_task() {
    let mut first = task(1, Some(ALICE), 4.0, &[9]);
    first.priority = 1;
    let input = input(vec![
        first,
        task(2, Some(ALICE), 2.0, &[]),
        task(9, Some(BOB), 6.0, &[]),
    ]);
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 2),
        (t("2024-03-04 09:00"), t("2024-03-04 11:00"))
    );
    assert_eq!(
        slot(&plan, 9),
        (t("2024-03-04 09:00"), t("2024-03-04 15:00"))
    );
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-04 15:00"), t("2024-03-05 11:00"))
    );
}

#[test]
fn unassigned_tasks_are_done_on_the_standard_calendar_without_waiting() {
    let input = input(vec![
        task(1, None, 16.0, &[]),
        task(2, None, 4.0, &[]),
        task(3, Some(ALICE), 8.0, &[1]),
    ]);
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-04 09:00"), t("2024-03-05 17:00"))
    );
    assert_eq!(
        slot(&plan, 2),
        (t("2024-03-04 09:00"), t("2024-03-04 13:00"))
    );
    assert_eq!(
        slot(&plan, 3),
        (t("2024-03-06 09:00"), t("2024-03-06 17:00"))
    );
}

#[test]
fn a_cycle_is_reported_and_left_unscheduled_with_what_waits_on_it() {
    let input = input(vec![
        task(1, Some(ALICE), 8.0, &[2]),
        task(2, Some(ALICE), 8.0, &[1]),
        task(3, Some(BOB), 8.0, &[1]),
        task(4, Some(ALICE), 8.0, &[]),
        task(5, None, 1.0, &[5]),
    ]);
    let plan = plan(&input);
    assert_eq!(plan.cycles, vec![vec![id(1), id(2)], vec![id(5)]]);
    assert_eq!(plan.unscheduled.get(&id(1)), Some(&Unscheduled::InCycle));
    assert_eq!(plan.unscheduled.get(&id(5)), Some(&Unscheduled::InCycle));
    assert_eq!(
        plan.unscheduled.get(&id(3)),
        Some(&Unscheduled::WaitsOnUnscheduled)
    );
    assert_eq!(
        slot(&plan, 4),
        (t("2024-03-04 09:00"), t("2024-03-04 17:00"))
    );
    assert_eq!(plan.slots.len(), 1);
}

#[test]
fn work_that_cannot_be_planned_is_reported_and_holds_back_its_dependents() {
    let mut input = input(vec![
        task(1, Some(ALICE), 8.0, &[]),
        task(2, Some(BOB), 8.0, &[1]),
        task(3, Some(BOB), 10_000.0, &[]),
    ]);
    input.calendars.insert(ALICE, Calendar::new(0.0, &[]));
    input.calendars.insert(BOB, Calendar::new(1.0, &[]));
    let plan = plan(&input);
    assert_eq!(plan.unscheduled.get(&id(1)), Some(&Unscheduled::NoCapacity));
    assert_eq!(
        plan.unscheduled.get(&id(2)),
        Some(&Unscheduled::WaitsOnUnscheduled)
    );
    // 10,000 hours at 12 minutes a day is far beyond the horizon.
    assert_eq!(
        plan.unscheduled.get(&id(3)),
        Some(&Unscheduled::BeyondHorizon)
    );
}

#[test]
fn the_critical_path_of_a_diamond_is_its_longer_side() {
    // 1 -> {2, 3} -> 4, with 3 longer than 2.
    let tasks = vec![
        task(1, None, 4.0, &[]),
        task(2, None, 2.0, &[1]),
        task(3, None, 10.0, &[1]),
        task(4, None, 1.0, &[2, 3]),
    ];
    assert_eq!(
        critical_path(&tasks, |_| true),
        (vec![id(1), id(3), id(4)], 15.0)
    );
    // Tasks in a cycle are not on it.
    let mut cyclic = tasks.clone();
    cyclic.push(task(5, None, 100.0, &[6]));
    cyclic.push(task(6, None, 100.0, &[5]));
    assert_eq!(
        critical_path(&cyclic, |_| true).0,
        vec![id(1), id(3), id(4)]
    );
}
