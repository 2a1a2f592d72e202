//! Payloads of the task commands.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Payload;
use crate::ids::{MemberId, MilestoneId, ProjectId, StreamId, TaskId};
use crate::limits::{
    self, MAX_DEPENDENCIES, MAX_DESCRIPTION_CHARS, MAX_ESTIMATE_HOURS, MAX_LOGGED_HOURS,
    MAX_PRIORITY, MAX_REASON_CHARS, MAX_TAG_CHARS, MAX_TAGS, MAX_TITLE_CHARS, MIN_PRIORITY,
    NOT_BLANK,
};
use crate::rejection::Rejection;

/// `task.create`: a new task in an existing, not closed project; it starts `todo`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTask {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    #[schemars(length(min = 1, max = MAX_TITLE_CHARS), regex(pattern = NOT_BLANK))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = MAX_DESCRIPTION_CHARS))]
    pub description: Option<String>,
    #[schemars(range(max = MAX_ESTIMATE_HOURS), extend("exclusiveMinimum" = 0))]
    pub estimate_hours: f64,
    /// 1 is the highest priority, 4 the lowest.
    #[schemars(range(min = MIN_PRIORITY, max = MAX_PRIORITY))]
    pub priority: u8,
    #[serde(default)]
    #[schemars(
        length(max = MAX_TAGS),
        inner(length(min = 1, max = MAX_TAG_CHARS), regex(pattern = NOT_BLANK))
    )]
    pub labels: Vec<String>,
    /// Skills the work needs, matched against members' skills.
    #[serde(default)]
    #[schemars(
        length(max = MAX_TAGS),
        inner(length(min = 1, max = MAX_TAG_CHARS), regex(pattern = NOT_BLANK))
    )]
    pub skills: Vec<String>,
    /// A milestone of the same project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub milestone_id: Option<MilestoneId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<DateTime<Utc>>,
    /// Existing tasks of the same project that must be done first.
    #[serde(default)]
    #[schemars(length(max = MAX_DEPENDENCIES))]
    pub depends_on: Vec<TaskId>,
}

/// `task.assign`: give the task to a member of its project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignTask {
    pub task_id: TaskId,
    pub member_id: MemberId,
}

/// `task.unassign`, `task.start`, `task.complete`, `task.unblock`: only the task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskRef {
    pub task_id: TaskId,
}

/// `task.block`, `task.reopen`, `task.cancel`: the task and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskWithReason {
    pub task_id: TaskId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = MAX_REASON_CHARS))]
    pub reason: Option<String>,
}

/// `task.log_work`: hours spent on the task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogWork {
    pub task_id: TaskId,
    #[schemars(range(max = MAX_LOGGED_HOURS), extend("exclusiveMinimum" = 0))]
    pub hours: f64,
    /// A registered member who did the work, when it matters who.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<MemberId>,
}

/// `task.change_estimate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeEstimate {
    pub task_id: TaskId,
    #[schemars(range(max = MAX_ESTIMATE_HOURS), extend("exclusiveMinimum" = 0))]
    pub estimate_hours: f64,
}

/// `task.change_due_date`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeDueDate {
    pub task_id: TaskId,
    pub due_date: DateTime<Utc>,
}

/// `task.add_dependency`, `task.remove_dependency`: `task_id` waits (or no longer waits) for `depends_on`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDependency {
    pub task_id: TaskId,
    /// Another task of the same project.
    pub depends_on: TaskId,
}

macro_rules! task_payload {
    ($($payload:ident => |$p:ident| $validate:expr;)*) => {$(
        impl Payload for $payload {
            fn target(&self) -> StreamId {
                StreamId::task(self.task_id)
            }

            fn validate(&self) -> Result<(), Rejection> {
                let $p = self;
                $validate
            }
        }
    )*};
}

task_payload! {
    CreateTask => |p| {
        limits::required_text("payload.title", &p.title, MAX_TITLE_CHARS)?;
        limits::optional_text("payload.description", p.description.as_deref(), MAX_DESCRIPTION_CHARS)?;
        limits::positive("payload.estimate_hours", p.estimate_hours, MAX_ESTIMATE_HOURS)?;
        if !(MIN_PRIORITY..=MAX_PRIORITY).contains(&p.priority) {
            return Err(Rejection::invalid(
                "payload.priority",
                format!("payload.priority must be from {MIN_PRIORITY} to {MAX_PRIORITY}, got {}", p.priority),
            ));
        }
        limits::tags("payload.labels", &p.labels)?;
        limits::tags("payload.skills", &p.skills)?;
        if let Some(due_date) = p.due_date {
            limits::instant("payload.due_date", due_date)?;
        }
        limits::count("payload.depends_on", p.depends_on.len(), MAX_DEPENDENCIES)?;
        if p.depends_on.contains(&p.task_id) {
            return Err(Rejection::invalid("payload.depends_on", "a task cannot depend on itself"));
        }
        Ok(())
    };
    AssignTask => |_p| Ok(());
    TaskRef => |_p| Ok(());
    TaskWithReason => |p| limits::optional_text("payload.reason", p.reason.as_deref(), MAX_REASON_CHARS);
    LogWork => |p| limits::positive("payload.hours", p.hours, MAX_LOGGED_HOURS);
    ChangeEstimate => |p| limits::positive("payload.estimate_hours", p.estimate_hours, MAX_ESTIMATE_HOURS);
    ChangeDueDate => |p| limits::instant("payload.due_date", p.due_date);
    TaskDependency => |p| {
        if p.depends_on == p.task_id {
            return Err(Rejection::invalid("payload.depends_on", "a task cannot depend on itself"));
        }
        Ok(())
    };
}
