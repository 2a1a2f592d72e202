//! One realistic example payload per command and event type, embedded in the JSON Schemas.

use serde_json::{Value, json};

use crate::command::CommandType;
use crate::event::EventType;

const PROJECT: &str = "4f1c2b8e-3d5a-4e7f-9a10-2b3c4d5e6f70";
const TASK: &str = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const OTHER_TASK: &str = "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a";
const MEMBER: &str = "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f";
const MILESTONE: &str = "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918";

/// The payload of an example `t` command, as a client would send it.
pub(crate) fn command_payload(t: CommandType) -> Value {
    use CommandType as C;
    match t {
        C::MemberRegister => json!({
            "member_id": MEMBER,
            "name": "Ada Lovelace",
            "skills": ["rust", "postgres"],
            "capacity_hours_per_week": 32.0
        }),
        C::MemberChangeCapacity => json!({"member_id": MEMBER, "capacity_hours_per_week": 24.0}),
        C::MemberAddTimeOff => {
            json!({"member_id": MEMBER, "from": "2025-04-14", "to": "2025-04-18"})
        }
        C::ProjectCreate => json!({
            "project_id": PROJECT,
            "name": "Billing revamp",
            "start_date": "2025-03-03",
            "deadline": "2025-06-30"
        }),
        C::ProjectRename => json!({"project_id": PROJECT, "name": "Billing revamp 2025"}),
        C::ProjectAddMember => {
            json!({"project_id": PROJECT, "member_id": MEMBER, "role": "backend"})
        }
        C::ProjectRemoveMember => json!({"project_id": PROJECT, "member_id": MEMBER}),
        C::ProjectAddMilestone => json!({
            "project_id": PROJECT,
            "milestone_id": MILESTONE,
            "name": "Invoices in beta",
            "due_date": "2025-05-02"
        }),
        C::ProjectMoveMilestone => {
            json!({"project_id": PROJECT, "milestone_id": MILESTONE, "due_date": "2025-05-16"})
        }
        C::ProjectCompleteMilestone => json!({"project_id": PROJECT, "milestone_id": MILESTONE}),
        C::ProjectChangeStatus => json!({"project_id": PROJECT, "status": "on_hold"}),
        C::TaskCreate => json!({
            "task_id": TASK,
            "project_id": PROJECT,
            "title": "Generate PDF invoices",
            "description": "Render the monthly invoice as PDF and attach it to the e-mail.",
            "estimate_hours": 12.5,
            "priority": 2,
            "labels": ["invoices", "backend"],
            "skills": ["rust"],
            "milestone_id": MILESTONE,
            "due_date": "2025-04-25T17:00:00Z",
            "depends_on": [OTHER_TASK]
        }),
        C::TaskAssign => json!({"task_id": TASK, "member_id": MEMBER}),
        C::TaskUnassign | C::TaskStart | C::TaskUnblock | C::TaskComplete => {
            json!({"task_id": TASK})
        }
        C::TaskBlock => {
            json!({"task_id": TASK, "reason": "waiting for the tax rules from finance"})
        }
        C::TaskReopen => json!({"task_id": TASK, "reason": "totals are wrong for credit notes"}),
        C::TaskCancel => json!({"task_id": TASK, "reason": "replaced by the vendor's invoicing"}),
        C::TaskLogWork => json!({"task_id": TASK, "hours": 3.5, "member_id": MEMBER}),
        C::TaskChangeEstimate => json!({"task_id": TASK, "estimate_hours": 16.0}),
        C::TaskChangeDueDate => json!({"task_id": TASK, "due_date": "2025-05-02T17:00:00Z"}),
        C::TaskAddDependency | C::TaskRemoveDependency => {
            json!({"task_id": TASK, "depends_on": OTHER_TASK})
        }
    }
}

