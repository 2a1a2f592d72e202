//! How each event changes the feature state: members and projects here, tasks in `fold/task.rs`.

mod task;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use domain::{Event, MemberId, Milestone};

use crate::state::{Changes, FeatureState};
use crate::view::{MemberView, ProjectView, normalized};

impl FeatureState {
    pub(crate) fn fold(&mut self, event: &Event, at: DateTime<Utc>, changes: &mut Changes) {
        self.clock = Some(self.clock.map_or(at, |clock| clock.max(at)));
        match event {
            Event::MemberRegistered(e) => {
                let member = member_entry(&mut self.members, e.member_id);
                member.registered = true;
                member.name.clone_from(&e.name);
                member.skills = normalized(&e.skills);
                member.capacity_hours_per_week = e.capacity_hours_per_week;
                changes.members.insert(e.member_id);
            }
            Event::MemberCapacityChanged(e) => {
                if let Some(member) = self.members.get_mut(&e.member_id) {
                    member.capacity_hours_per_week = e.capacity_hours_per_week;
                    changes.members.insert(e.member_id);
                }
            }
            Event::MemberTimeOffAdded(e) => {
                if let Some(member) = self.members.get_mut(&e.member_id) {
                    member.time_off.push((e.from, e.to));
                }
            }
            Event::MemberJoinedProject(e) => {
                if let Some(project) = self.projects.get_mut(&e.project_id) {
                    project.members.insert(e.member_id, e.role.clone());
                }
                // The join carries skills and capacity: better than nothing for a member the
                // log never registered.
                let member = member_entry(&mut self.members, e.member_id);
                if !member.registered {
                    member.skills = normalized(&e.skills);
                    member.capacity_hours_per_week = e.capacity_hours_per_week;
                    changes.members.insert(e.member_id);
                }
            }
            Event::TaskCreated(e) => self.create_task(e, at, changes),
            _ => {
                self.change_project(event);
                self.change_task(event, at, changes);
            }
        }
    }

    /// Project plan events; no feature reads them, so they touch no task.
    fn change_project(&mut self, event: &Event) {
        if let Event::ProjectCreated(e) = event {
            self.projects
                .entry(e.project_id)
                .or_insert_with(|| ProjectView {
                    id: e.project_id,
                    name: e.name.clone(),
                    start_date: e.start_date,
                    deadline: e.deadline,
                    status: domain::ProjectStatus::Active,
                    milestones: BTreeMap::new(),
                    members: BTreeMap::new(),
                });
            return;
        }
        let Some(project) = event.project_id().and_then(|id| self.projects.get_mut(&id)) else {
            return;
        };
        match event {
            Event::ProjectRenamed(e) => project.name.clone_from(&e.name),
            Event::MilestoneAdded(e) => {
                project
                    .milestones
                    .entry(e.milestone_id)
                    .or_insert_with(|| Milestone {
                        name: e.name.clone(),
                        due_date: e.due_date,
                        completed: false,
                    });
            }
            Event::MilestoneMoved(e) => {
                if let Some(milestone) = project.milestones.get_mut(&e.milestone_id) {
                    milestone.due_date = e.due_date;
                }
            }
            Event::MilestoneCompleted(e) => {
                if let Some(milestone) = project.milestones.get_mut(&e.milestone_id) {
                    milestone.completed = true;
                }
            }
            Event::MemberLeftProject(e) => {
                project.members.remove(&e.member_id);
            }
            Event::ProjectStatusChanged(e) => project.status = e.status,
            _ => {}
        }
    }
}

pub(crate) fn member_entry(
    members: &mut HashMap<MemberId, MemberView>,
    id: MemberId,
) -> &mut MemberView {
    members.entry(id).or_insert_with(|| MemberView::unknown(id))
}

pub(crate) fn deduplicated(mut tags: Vec<String>) -> Vec<String> {
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// Hours from a payload: finite and not negative, whatever the log holds.
pub(crate) fn sane_hours(hours: f64) -> f64 {
    if hours.is_finite() {
        hours.max(0.0)
    } else {
        0.0
    }
}
