//! Payloads of the task aggregate's events. Each carries its project, so that the relay can route
//! it to `<ns>.evt.<project>.…` and read models can file it without loading the task.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Routed;
use crate::ids::{MemberId, MilestoneId, ProjectId, StreamId, TaskId};

/// A task was created in a project; it starts `todo`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskCreated {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub title: String,
    pub description: Option<String>,
    pub estimate_hours: f64,
    /// 1 is the highest priority, 4 the lowest.
    pub priority: u8,
    pub labels: Vec<String>,
    pub skills: Vec<String>,
    pub milestone_id: Option<MilestoneId>,
    pub due_date: Option<DateTime<Utc>>,
    /// Tasks this one waits for, sorted and without duplicates.
    pub depends_on: Vec<TaskId>,
}

/// A task was given to a member of its project (replacing any earlier assignee).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskAssigned {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub member_id: MemberId,
}

/// A task has no assignee any more.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskUnassigned {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    /// The member who was assigned until now.
    pub member_id: MemberId,
}

/// A task event that carries nothing but its ids (started, unblocked, completed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskChanged {
    pub task_id: TaskId,
    pub project_id: ProjectId,
}

/// A task event with an optional human reason (blocked, reopened, cancelled).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskChangedBecause {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub reason: Option<String>,
}

/// The estimated effort of a task changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskEstimateChanged {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub estimate_hours: f64,
}

/// A task got a new due date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskDueDateChanged {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub due_date: DateTime<Utc>,
}

/// A dependency was added to or removed from `task_id`: it waits (or no longer waits) for `depends_on`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskDependencyChanged {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub depends_on: TaskId,
}

/// Hours were spent on a task.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaskWorkLogged {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    pub hours: f64,
    /// Who did the work, when it was not the assignee or there is none.
    pub member_id: Option<MemberId>,
}

macro_rules! task_event {
    ($($event:ident),*) => {$(
        impl Routed for $event {
            fn stream(&self) -> StreamId {
                StreamId::task(self.task_id)
            }

            fn project_id(&self) -> Option<ProjectId> {
                Some(self.project_id)
            }
        }
    )*};
}

task_event!(
    TaskCreated,
    TaskAssigned,
    TaskUnassigned,
    TaskChanged,
    TaskChangedBecause,
    TaskEstimateChanged,
    TaskDueDateChanged,
    TaskDependencyChanged,
    TaskWorkLogged
);
