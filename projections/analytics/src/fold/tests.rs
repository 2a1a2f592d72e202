//! Given rows and events, then rows, transitions and scope changes.

use chrono::{DateTime, TimeZone, Utc};
use domain::*;
use uuid::Uuid;

use super::Fold;

mod rows;

pub(super) fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0)
        .single()
        .unwrap_or_default()
}

pub(super) fn ids() -> (ProjectId, TaskId) {
    (ProjectId(Uuid::from_u128(1)), TaskId(Uuid::from_u128(2)))
}

pub(super) fn created(estimate_hours: f64, milestone: Option<MilestoneId>) -> Event {
    let (project_id, task_id) = ids();
    Event::TaskCreated(TaskCreated {
        task_id,
        project_id,
        title: "t".into(),
        description: None,
        estimate_hours,
        priority: 2,
        labels: vec!["api".into()],
        skills: vec![],
        milestone_id: milestone,
        due_date: None,
        depends_on: vec![],
    })
}

pub(super) fn changed() -> TaskChanged {
    let (project_id, task_id) = ids();
    TaskChanged {
        task_id,
        project_id,
    }
}

fn because() -> TaskChangedBecause {
    let (project_id, task_id) = ids();
    TaskChangedBecause {
        task_id,
        project_id,
        reason: None,
    }
}

pub(super) fn run(events: Vec<(DateTime<Utc>, Event)>) -> super::Changes {
    let mut fold = Fold::default();
    for (i, (when, event)) in events.iter().enumerate() {
        fold.apply(i as i64 + 1, *when, event);
    }
    fold.into_changes()
}

#[test]
fn a_reopened_task_keeps_its_first_start_and_its_last_completion() {
    let changes = run(vec![
        (at(1, 9), created(8.0, None)),
        (at(2, 9), Event::TaskStarted(changed())),
        (at(2, 12), Event::TaskBlocked(because())),
        (at(3, 9), Event::TaskUnblocked(changed())),
        (at(4, 9), Event::TaskCompleted(changed())),
        (at(5, 9), Event::TaskReopened(because())),
        (at(6, 9), Event::TaskStarted(changed())),
        (at(7, 9), Event::TaskCompleted(changed())),
    ]);
    let [task] = changes.new_tasks.as_slice() else {
        panic!("one task: {changes:?}")
    };
    assert_eq!(task.status, TaskStatus::Done);
    assert_eq!(task.created_at, at(1, 9));
    assert_eq!(task.started_at, Some(at(2, 9)));
    assert_eq!(task.completed_at, Some(at(7, 9)));
    assert_eq!(task.reopen_count, 1);
    assert_eq!(task.blocked_from, None);
    use TaskStatus::*;
    let moves: Vec<_> = changes
        .transitions
        .iter()
        .map(|t| (t.position, t.from, t.to))
        .collect();
    assert_eq!(
        moves,
        vec![
            (1, None, Todo),
            (2, Some(Todo), InProgress),
            (3, Some(InProgress), Blocked),
            (4, Some(Blocked), InProgress),
            (5, Some(InProgress), Done),
            (6, Some(Done), Todo),
            (7, Some(Todo), InProgress),
            (8, Some(InProgress), Done),
        ]
    );
    // Reopening changes progress, not scope: only the creation added scope.
    assert_eq!(changes.scope.len(), 1);
    assert_eq!(
        (changes.scope[0].delta_hours, changes.scope[0].delta_tasks),
        (8.0, 1)
    );
}

#[test]
fn re_estimating_and_cancelling_change_the_scope_of_the_milestone() {
    let milestone = MilestoneId(Uuid::from_u128(9));
    let (project_id, task_id) = ids();
    let estimate = |hours| {
        Event::TaskEstimateChanged(TaskEstimateChanged {
            task_id,
            project_id,
            estimate_hours: hours,
        })
    };
    let changes = run(vec![
        (at(1, 9), created(8.0, Some(milestone))),
        (at(2, 9), estimate(12.0)),
        (at(3, 9), estimate(12.0)),
        (at(4, 9), Event::TaskCancelled(because())),
    ]);
    let deltas: Vec<_> = changes
        .scope
        .iter()
        .map(|s| (s.position, s.delta_hours, s.delta_tasks, s.milestone_id))
        .collect();
    let m = Some(milestone.0);
    assert_eq!(
        deltas,
        vec![(1, 8.0, 1, m), (2, 4.0, 0, m), (4, -12.0, -1, m)]
    );
    let task = &changes.new_tasks[0];
    assert_eq!((task.estimate_hours, task.original_estimate), (12.0, 8.0));
    assert_eq!(task.cancelled_at, Some(at(4, 9)));
    assert_eq!(
        changes.transitions.last().map(|t| (t.to, t.estimate_hours)),
        Some((TaskStatus::Cancelled, 12.0))
    );
}

#[test]
fn work_and_assignment_add_up_on_a_loaded_task() {
    let (project_id, task_id) = ids();
    let member = MemberId(Uuid::from_u128(5));
    let mut fold = Fold::default();
    fold.apply(1, at(1, 9), &created(4.0, None));
    let loaded = fold.into_changes().new_tasks;
    let events = [
        Event::TaskAssigned(TaskAssigned {
            task_id,
            project_id,
            member_id: member,
        }),
        Event::TaskWorkLogged(TaskWorkLogged {
            task_id,
            project_id,
            hours: 1.5,
            member_id: None,
        }),
        Event::TaskWorkLogged(TaskWorkLogged {
            task_id,
            project_id,
            hours: 2.0,
            member_id: Some(member),
        }),
    ];
    let mut fold = Fold::new(loaded, vec![], vec![], vec![]);
    for (i, event) in events.iter().enumerate() {
        fold.apply(10 + i as i64, at(2, 9), event);
    }
    let changes = fold.into_changes();
    // A task loaded from the table is updated, not inserted.
    assert!(changes.new_tasks.is_empty());
    assert_eq!(changes.tasks[0].assignee, Some(member.0));
    assert_eq!(changes.tasks[0].logged_hours, 3.5);
    assert!(changes.transitions.is_empty() && changes.scope.is_empty());
}

#[test]
fn events_about_unknown_rows_change_nothing() {
    let (project_id, _) = ids();
    let changes = run(vec![
        (at(1, 9), Event::TaskStarted(changed())),
        (
            at(1, 9),
            Event::ProjectRenamed(ProjectRenamed {
                project_id,
                name: "x".into(),
            }),
        ),
        (
            at(1, 9),
            Event::MemberCapacityChanged(MemberCapacityChanged {
                member_id: MemberId(Uuid::from_u128(5)),
                capacity_hours_per_week: 1.0,
            }),
        ),
        (
            at(1, 9),
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id,
                milestone_id: MilestoneId(Uuid::nil()),
            }),
        ),
    ]);
    assert_eq!(changes, super::Changes::default());
}
