//! Given events, then rows: the fold without a database.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use domain::{
    Event, MemberCapacityChanged, MemberId, MemberJoinedProject, MemberLeftProject,
    MemberRegistered, MilestoneAdded, MilestoneCompleted, MilestoneId, ProjectCreated, ProjectId,
    ProjectRenamed, ProjectStatus, ProjectStatusChanged, TaskAssigned, TaskChanged,
    TaskChangedBecause, TaskCreated, TaskDependencyChanged, TaskId, TaskStatus, TaskUnassigned,
    TaskWorkLogged,
};
use uuid::Uuid;

use super::Working;

const PROJECT: ProjectId = ProjectId(Uuid::from_u128(1));
const TASK: TaskId = TaskId(Uuid::from_u128(10));
const OTHER_TASK: TaskId = TaskId(Uuid::from_u128(11));
const MEMBER: MemberId = MemberId(Uuid::from_u128(20));

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn created(task: TaskId, depends_on: Vec<TaskId>) -> Event {
    Event::TaskCreated(TaskCreated {
        task_id: task,
        project_id: PROJECT,
        title: "Write the parser".into(),
        description: Some("by hand".into()),
        estimate_hours: 6.0,
        priority: 2,
        labels: vec!["backend".into()],
        skills: vec!["rust".into()],
        milestone_id: None,
        due_date: Some(day(20)),
        depends_on,
    })
}

fn ids(task: TaskId) -> TaskChanged {
    TaskChanged {
        task_id: task,
        project_id: PROJECT,
    }
}

fn because(task: TaskId) -> TaskChangedBecause {
    TaskChangedBecause {
        task_id: task,
        project_id: PROJECT,
        reason: None,
    }
}

/// Folds `events` one day apart from the 1st, at positions 1, 2, ...
fn fold(events: &[Event]) -> Working {
    let mut working = Working::default();
    for (i, event) in events.iter().enumerate() {
        working.apply(event, day(i as u32 + 1), i as i64 + 1);
    }
    working
}

#[test]
fn a_task_walks_the_state_machine_and_keeps_its_dates() {
    let w = fold(&[
        created(TASK, vec![]),
        Event::TaskAssigned(TaskAssigned {
            task_id: TASK,
            project_id: PROJECT,
            member_id: MEMBER,
        }),
        Event::TaskStarted(ids(TASK)),
        Event::TaskBlocked(because(TASK)),
        Event::TaskUnblocked(ids(TASK)),
        Event::TaskCompleted(ids(TASK)),
        Event::TaskReopened(because(TASK)),
        Event::TaskStarted(ids(TASK)),
    ]);
    let t = &w.tasks[&TASK.0];
    assert_eq!(t.status, TaskStatus::InProgress);
    assert_eq!(t.assignee, Some(MEMBER.0));
    assert_eq!(t.created_at, day(1));
    assert_eq!(t.started_at, Some(day(3)), "the first start stays");
    assert_eq!(t.completed_at, None, "reopening clears the completion");
    assert_eq!(t.reopen_count, 1);
    assert_eq!(t.updated_at, day(8));
    assert_eq!(t.last_position, 8);
    assert!(w.changed_tasks.contains(&TASK.0));
}

#[test]
fn unblocking_returns_to_the_status_the_task_was_blocked_in() {
    let w = fold(&[created(TASK, vec![]), Event::TaskBlocked(because(TASK))]);
    assert_eq!(w.tasks[&TASK.0].status, TaskStatus::Blocked);
    assert_eq!(w.tasks[&TASK.0].blocked_from, Some(TaskStatus::Todo));
    let w = fold(&[
        created(TASK, vec![]),
        Event::TaskBlocked(because(TASK)),
        Event::TaskUnblocked(ids(TASK)),
    ]);
    assert_eq!(w.tasks[&TASK.0].status, TaskStatus::Todo);
    assert_eq!(w.tasks[&TASK.0].blocked_from, None);
    assert_eq!(w.tasks[&TASK.0].started_at, None);
}

#[test]
fn completion_sets_completed_at_and_cancel_closes() {
    let w = fold(&[
        created(TASK, vec![]),
        Event::TaskStarted(ids(TASK)),
        Event::TaskCompleted(ids(TASK)),
    ]);
    assert_eq!(w.tasks[&TASK.0].status, TaskStatus::Done);
    assert_eq!(w.tasks[&TASK.0].completed_at, Some(day(3)));
    let w = fold(&[created(TASK, vec![]), Event::TaskCancelled(because(TASK))]);
    assert_eq!(w.tasks[&TASK.0].status, TaskStatus::Cancelled);
}

#[test]
fn unassigning_clears_the_assignee_and_work_adds_up() {
    let w = fold(&[
        created(TASK, vec![]),
        Event::TaskAssigned(TaskAssigned {
            task_id: TASK,
            project_id: PROJECT,
            member_id: MEMBER,
        }),
        Event::TaskWorkLogged(TaskWorkLogged {
            task_id: TASK,
            project_id: PROJECT,
            hours: 1.5,
            member_id: None,
        }),
        Event::TaskUnassigned(TaskUnassigned {
            task_id: TASK,
            project_id: PROJECT,
            member_id: MEMBER,
        }),
        Event::TaskWorkLogged(TaskWorkLogged {
            task_id: TASK,
            project_id: PROJECT,
            hours: 2.0,
            member_id: None,
        }),
    ]);
    assert_eq!(w.tasks[&TASK.0].assignee, None);
    assert_eq!(w.tasks[&TASK.0].logged_hours, 3.5);
}

