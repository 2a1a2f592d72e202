//! Payloads of the project commands.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Payload;
use crate::ids::{MemberId, MilestoneId, ProjectId, StreamId};
use crate::limits::{self, MAX_NAME_CHARS, MAX_ROLE_CHARS, NOT_BLANK};
use crate::project::ProjectStatus;
use crate::rejection::Rejection;

/// `project.create`: a new project, `active` from the start.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProject {
    pub project_id: ProjectId,
    #[schemars(length(min = 1, max = MAX_NAME_CHARS), regex(pattern = NOT_BLANK))]
    pub name: String,
    pub start_date: NaiveDate,
    /// Not before `start_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
}

/// `project.rename`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameProject {
    pub project_id: ProjectId,
    #[schemars(length(min = 1, max = MAX_NAME_CHARS), regex(pattern = NOT_BLANK))]
    pub name: String,
}

/// `project.add_member`: a registered member joins the project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddProjectMember {
    pub project_id: ProjectId,
    pub member_id: MemberId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = MAX_ROLE_CHARS))]
    pub role: Option<String>,
}

/// `project.remove_member`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveProjectMember {
    pub project_id: ProjectId,
    pub member_id: MemberId,
}

/// `project.add_milestone`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMilestone {
    pub project_id: ProjectId,
    /// Chosen by the client, new within the project.
    pub milestone_id: MilestoneId,
    #[schemars(length(min = 1, max = MAX_NAME_CHARS), regex(pattern = NOT_BLANK))]
    pub name: String,
    pub due_date: NaiveDate,
}

/// `project.move_milestone`: a new due date for an open milestone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveMilestone {
    pub project_id: ProjectId,
    pub milestone_id: MilestoneId,
    pub due_date: NaiveDate,
}

/// `project.complete_milestone`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteMilestone {
    pub project_id: ProjectId,
    pub milestone_id: MilestoneId,
}

/// `project.change_status`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeProjectStatus {
    pub project_id: ProjectId,
    pub status: ProjectStatus,
}

macro_rules! project_payload {
    ($($payload:ident => |$p:ident| $validate:expr;)*) => {$(
        impl Payload for $payload {
            fn target(&self) -> StreamId {
                StreamId::project(self.project_id)
            }

            fn validate(&self) -> Result<(), Rejection> {
                let $p = self;
                $validate
            }
        }
    )*};
}

project_payload! {
    CreateProject => |p| {
        limits::required_text("payload.name", &p.name, MAX_NAME_CHARS)?;
        limits::date("payload.start_date", p.start_date)?;
        if let Some(deadline) = p.deadline {
            limits::date("payload.deadline", deadline)?;
        }
        match p.deadline {
            Some(deadline) if deadline < p.start_date => Err(Rejection::invalid(
                "payload.deadline",
                "payload.deadline must not be before payload.start_date",
            )),
            _ => Ok(()),
        }
    };
    RenameProject => |p| limits::required_text("payload.name", &p.name, MAX_NAME_CHARS);
    AddProjectMember => |p| limits::optional_text("payload.role", p.role.as_deref(), MAX_ROLE_CHARS);
    RemoveProjectMember => |_p| Ok(());
    AddMilestone => |p| {
        limits::required_text("payload.name", &p.name, MAX_NAME_CHARS)?;
        limits::date("payload.due_date", p.due_date)
    };
    MoveMilestone => |p| limits::date("payload.due_date", p.due_date);
    CompleteMilestone => |_p| Ok(());
    ChangeProjectStatus => |_p| Ok(());
}
