//! Scope growth learned from completed projects, on hand-computed cases.

use chrono::TimeZone;
use domain::{ProjectCreated, TaskChanged, TaskChangedBecause, TaskCreated};
use uuid::Uuid;

use super::*;

/// Monday 3 March 2025, 00:00 UTC (the project's start date), plus `hours`.
fn at(hours: f64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 0, 0, 0).unwrap()
        + Duration::milliseconds((hours * 3_600_000.0) as i64)
}

fn day(days: f64) -> DateTime<Utc> {
    at(days * 24.0)
}

fn project(n: u128) -> ProjectId {
    ProjectId(Uuid::from_u128(0x1000 + n))
}

fn task(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(0x2000 + n))
}

fn created_project(p: ProjectId) -> Event {
    Event::ProjectCreated(ProjectCreated {
        project_id: p,
        name: "Billing".into(),
        start_date: at(0.0).date_naive(),
        deadline: None,
    })
}

fn created(p: ProjectId, t: TaskId) -> Event {
    Event::TaskCreated(TaskCreated {
        task_id: t,
        project_id: p,
        title: "work".into(),
        description: None,
        estimate_hours: 8.0,
        priority: 2,
        labels: vec![],
        skills: vec![],
        milestone_id: None,
        due_date: None,
        depends_on: vec![],
    })
}

fn completed(p: ProjectId, t: TaskId) -> Event {
    Event::TaskCompleted(TaskChanged {
        task_id: t,
        project_id: p,
    })
}

fn because(p: ProjectId, t: TaskId) -> TaskChangedBecause {
    TaskChangedBecause {
        task_id: t,
        project_id: p,
        reason: None,
    }
}

/// Project 1: tasks 1 and 2 at the start, task 3 on day 10; they close on days 3, 12 (after a
/// reopening) and 20. Project 2 keeps an open task; project 3 closes its only task on day 30.
fn history() -> ScopeHistory {
    let (p, open, late) = (project(1), project(2), project(3));
    let mut history = ScopeHistory::default();
    for (event, when) in [
        (created_project(p), day(0.0)),
        (created_project(open), day(0.0)),
        (created_project(late), day(0.0)),
        (created(p, task(1)), at(1.0)),
        (created(p, task(2)), at(1.0)),
        (created(open, task(4)), at(1.0)),
        (created(late, task(5)), at(1.0)),
        (completed(p, task(1)), day(3.0)),
        (completed(p, task(2)), day(5.0)),
        (Event::TaskReopened(because(p, task(2))), day(6.0)),
        (created(p, task(3)), day(10.0)),
        (completed(p, task(2)), day(12.0)),
        (Event::TaskCancelled(because(p, task(3))), day(20.0)),
        (completed(late, task(5)), day(30.0)),
    ] {
        history.observe(&event, when);
    }
    history
}

#[test]
fn the_ratio_is_the_tasks_added_later_per_task_open_at_each_week_of_age() {
    let growth = history().learn(day(25.0));
    assert_eq!(growth.by_age_week.len(), AGE_WEEKS);
    // Day 3.5: task 1 closed, task 2 open, task 3 still to come: 1 per open task.
    assert_eq!(growth.by_age_week[0], vec![1.0; QUANTILE_COUNT]);
    // Day 10.5: tasks 2 and 3 open, nothing to come. Day 17.5: task 3 open.
    assert_eq!(growth.by_age_week[1], vec![0.0; QUANTILE_COUNT]);
    assert_eq!(growth.by_age_week[2], vec![0.0; QUANTILE_COUNT]);
    // Day 24.5 is after the last close; project 2 is not complete, project 3 not before the cut.
    assert!(growth.by_age_week[3..].iter().all(Vec::is_empty));
    assert_eq!(growth.ratios_at(1.0), &[1.0; QUANTILE_COUNT]);
    assert_eq!(
        growth.ratios_at(-5.0),
        &[1.0; QUANTILE_COUNT],
        "before the start"
    );
    assert_eq!(growth.ratios_at(200.0), &[0.0; QUANTILE_COUNT]);
    assert!(growth.ratios_at(10.0 * 168.0).is_empty());
}

#[test]
fn a_project_counts_once_its_last_task_closed_before_the_cut() {
    let growth = history().learn(day(19.0));
    assert!(growth.by_age_week.iter().all(Vec::is_empty));
    // Project 3 joins: its one task is open from day 0 to 30, nothing comes later.
    let growth = history().learn(day(31.0));
    let week = &growth.by_age_week[0];
    assert_eq!((week[0], week[50], week[100]), (0.0, 0.5, 1.0), "{week:?}");
    assert_eq!(growth.by_age_week[3], vec![0.0; QUANTILE_COUNT]);
    assert!(growth.by_age_week[4..].iter().all(Vec::is_empty));
    assert!(ScopeGrowth::default().ratios_at(0.0).is_empty());
}

#[test]
fn age_counts_from_the_start_date() {
    let start = at(0.0).date_naive();
    assert_eq!(project_start(start), at(0.0));
    assert!((age_hours(start, day(2.0)) - 48.0).abs() < 1e-9);
}
