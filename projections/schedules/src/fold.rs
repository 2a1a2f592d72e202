//! Folding a batch of events into the rows it touches: pure, no I/O. The caller loads the
//! rows named by [`keys`], folds the whole batch, then writes back what [`Changed`] lists.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Event, Move, TaskStatus, next_status};
use uuid::Uuid;

use crate::rows::{MemberRow, MilestoneRow, ProjectRow, TaskRow};

/// The rows a batch reads before folding: projects, milestones (by milestone id), members, tasks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Keys {
    pub projects: BTreeSet<Uuid>,
    pub milestones: BTreeSet<Uuid>,
    pub members: BTreeSet<Uuid>,
    pub tasks: BTreeSet<Uuid>,
}

pub fn keys<'a>(events: impl IntoIterator<Item = &'a Event>) -> Keys {
    let mut keys = Keys::default();
    for event in events {
        match event {
            Event::MemberRegistered(e) => keys.members.insert(e.member_id.0),
            Event::MemberCapacityChanged(e) => keys.members.insert(e.member_id.0),
            Event::ProjectCreated(e) => keys.projects.insert(e.project_id.0),
            Event::ProjectRenamed(e) => keys.projects.insert(e.project_id.0),
            Event::ProjectStatusChanged(e) => keys.projects.insert(e.project_id.0),
            Event::MilestoneAdded(e) => keys.milestones.insert(e.milestone_id.0),
            Event::MilestoneMoved(e) => keys.milestones.insert(e.milestone_id.0),
            Event::MilestoneCompleted(e) => keys.milestones.insert(e.milestone_id.0),
            // Time off and memberships are written from the batch alone.
            Event::MemberTimeOffAdded(_)
            | Event::MemberJoinedProject(_)
            | Event::MemberLeftProject(_) => false,
            task_event => match task_id(task_event) {
                Some(id) => keys.tasks.insert(id),
                None => false,
            },
        };
    }
    keys
}

fn task_id(event: &Event) -> Option<Uuid> {
    let id = match event {
        Event::TaskCreated(e) => e.task_id,
        Event::TaskAssigned(e) => e.task_id,
        Event::TaskUnassigned(e) => e.task_id,
        Event::TaskStarted(e) | Event::TaskUnblocked(e) | Event::TaskCompleted(e) => e.task_id,
        Event::TaskBlocked(e) | Event::TaskReopened(e) | Event::TaskCancelled(e) => e.task_id,
        Event::TaskEstimateChanged(e) => e.task_id,
        Event::TaskDueDateChanged(e) => e.task_id,
        Event::TaskDependencyAdded(e) | Event::TaskDependencyRemoved(e) => e.task_id,
        Event::TaskWorkLogged(e) => e.task_id,
        Event::TaskForecasted(e) => e.task_id,
        _ => return None,
    };
    Some(id.0)
}

/// The keys of the rows a fold changed, to be written back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changed {
    pub projects: BTreeSet<Uuid>,
    pub milestones: BTreeSet<(Uuid, Uuid)>,
    pub members: BTreeSet<Uuid>,
    pub tasks: BTreeSet<Uuid>,
}

/// The rows a batch touches, as loaded and then as folded.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub projects: BTreeMap<Uuid, ProjectRow>,
    /// By (project, milestone).
    pub milestones: BTreeMap<(Uuid, Uuid), MilestoneRow>,
    pub members: BTreeMap<Uuid, MemberRow>,
    pub tasks: BTreeMap<Uuid, TaskRow>,
    /// (member, from, to) added by the batch.
    pub time_off: BTreeSet<(Uuid, NaiveDate, NaiveDate)>,
    /// (project, member) → `Some(role)` joined, `None` left: the last word of the batch.
    pub memberships: BTreeMap<(Uuid, Uuid), Option<Option<String>>>,
    /// Project → its latest forecast in the batch and the position it came from.
    pub forecasts: BTreeMap<Uuid, (serde_json::Value, i64)>,
    pub changed: Changed,
}

