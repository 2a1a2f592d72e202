//! Given events, then rows: the fold's cases.

use chrono::{DateTime, NaiveDate, Utc};
use domain::*;
use uuid::Uuid;

use super::*;

mod projects;

const P: Uuid = Uuid::from_u128(0x100);
const M: Uuid = Uuid::from_u128(0x200);
const MS: Uuid = Uuid::from_u128(0x300);
const T: Uuid = Uuid::from_u128(1);
const DEP: Uuid = Uuid::from_u128(2);

fn at(s: &str) -> DateTime<Utc> {
    format!("{s}T10:00:00Z").parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn created() -> Event {
    Event::TaskCreated(TaskCreated {
        task_id: TaskId(T),
        project_id: ProjectId(P),
        title: "Write".into(),
        description: None,
        estimate_hours: 8.0,
        priority: 2,
        labels: vec![],
        skills: vec![],
        milestone_id: Some(MilestoneId(MS)),
        due_date: Some(at("2024-03-20")),
        depends_on: vec![TaskId(DEP), TaskId(T), TaskId(DEP)],
    })
}

fn changed() -> TaskChanged {
    TaskChanged {
        task_id: TaskId(T),
        project_id: ProjectId(P),
    }
}

fn because() -> TaskChangedBecause {
    TaskChangedBecause {
        task_id: TaskId(T),
        project_id: ProjectId(P),
        reason: None,
    }
}

fn fold(events: &[(Event, &str)]) -> Rows {
    let mut rows = Rows::default();
    for (position, (event, day)) in events.iter().enumerate() {
        rows.apply(event, at(day), position as i64 + 1);
    }
    rows
}

#[test]
fn a_created_task_is_todo_with_its_dependencies_sorted_without_itself() {
    let rows = fold(&[(created(), "2024-03-01")]);
    let task = &rows.tasks[&T];
    assert_eq!(task.status, TaskStatus::Todo);
    assert_eq!(task.depends_on, vec![DEP]);
    assert_eq!(
        (task.created_at, task.created_position),
        (at("2024-03-01"), 1)
    );
    assert_eq!(task.milestone_id, Some(MS));
    assert_eq!(rows.changed.tasks, [T].into());
}

#[test]
fn the_state_machine_moves_the_status_and_stamps_business_times() {
    let rows = fold(&[
        (created(), "2024-03-01"),
        (Event::TaskStarted(changed()), "2024-03-02"),
        (Event::TaskBlocked(because()), "2024-03-03"),
        (Event::TaskUnblocked(changed()), "2024-03-04"),
        (Event::TaskCompleted(changed()), "2024-03-05"),
    ]);
    let task = &rows.tasks[&T];
    assert_eq!(task.status, TaskStatus::Done);
    assert_eq!(
        (task.started_at, task.completed_at),
        (Some(at("2024-03-02")), Some(at("2024-03-05")))
    );
    let rows = fold(&[
        (created(), "2024-03-01"),
        (Event::TaskBlocked(because()), "2024-03-02"),
        (Event::TaskUnblocked(changed()), "2024-03-03"),
    ]);
    // Unblocked back to where it was blocked from.
    assert_eq!(
        (rows.tasks[&T].status, rows.tasks[&T].blocked_from),
        (TaskStatus::Todo, None)
    );
}

#[test]
fn reopening_clears_the_completion_and_keeps_the_first_start() {
    let rows = fold(&[
        (created(), "2024-03-01"),
        (Event::TaskStarted(changed()), "2024-03-02"),
        (Event::TaskCompleted(changed()), "2024-03-03"),
        (Event::TaskReopened(because()), "2024-03-04"),
        (Event::TaskStarted(changed()), "2024-03-05"),
    ]);
    let task = &rows.tasks[&T];
    assert_eq!(
        (task.status, task.started_at, task.completed_at),
        (TaskStatus::InProgress, Some(at("2024-03-02")), None)
    );
}

#[test]
fn work_estimates_assignees_due_dates_and_dependencies_change_the_task() {
    let member = MemberId(M);
    let rows = fold(&[
        (created(), "2024-03-01"),
        (
            Event::TaskAssigned(TaskAssigned {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                member_id: member,
            }),
            "2024-03-01",
        ),
        (
            Event::TaskWorkLogged(TaskWorkLogged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                hours: 1.5,
                member_id: None,
            }),
            "2024-03-02",
        ),
        (
            Event::TaskWorkLogged(TaskWorkLogged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                hours: 2.0,
                member_id: None,
            }),
            "2024-03-02",
        ),
        (
            Event::TaskEstimateChanged(TaskEstimateChanged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                estimate_hours: 12.0,
            }),
            "2024-03-02",
        ),
        (
            Event::TaskDueDateChanged(TaskDueDateChanged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                due_date: at("2024-04-01"),
            }),
            "2024-03-02",
        ),
        (
            Event::TaskDependencyRemoved(TaskDependencyChanged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                depends_on: TaskId(DEP),
            }),
            "2024-03-03",
        ),
        (
            Event::TaskDependencyAdded(TaskDependencyChanged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                depends_on: TaskId(Uuid::from_u128(9)),
            }),
            "2024-03-03",
        ),
        (
            Event::TaskDependencyAdded(TaskDependencyChanged {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                depends_on: TaskId(Uuid::from_u128(3)),
            }),
            "2024-03-03",
        ),
    ]);
    let task = &rows.tasks[&T];
    assert_eq!(task.assignee, Some(M));
    assert_eq!((task.logged_hours, task.estimate_hours), (3.5, 12.0));
    assert_eq!(task.due_date, Some(at("2024-04-01")));
    assert_eq!(
        task.depends_on,
        vec![Uuid::from_u128(3), Uuid::from_u128(9)]
    );
    let rows = fold(&[
        (created(), "2024-03-01"),
        (
            Event::TaskUnassigned(TaskUnassigned {
                task_id: TaskId(T),
                project_id: ProjectId(P),
                member_id: member,
            }),
            "2024-03-02",
        ),
    ]);
    assert_eq!(rows.tasks[&T].assignee, None);
}
