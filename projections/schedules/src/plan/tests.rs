//! The planner's cases: given tasks and calendars, then planned starts and finishes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use super::*;

mod dependencies;

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
fn nothing_starts_before_the_project_starts() {
    let mut input = input(vec![task(1, Some(ALICE), 2.0, &[])]);
    input.project_starts.insert(PROJECT, d("2024-03-13"));
    assert_eq!(slot(&plan(&input), 1).0, t("2024-03-13 09:00"));
}

#[test]
fn an_empty_project_plans_nothing() {
    let plan = plan(&input(vec![]));
    assert_eq!(plan, Plan::default());
    assert_eq!(critical_path(&[], |_| true), (vec![], 0.0));
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