impl Rows {
    /// Folds one event that occurred at `at` and was logged at `position`. Events about rows
    /// never seen (or never loaded) change nothing.
    pub fn apply(&mut self, event: &Event, at: DateTime<Utc>, position: i64) {
        match event {
            Event::MemberRegistered(e) => {
                let row = MemberRow {
                    id: e.member_id.0,
                    name: e.name.clone(),
                    capacity_hours_per_week: e.capacity_hours_per_week,
                };
                self.members.insert(row.id, row);
                self.changed.members.insert(e.member_id.0);
            }
            Event::MemberCapacityChanged(e) => {
                if let Some(member) = self.members.get_mut(&e.member_id.0) {
                    member.capacity_hours_per_week = e.capacity_hours_per_week;
                    self.changed.members.insert(e.member_id.0);
                }
            }
            Event::MemberTimeOffAdded(e) => {
                self.time_off.insert((e.member_id.0, e.from, e.to));
            }
            Event::ProjectCreated(e) => {
                let row = ProjectRow {
                    id: e.project_id.0,
                    name: e.name.clone(),
                    start_date: e.start_date,
                    deadline: e.deadline,
                    status: domain::ProjectStatus::Active.as_str().to_owned(),
                };
                self.projects.insert(row.id, row);
                self.changed.projects.insert(e.project_id.0);
            }
            Event::ProjectRenamed(e) => {
                self.project(e.project_id.0, |p| p.name.clone_from(&e.name))
            }
            Event::ProjectStatusChanged(e) => self.project(e.project_id.0, |p| {
                e.status.as_str().clone_into(&mut p.status)
            }),
            Event::MilestoneAdded(e) => {
                let key = (e.project_id.0, e.milestone_id.0);
                let row = MilestoneRow {
                    project_id: key.0,
                    id: key.1,
                    name: e.name.clone(),
                    due_date: e.due_date,
                    completed: false,
                };
                self.milestones.insert(key, row);
                self.changed.milestones.insert(key);
            }
            Event::MilestoneMoved(e) => self.milestone((e.project_id.0, e.milestone_id.0), |m| {
                m.due_date = e.due_date
            }),
            Event::MilestoneCompleted(e) => {
                self.milestone((e.project_id.0, e.milestone_id.0), |m| m.completed = true)
            }
            Event::MemberJoinedProject(e) => {
                self.memberships
                    .insert((e.project_id.0, e.member_id.0), Some(e.role.clone()));
            }
            Event::MemberLeftProject(e) => {
                self.memberships
                    .insert((e.project_id.0, e.member_id.0), None);
            }
            Event::TaskCreated(e) => {
                let row = created(e, at, position);
                self.tasks.insert(row.id, row);
                self.changed.tasks.insert(e.task_id.0);
            }
            // Written whole: the latest forecast replaces the one before.
            Event::ProjectForecasted(e) => {
                let forecast = serde_json::to_value(e).unwrap_or_default();
                self.forecasts.insert(e.project_id.0, (forecast, position));
            }
            other => self.apply_to_task(other, at),
        }
    }

    fn apply_to_task(&mut self, event: &Event, at: DateTime<Utc>) {
        let Some(id) = task_id(event) else { return };
        let Some(task) = self.tasks.get_mut(&id) else {
            return;
        };
        match event {
            Event::TaskAssigned(e) => task.assignee = Some(e.member_id.0),
            Event::TaskUnassigned(_) => task.assignee = None,
            Event::TaskStarted(_) => take(task, Move::Start, at),
            Event::TaskBlocked(_) => take(task, Move::Block, at),
            Event::TaskUnblocked(_) => take(task, Move::Unblock, at),
            Event::TaskCompleted(_) => take(task, Move::Complete, at),
            Event::TaskReopened(_) => take(task, Move::Reopen, at),
            Event::TaskCancelled(_) => take(task, Move::Cancel, at),
            Event::TaskEstimateChanged(e) => task.estimate_hours = e.estimate_hours,
            Event::TaskDueDateChanged(e) => task.due_date = Some(e.due_date),
            Event::TaskDependencyAdded(e) => {
                if e.depends_on.0 != id
                    && let Err(slot) = task.depends_on.binary_search(&e.depends_on.0)
                {
                    task.depends_on.insert(slot, e.depends_on.0);
                }
            }
            Event::TaskDependencyRemoved(e) => task.depends_on.retain(|d| *d != e.depends_on.0),
            Event::TaskWorkLogged(e) => task.logged_hours += e.hours,
            Event::TaskForecasted(e) => {
                task.forecast_finish_p50 = Some(e.expected_finish_p50);
                task.forecast_finish_p90 = Some(e.expected_finish_p90);
            }
            _ => return,
        }
        self.changed.tasks.insert(id);
    }

    fn project(&mut self, id: Uuid, change: impl FnOnce(&mut ProjectRow)) {
        if let Some(project) = self.projects.get_mut(&id) {
            change(project);
            self.changed.projects.insert(id);
        }
    }

    fn milestone(&mut self, key: (Uuid, Uuid), change: impl FnOnce(&mut MilestoneRow)) {
        if let Some(milestone) = self.milestones.get_mut(&key) {
            change(milestone);
            self.changed.milestones.insert(key);
        }
    }
}

fn created(e: &domain::TaskCreated, at: DateTime<Utc>, position: i64) -> TaskRow {
    let mut depends_on: Vec<Uuid> = e
        .depends_on
        .iter()
        .map(|d| d.0)
        .filter(|d| *d != e.task_id.0)
        .collect();
    depends_on.sort_unstable();
    depends_on.dedup();
    TaskRow {
        id: e.task_id.0,
        project_id: e.project_id.0,
        title: e.title.clone(),
        status: TaskStatus::Todo,
        blocked_from: None,
        assignee: None,
        estimate_hours: e.estimate_hours,
        logged_hours: 0.0,
        priority: i16::from(e.priority),
        milestone_id: e.milestone_id.map(|m| m.0),
        due_date: e.due_date,
        depends_on,
        created_at: at,
        created_position: position,
        started_at: None,
        completed_at: None,
        predicted_hours: None,
        forecast_finish_p50: None,
        forecast_finish_p90: None,
    }
}

/// A move of the task state machine (the domain's own rules); one it forbids changes nothing.
/// `started_at` is the first start, `completed_at` the last completion (cleared on reopen).
fn take(task: &mut TaskRow, step: Move, at: DateTime<Utc>) {
    let Some(next) = next_status(task.status, step, task.blocked_from) else {
        return;
    };
    task.blocked_from = (next == TaskStatus::Blocked).then_some(task.status);
    task.status = next;
    match step {
        Move::Start => {
            task.started_at.get_or_insert(at);
        }
        Move::Complete => task.completed_at = Some(at),
        Move::Reopen => task.completed_at = None,
        _ => {}
    }
}

#[cfg(test)]
mod tests;