#[test]
fn dependencies_stay_sorted_and_unique() {
    let (a, b) = (TaskId(Uuid::from_u128(30)), TaskId(Uuid::from_u128(5)));
    let dep = |depends_on| TaskDependencyChanged {
        task_id: TASK,
        project_id: PROJECT,
        depends_on,
    };
    let w = fold(&[
        created(TASK, vec![a, TASK]),
        Event::TaskDependencyAdded(dep(b)),
        Event::TaskDependencyAdded(dep(a)),
        Event::TaskDependencyAdded(dep(TASK)),
    ]);
    assert_eq!(w.tasks[&TASK.0].depends_on, vec![b.0, a.0]);
    let w = fold(&[
        created(TASK, vec![a, b]),
        Event::TaskDependencyRemoved(dep(a)),
    ]);
    assert_eq!(w.tasks[&TASK.0].depends_on, vec![b.0]);
}

#[test]
fn an_event_already_folded_in_changes_nothing() {
    let mut w = fold(&[created(TASK, vec![])]);
    let logged = Event::TaskWorkLogged(TaskWorkLogged {
        task_id: TASK,
        project_id: PROJECT,
        hours: 2.0,
        member_id: None,
    });
    w.apply(&logged, day(2), 5);
    w.apply(&logged, day(2), 5);
    w.apply(&created(TASK, vec![]), day(3), 6);
    assert_eq!(w.tasks[&TASK.0].logged_hours, 2.0);
    assert_eq!(w.tasks[&TASK.0].created_at, day(1));
}

#[test]
fn events_about_unknown_rows_are_skipped() {
    let w = fold(&[
        Event::TaskStarted(ids(OTHER_TASK)),
        Event::ProjectStatusChanged(ProjectStatusChanged {
            project_id: PROJECT,
            status: ProjectStatus::Closed,
            previous: ProjectStatus::Active,
        }),
        Event::MemberJoinedProject(MemberJoinedProject {
            project_id: PROJECT,
            member_id: MEMBER,
            role: None,
            capacity_hours_per_week: 30.0,
            skills: vec![],
        }),
        Event::MilestoneCompleted(MilestoneCompleted {
            project_id: PROJECT,
            milestone_id: MilestoneId(Uuid::nil()),
        }),
    ]);
    assert!(
        w.tasks.is_empty()
            && w.projects.is_empty()
            && w.memberships.is_empty()
            && w.milestones.is_empty()
    );
    assert!(
        w.changed_tasks.is_empty()
            && w.changed_projects.is_empty()
            && w.changed_milestones.is_empty()
    );
}

#[test]
fn projects_members_and_milestones_follow_their_events() {
    let milestone = MilestoneId(Uuid::from_u128(40));
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let w = fold(&[
        Event::ProjectCreated(ProjectCreated {
            project_id: PROJECT,
            name: "Atlas".into(),
            start_date: start,
            deadline: None,
        }),
        Event::MemberRegistered(MemberRegistered {
            member_id: MEMBER,
            name: "Ada".into(),
            skills: vec!["rust".into()],
            capacity_hours_per_week: 32.0,
        }),
        Event::MemberJoinedProject(MemberJoinedProject {
            project_id: PROJECT,
            member_id: MEMBER,
            role: Some("lead".into()),
            capacity_hours_per_week: 32.0,
            skills: vec![],
        }),
        Event::MilestoneAdded(MilestoneAdded {
            project_id: PROJECT,
            milestone_id: milestone,
            name: "Beta".into(),
            due_date: start,
        }),
        Event::MilestoneCompleted(MilestoneCompleted {
            project_id: PROJECT,
            milestone_id: milestone,
        }),
        Event::ProjectStatusChanged(ProjectStatusChanged {
            project_id: PROJECT,
            status: ProjectStatus::OnHold,
            previous: ProjectStatus::Active,
        }),
        Event::MemberLeftProject(MemberLeftProject {
            project_id: PROJECT,
            member_id: MEMBER,
        }),
    ]);
    assert_eq!(w.projects[&PROJECT.0].status, "on_hold");
    assert_eq!(w.projects[&PROJECT.0].updated_at, day(6));
    assert_eq!(w.members[&MEMBER.0].name, "Ada");
    assert_eq!(
        w.memberships[&(PROJECT.0, MEMBER.0)],
        None,
        "left after joining"
    );
    let m = &w.milestones[&(PROJECT.0, milestone.0)];
    assert!(m.completed);
    assert_eq!(m.completed_at, Some(day(5)));
}

#[test]
fn a_creation_folded_in_again_does_not_undo_later_changes() {
    let start = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
    let project = Event::ProjectCreated(ProjectCreated {
        project_id: PROJECT,
        name: "Atlas".into(),
        start_date: start,
        deadline: None,
    });
    let member = Event::MemberRegistered(MemberRegistered {
        member_id: MEMBER,
        name: "Ada".into(),
        skills: vec![],
        capacity_hours_per_week: 32.0,
    });
    let mut w = fold(&[
        project.clone(),
        member.clone(),
        Event::ProjectRenamed(ProjectRenamed {
            project_id: PROJECT,
            name: "Atlas II".into(),
        }),
        Event::MemberCapacityChanged(MemberCapacityChanged {
            member_id: MEMBER,
            capacity_hours_per_week: 20.0,
        }),
    ]);
    w.apply(&project, day(1), 1);
    w.apply(&member, day(2), 2);
    assert_eq!(w.projects[&PROJECT.0].name, "Atlas II");
    assert_eq!(w.members[&MEMBER.0].capacity_hours_per_week, 20.0);
    assert_eq!(w.members[&MEMBER.0].registered_at, day(2));
}