/// The payload of an example `t` event, as stored in the log.
pub(crate) fn event_payload(t: EventType) -> Value {
    use EventType as E;
    let task = |extra: Value| merge(json!({"task_id": TASK, "project_id": PROJECT}), extra);
    match t {
        E::MemberRegistered => command_payload(CommandType::MemberRegister),
        E::MemberCapacityChanged => command_payload(CommandType::MemberChangeCapacity),
        E::MemberTimeOffAdded => command_payload(CommandType::MemberAddTimeOff),
        E::ProjectCreated => command_payload(CommandType::ProjectCreate),
        E::ProjectRenamed => command_payload(CommandType::ProjectRename),
        E::MilestoneAdded => command_payload(CommandType::ProjectAddMilestone),
        E::MilestoneMoved => command_payload(CommandType::ProjectMoveMilestone),
        E::MilestoneCompleted => command_payload(CommandType::ProjectCompleteMilestone),
        E::MemberJoinedProject => json!({
            "project_id": PROJECT,
            "member_id": MEMBER,
            "role": "backend",
            "capacity_hours_per_week": 32.0,
            "skills": ["rust", "postgres"]
        }),
        E::MemberLeftProject => command_payload(CommandType::ProjectRemoveMember),
        E::ProjectStatusChanged => {
            json!({"project_id": PROJECT, "status": "on_hold", "previous": "active"})
        }
        E::TaskCreated => command_payload(CommandType::TaskCreate),
        E::TaskAssigned | E::TaskUnassigned => task(json!({"member_id": MEMBER})),
        E::TaskStarted | E::TaskUnblocked | E::TaskCompleted => task(json!({})),
        E::TaskBlocked => task(json!({"reason": "waiting for the tax rules from finance"})),
        E::TaskReopened => task(json!({"reason": "totals are wrong for credit notes"})),
        E::TaskCancelled => task(json!({"reason": null})),
        E::TaskEstimateChanged => task(json!({"estimate_hours": 16.0})),
        E::TaskDueDateChanged => task(json!({"due_date": "2025-05-02T17:00:00Z"})),
        E::TaskDependencyAdded | E::TaskDependencyRemoved => {
            task(json!({"depends_on": OTHER_TASK}))
        }
        E::TaskWorkLogged => task(json!({"hours": 3.5, "member_id": MEMBER})),
        E::TaskForecasted => task(json!({
            "duration_hours_p50": 30.5,
            "duration_hours_p90": 52.0,
            "expected_finish_p50": "2025-04-30T14:30:00Z",
            "expected_finish_p90": "2025-05-01T12:00:00Z",
            "model_version": "3",
            "as_of": "2025-04-29T08:00:00Z"
        })),
        E::TaskRiskAssessed => task(json!({
            "late_probability": 0.34,
            "factors": [
                {"name": "assignee_open_tasks", "contribution": 0.12},
                {"name": "days_to_due", "contribution": 0.08}
            ],
            "model_version": "3",
            "as_of": "2025-04-29T08:00:00Z"
        })),
        E::ProjectForecasted => json!({
            "project_id": PROJECT,
            "deadline": "2025-06-30",
            "p50": "2025-06-12T16:00:00Z",
            "p85": "2025-06-24T10:00:00Z",
            "p95": "2025-07-03T09:00:00Z",
            "health": "at_risk",
            "milestones": [{
                "milestone_id": MILESTONE,
                "due_date": "2025-05-15",
                "p50": "2025-05-09T12:00:00Z",
                "p85": "2025-05-14T17:00:00Z",
                "p95": "2025-05-19T11:00:00Z",
                "health": "on_track"
            }],
            "remaining_tasks": 42,
            "runs": 1000,
            "model_version": "3",
            "as_of": "2025-04-29T08:00:00Z"
        }),
        E::AssignmentRecommended => task(json!({
            "candidates": [{
                "member_id": MEMBER,
                "expected_finish": "2025-05-02T15:00:00Z",
                "predicted_duration_hours": 20.0,
                "skill_match": 1.0,
                "load_after": 0.8,
                "expected_hours_late": 0.0
            }],
            "model_version": "3",
            "as_of": "2025-04-29T08:00:00Z"
        })),
        E::ModelTrained => json!({
            "model_version": "3",
            "kind": "forest",
            "metrics": {"mae_hours": 6.1, "rmse_hours": 9.4, "p90_coverage": 0.9, "risk_auc": 0.86, "risk_brier": 0.11},
            "training_position": 1048576,
            "feature_schema": "9f2c4e1a"
        }),
        E::ModelPromoted => json!({"model_version": "3", "previous_version": "2"}),
    }
}

fn merge(mut base: Value, extra: Value) -> Value {
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}
