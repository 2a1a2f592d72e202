//! The project aggregate's state and how its events change it.

mod decide;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) use self::decide::{create, decide};
use crate::event::{Event, ProjectCreated};
use crate::ids::{MemberId, MilestoneId, ProjectId};

/// A project's status; a `closed` project takes no new tasks, milestones or members until it
/// is made active (or on hold) again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Active,
    OnHold,
    Closed,
}

impl ProjectStatus {
    pub const ALL: [ProjectStatus; 3] = [
        ProjectStatus::Active,
        ProjectStatus::OnHold,
        ProjectStatus::Closed,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ProjectStatus::Active => "active",
            ProjectStatus::OnHold => "on_hold",
            ProjectStatus::Closed => "closed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Milestone {
    pub name: String,
    pub due_date: NaiveDate,
    pub completed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProjectState {
    pub id: ProjectId,
    pub name: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub status: ProjectStatus,
    pub milestones: BTreeMap<MilestoneId, Milestone>,
    /// Members of the project and their role in it.
    pub members: BTreeMap<MemberId, Option<String>>,
}

impl ProjectState {
    pub(crate) fn created(event: &ProjectCreated) -> Self {
        ProjectState {
            id: event.project_id,
            name: event.name.clone(),
            start_date: event.start_date,
            deadline: event.deadline,
            status: ProjectStatus::Active,
            milestones: BTreeMap::new(),
            members: BTreeMap::new(),
        }
    }

    pub fn is_closed(&self) -> bool {
        self.status == ProjectStatus::Closed
    }

    /// Applies one of this project's events; anything else leaves it as it is.
    pub(crate) fn apply(&mut self, event: &Event) {
        if event.project_id() != Some(self.id) {
            return;
        }
        match event {
            Event::ProjectRenamed(e) => self.name.clone_from(&e.name),
            Event::MilestoneAdded(e) => {
                self.milestones
                    .entry(e.milestone_id)
                    .or_insert_with(|| Milestone {
                        name: e.name.clone(),
                        due_date: e.due_date,
                        completed: false,
                    });
            }
            Event::MilestoneMoved(e) => {
                if let Some(milestone) = self.milestones.get_mut(&e.milestone_id) {
                    milestone.due_date = e.due_date;
                }
            }
            Event::MilestoneCompleted(e) => {
                if let Some(milestone) = self.milestones.get_mut(&e.milestone_id) {
                    milestone.completed = true;
                }
            }
            Event::MemberJoinedProject(e) => {
                self.members.insert(e.member_id, e.role.clone());
            }
            Event::MemberLeftProject(e) => {
                self.members.remove(&e.member_id);
            }
            Event::ProjectStatusChanged(e) => self.status = e.status,
            _ => {}
        }
    }
}
