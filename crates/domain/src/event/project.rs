//! Payloads of the project aggregate's events.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Routed;
use crate::ids::{MemberId, MilestoneId, ProjectId, StreamId};
use crate::project::ProjectStatus;

/// A project was created; it starts `active`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectCreated {
    pub project_id: ProjectId,
    pub name: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
}

/// A project got a new name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectRenamed {
    pub project_id: ProjectId,
    pub name: String,
}

/// A milestone was added to a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MilestoneAdded {
    pub project_id: ProjectId,
    pub milestone_id: MilestoneId,
    pub name: String,
    pub due_date: NaiveDate,
}

/// A milestone got a new due date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MilestoneMoved {
    pub project_id: ProjectId,
    pub milestone_id: MilestoneId,
    pub due_date: NaiveDate,
}

/// A milestone was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MilestoneCompleted {
    pub project_id: ProjectId,
    pub milestone_id: MilestoneId,
}

/// A registered member joined the project. Capacity and skills are the member's as of joining,
/// so that project read models need not follow the member's own stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberJoinedProject {
    pub project_id: ProjectId,
    pub member_id: MemberId,
    pub role: Option<String>,
    pub capacity_hours_per_week: f64,
    pub skills: Vec<String>,
}

/// A member left the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberLeftProject {
    pub project_id: ProjectId,
    pub member_id: MemberId,
}

/// A project's status changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProjectStatusChanged {
    pub project_id: ProjectId,
    pub status: ProjectStatus,
    /// The status before the change.
    pub previous: ProjectStatus,
}

macro_rules! project_event {
    ($($event:ident),*) => {$(
        impl Routed for $event {
            fn stream(&self) -> StreamId {
                StreamId::project(self.project_id)
            }

            fn project_id(&self) -> Option<ProjectId> {
                Some(self.project_id)
            }
        }
    )*};
}

project_event!(
    ProjectCreated,
    ProjectRenamed,
    MilestoneAdded,
    MilestoneMoved,
    MilestoneCompleted,
    MemberJoinedProject,
    MemberLeftProject,
    ProjectStatusChanged
);
