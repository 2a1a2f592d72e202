//! Given events about projects, milestones and members, then rows; and the keys a batch loads.

use chrono::NaiveDate;
use domain::*;
use uuid::Uuid;

use super::{at, changed, created, ids, run};
use crate::fold::{Fold, fold_batch, keys};
use crate::model::{MemberRow, MilestoneRow, ProjectRow};

#[test]
fn projects_milestones_and_members_follow_their_events() {
    let (project_id, _) = ids();
    let milestone_id = MilestoneId(Uuid::from_u128(9));
    let member_id = MemberId(Uuid::from_u128(5));
    let date = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap_or_default();
    let changes = run(vec![
        (
            at(1, 9),
            Event::ProjectCreated(ProjectCreated {
                project_id,
                name: "a".into(),
                start_date: date(1),
                deadline: None,
            }),
        ),
        (
            at(1, 9),
            Event::ProjectRenamed(ProjectRenamed {
                project_id,
                name: "b".into(),
            }),
        ),
        (
            at(1, 9),
            Event::MilestoneAdded(MilestoneAdded {
                project_id,
                milestone_id,
                name: "m".into(),
                due_date: date(20),
            }),
        ),
        (
            at(2, 9),
            Event::MilestoneMoved(MilestoneMoved {
                project_id,
                milestone_id,
                due_date: date(25),
            }),
        ),
        (
            at(9, 9),
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id,
                milestone_id,
            }),
        ),
        (
            at(1, 9),
            Event::MemberRegistered(MemberRegistered {
                member_id,
                name: "Ada".into(),
                skills: vec![],
                capacity_hours_per_week: 40.0,
            }),
        ),
        (
            at(3, 9),
            Event::MemberCapacityChanged(MemberCapacityChanged {
                member_id,
                capacity_hours_per_week: 32.0,
            }),
        ),
    ]);
    let (p, m) = (project_id.0, milestone_id.0);
    assert_eq!(
        changes.projects,
        vec![ProjectRow {
            id: p,
            name: "b".into(),
            start_date: date(1),
            deadline: None
        }]
    );
    assert_eq!(
        changes.milestones,
        vec![MilestoneRow {
            project_id: p,
            id: m,
            name: "m".into(),
            due_date: date(25),
            completed_at: Some(at(9, 9))
        }]
    );
    assert_eq!(
        changes.members,
        vec![MemberRow {
            id: member_id.0,
            name: "Ada".into(),
            capacity_hours_per_week: 32.0
        }]
    );
}

#[test]
fn keys_name_each_touched_row_once() {
    let (project_id, task_id) = ids();
    let recorded = |event: Event| consumer::LoggedEvent {
        recorded: store::RecordedEvent {
            global_position: 1,
            transaction_id: 1,
            stream_id: event.stream().to_string(),
            stream_version: 1,
            event_id: Uuid::nil(),
            event_type: event.event_type().into(),
            schema_version: 1,
            payload: event.payload(),
            metadata: serde_json::json!({}),
            occurred_at: at(1, 9),
            recorded_at: at(1, 9),
        },
        event,
    };
    let events = vec![
        recorded(created(1.0, None)),
        recorded(Event::TaskStarted(changed())),
        recorded(Event::ProjectRenamed(ProjectRenamed {
            project_id,
            name: "x".into(),
        })),
        recorded(Event::TaskDueDateChanged(TaskDueDateChanged {
            task_id,
            project_id,
            due_date: at(9, 9),
        })),
    ];
    let keys = keys(&events);
    assert_eq!(keys.tasks, vec![task_id.0]);
    assert_eq!(keys.projects, vec![project_id.0]);
    assert!(keys.members.is_empty() && keys.milestones.is_empty());
    let changes = fold_batch(Fold::default(), &events);
    assert_eq!(changes.new_tasks[0].status, TaskStatus::InProgress);
    assert_eq!(changes.transitions.len(), 2);
}
