//! The planner's cases: given tasks and calendars, then planned starts and finishes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::*;

const ALICE: Uuid = Uuid::from_u128(0xa);
const BOB: Uuid = Uuid::from_u128(0xb);
const PROJECT: Uuid = Uuid::from_u128(0x100);

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M")
        .unwrap()
        .and_utc()
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

/// A task created in order `n`, priority 2, no due date.
fn task(n: u128, assignee: Option<Uuid>, hours: f64, depends_on: &[u128]) -> PlanTask {
    PlanTask {
        id: id(n),
        project_id: PROJECT,
        assignee,
        hours,
        priority: 2,
        due_date: None,
        created_at: t("2024-01-01 00:00"),
        created_position: n as i64,
        depends_on: depends_on.iter().map(|&d| id(d)).collect(),
    }
}

/// Monday 2024-03-04; Alice and Bob full time; both queued.
fn input(tasks: Vec<PlanTask>) -> PlanInput {
    PlanInput {
        as_of: d("2024-03-04"),
        tasks,
        calendars: [
            (ALICE, Calendar::new(40.0, &[])),
            (BOB, Calendar::new(40.0, &[])),
        ]
        .into(),
        queued: [ALICE, BOB].into(),
        project_starts: [(PROJECT, d("2024-01-01"))].into(),
    }
}

fn slot(plan: &Plan, n: u128) -> (DateTime<Utc>, DateTime<Utc>) {
    let s = plan
        .slots
        .get(&id(n))
        .unwrap_or_else(|| panic!("task {n} has no slot: {plan:?}"));
    (s.start, s.finish)
}

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
fn one_task_at_a_time_by_priority_then_due_date_then_creation() {
    let mut tasks = vec![
        task(1, Some(ALICE), 4.0, &[]),
        task(2, Some(ALICE), 4.0, &[]),
        task(3, Some(ALICE), 4.0, &[]),
        task(4, Some(ALICE), 4.0, &[]),
    ];
    tasks[3].priority = 1;
    tasks[2].due_date = Some(t("2024-03-20 00:00"));
    let plan = plan(&input(tasks));
    assert_eq!(
        slot(&plan, 4),
        (t("2024-03-04 09:00"), t("2024-03-04 13:00"))
    );
    assert_eq!(
        slot(&plan, 3),
        (t("2024-03-04 13:00"), t("2024-03-04 17:00"))
    );
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-05 09:00"), t("2024-03-05 13:00"))
    );
    assert_eq!(
        slot(&plan, 2),
        (t("2024-03-05 13:00"), t("2024-03-05 17:00"))
    );
}

#[test]
fn a_40_hour_task_at_20_hours_a_week_takes_two_weeks() {
    let mut input = input(vec![task(1, Some(ALICE), 40.0, &[])]);
    input.calendars.insert(ALICE, Calendar::new(20.0, &[]));
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-04 09:00"), t("2024-03-15 13:00"))
    );
}

#[test]
fn weekends_are_skipped() {
    let mut input = input(vec![task(1, Some(ALICE), 12.0, &[])]);
    input.as_of = d("2024-03-08"); // a Friday
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-08 09:00"), t("2024-03-11 13:00"))
    );
    input.as_of = d("2024-03-09"); // a Saturday
    assert_eq!(slot(&super::plan(&input), 1).0, t("2024-03-11 09:00"));
}

#[test]
fn time_off_is_skipped() {
    let mut input = input(vec![task(1, Some(ALICE), 24.0, &[])]);
    input.calendars.insert(
        ALICE,
        Calendar::new(40.0, &[(d("2024-03-05"), d("2024-03-06"))]),
    );
    let plan = plan(&input);
    assert_eq!(
        slot(&plan, 1),
        (t("2024-03-04 09:00"), t("2024-03-08 17:00"))
    );
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
fn nothing_starts_before_the_project_starts() {
    let mut input = input(vec![task(1, Some(ALICE), 2.0, &[])]);
    input.project_starts.insert(PROJECT, d("2024-03-13"));
    assert_eq!(slot(&plan(&input), 1).0, t("2024-03-13 09:00"));
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
fn an_empty_project_plans_nothing() {
    let plan = plan(&input(vec![]));
    assert_eq!(plan, Plan::default());
    assert_eq!(critical_path(&[], |_| true), (vec![], 0.0));
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

#[test]
fn predicted_hours_win_else_the_estimate_less_the_logged_hours_at_least_half_an_hour() {
    assert_eq!(work_hours(10.0, 4.0, None), 6.0);
    assert_eq!(work_hours(10.0, 4.0, Some(12.0)), 12.0);
    assert_eq!(work_hours(10.0, 12.0, None), MIN_OPEN_TASK_HOURS);
    assert_eq!(work_hours(10.0, 0.0, Some(0.0)), MIN_OPEN_TASK_HOURS);
    assert_eq!(
        work_hours(f64::NAN, 0.0, Some(f64::NAN)),
        MIN_OPEN_TASK_HOURS
    );
}

#[test]
fn many_tasks_plan_quickly_and_deterministically() {
    // A long chain through two members, plus independent work: the simulation is linear-ish.
    let mut tasks: Vec<PlanTask> = (1..=2_000u128)
        .map(|n| task(n, Some(if n % 2 == 0 { ALICE } else { BOB }), 1.0, &[]))
        .collect();
    for n in 2..=1_000usize {
        tasks[n - 1].depends_on = vec![id(n as u128 - 1)];
    }
    let input = input(tasks);
    let first = plan(&input);
    assert_eq!(first.slots.len(), 2_000);
    assert_eq!(first, plan(&input));
    for n in 2..=1_000u128 {
        assert!(
            slot(&first, n).0 >= slot(&first, n - 1).1,
            "task {n} starts before its dependency finishes"
        );
    }
}
