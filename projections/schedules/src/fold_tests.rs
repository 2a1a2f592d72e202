//! Given events, then rows: the fold's cases.

use chrono::{DateTime, NaiveDate, Utc};
use domain::*;
use uuid::Uuid;

use super::*;

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

#[test]
fn events_about_unknown_rows_change_nothing() {
    let rows = fold(&[
        (Event::TaskStarted(changed()), "2024-03-01"),
        (
            Event::ProjectRenamed(ProjectRenamed {
                project_id: ProjectId(P),
                name: "x".into(),
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id: ProjectId(P),
                milestone_id: MilestoneId(MS),
            }),
            "2024-03-01",
        ),
        (
            Event::MemberCapacityChanged(MemberCapacityChanged {
                member_id: MemberId(M),
                capacity_hours_per_week: 10.0,
            }),
            "2024-03-01",
        ),
    ]);
    assert_eq!(rows, Rows::default());
}

#[test]
fn projects_milestones_members_time_off_and_memberships() {
    let project = ProjectId(P);
    let rows = fold(&[
        (
            Event::ProjectCreated(ProjectCreated {
                project_id: project,
                name: "Apollo".into(),
                start_date: d("2024-03-04"),
                deadline: None,
            }),
            "2024-03-01",
        ),
        (
            Event::ProjectRenamed(ProjectRenamed {
                project_id: project,
                name: "Artemis".into(),
            }),
            "2024-03-01",
        ),
        (
            Event::ProjectStatusChanged(ProjectStatusChanged {
                project_id: project,
                status: ProjectStatus::OnHold,
                previous: ProjectStatus::Active,
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneAdded(MilestoneAdded {
                project_id: project,
                milestone_id: MilestoneId(MS),
                name: "Beta".into(),
                due_date: d("2024-04-01"),
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneMoved(MilestoneMoved {
                project_id: project,
                milestone_id: MilestoneId(MS),
                due_date: d("2024-04-08"),
            }),
            "2024-03-01",
        ),
        (
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id: project,
                milestone_id: MilestoneId(MS),
            }),
            "2024-03-01",
        ),
        (
            Event::MemberRegistered(MemberRegistered {
                member_id: MemberId(M),
                name: "Ada".into(),
                skills: vec![],
                capacity_hours_per_week: 40.0,
            }),
            "2024-03-01",
        ),
        (
            Event::MemberCapacityChanged(MemberCapacityChanged {
                member_id: MemberId(M),
                capacity_hours_per_week: 20.0,
            }),
            "2024-03-01",
        ),
        (
            Event::MemberTimeOffAdded(MemberTimeOffAdded {
                member_id: MemberId(M),
                from: d("2024-03-11"),
                to: d("2024-03-12"),
            }),
            "2024-03-01",
        ),
        (
            Event::MemberJoinedProject(MemberJoinedProject {
                project_id: project,
                member_id: MemberId(M),
                role: Some("dev".into()),
                capacity_hours_per_week: 40.0,
                skills: vec![],
            }),
            "2024-03-01",
        ),
        (
            Event::MemberLeftProject(MemberLeftProject {
                project_id: project,
                member_id: MemberId(M),
            }),
            "2024-03-02",
        ),
    ]);
    let p = &rows.projects[&P];
    assert_eq!(
        (p.name.as_str(), p.status.as_str(), p.start_date),
        ("Artemis", "on_hold", d("2024-03-04"))
    );
    let m = &rows.milestones[&(P, MS)];
    assert_eq!((m.due_date, m.completed), (d("2024-04-08"), true));
    assert_eq!(rows.members[&M].capacity_hours_per_week, 20.0);
    assert_eq!(
        rows.time_off,
        [(M, d("2024-03-11"), d("2024-03-12"))].into()
    );
    assert_eq!(rows.memberships, [((P, M), None)].into());
    assert_eq!(
        keys(&[
            Event::MilestoneMoved(MilestoneMoved {
                project_id: project,
                milestone_id: MilestoneId(MS),
                due_date: d("2024-04-08")
            }),
            created()
        ]),
        Keys {
            milestones: [MS].into(),
            tasks: [T].into(),
            ..Keys::default()
        }
    );
}
