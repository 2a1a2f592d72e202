//! The pure part of `apply`: how each event changes the rows a batch works on.
//! No I/O: `Working` starts with the rows loaded for the batch and records what changed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use domain::{Event, Move, TaskId, TaskStatus, next_status};
use serde_json::json;
use uuid::Uuid;

use crate::rows::{MemberRow, Membership, MilestoneRow, ProjectRow, TaskRow};

/// The rows a batch works on, and which of them it changed.
#[derive(Debug, Default)]
pub struct Working {
    pub tasks: HashMap<Uuid, TaskRow>,
    pub projects: HashMap<Uuid, ProjectRow>,
    pub members: HashMap<Uuid, MemberRow>,
    pub milestones: HashMap<(Uuid, Uuid), MilestoneRow>,
    /// `(project_id, member_id)` → the membership after the batch, `None` when it ended.
    pub memberships: BTreeMap<(Uuid, Uuid), Option<Membership>>,
    pub changed_tasks: BTreeSet<Uuid>,
    pub changed_projects: BTreeSet<Uuid>,
    pub changed_members: BTreeSet<Uuid>,
    pub changed_milestones: BTreeSet<(Uuid, Uuid)>,
}

impl Working {
    /// Folds one event, which happened at `at` (business time) and sits at `position` in the log.
    /// Events about rows this projection never saw are skipped.
    pub fn apply(&mut self, event: &Event, at: DateTime<Utc>, position: i64) {
        use Event as E;
        match event {
            E::MemberRegistered(e) => self.add_member(MemberRow::registered(e, at)),
            E::MemberCapacityChanged(e) => self.member(e.member_id.0, at, |m| {
                m.capacity_hours_per_week = e.capacity_hours_per_week;
            }),
            // Time off shapes schedules, not boards.
            E::MemberTimeOffAdded(_) => {}
            E::ProjectCreated(e) => self.add_project(ProjectRow::created(e, at)),
            E::ProjectRenamed(e) => {
                self.project(e.project_id.0, at, |p| p.name.clone_from(&e.name))
            }
            E::ProjectStatusChanged(e) => self.project(e.project_id.0, at, |p| {
                p.status = e.status.as_str().to_owned();
            }),
            E::MemberJoinedProject(e) => {
                let joined = Membership {
                    role: e.role.clone(),
                    joined_at: at,
                };
                self.membership(e.project_id.0, e.member_id.0, Some(joined));
            }
            E::MemberLeftProject(e) => self.membership(e.project_id.0, e.member_id.0, None),
            E::MilestoneAdded(e) => self.add_milestone(MilestoneRow::added(e)),
            E::MilestoneMoved(e) => self.milestone(e.project_id.0, e.milestone_id.0, |m| {
                m.due_date = e.due_date;
            }),
            E::MilestoneCompleted(e) => self.milestone(e.project_id.0, e.milestone_id.0, |m| {
                m.completed = true;
                m.completed_at = Some(at);
            }),
            E::TaskCreated(e) => self.add_task(TaskRow::created(e, at, position)),
            E::TaskAssigned(e) => self.task(e.task_id, at, position, |t| {
                t.assignee = Some(e.member_id.0)
            }),
            E::TaskUnassigned(e) => self.task(e.task_id, at, position, |t| t.assignee = None),
            E::TaskStarted(e) => self.task(e.task_id, at, position, |t| take(t, Move::Start, at)),
            E::TaskBlocked(e) => self.task(e.task_id, at, position, |t| take(t, Move::Block, at)),
            E::TaskUnblocked(e) => {
                self.task(e.task_id, at, position, |t| take(t, Move::Unblock, at))
            }
            E::TaskCompleted(e) => {
                self.task(e.task_id, at, position, |t| take(t, Move::Complete, at))
            }
            E::TaskReopened(e) => self.task(e.task_id, at, position, |t| take(t, Move::Reopen, at)),
            E::TaskCancelled(e) => {
                self.task(e.task_id, at, position, |t| take(t, Move::Cancel, at))
            }
            E::TaskEstimateChanged(e) => self.task(e.task_id, at, position, |t| {
                t.estimate_hours = e.estimate_hours
            }),
            E::TaskDueDateChanged(e) => {
                self.task(e.task_id, at, position, |t| t.due_date = Some(e.due_date))
            }
            E::TaskDependencyAdded(e) => self.task(e.task_id, at, position, |t| {
                t.add_dependency(e.depends_on.0)
            }),
            E::TaskDependencyRemoved(e) => self.task(e.task_id, at, position, |t| {
                t.depends_on.retain(|dep| *dep != e.depends_on.0);
            }),
            E::TaskWorkLogged(e) => {
                self.task(e.task_id, at, position, |t| t.logged_hours += e.hours)
            }
            E::TaskForecasted(e) => self.predicted(e.task_id, position, |t| {
                t.forecast = Some(json!({
                    "duration_hours_p50": e.duration_hours_p50,
                    "duration_hours_p90": e.duration_hours_p90,
                    "expected_finish_p50": e.expected_finish_p50,
                    "expected_finish_p90": e.expected_finish_p90,
                    "model_version": e.model_version,
                    "as_of": e.as_of,
                }))
            }),
            E::TaskRiskAssessed(e) => self.predicted(e.task_id, position, |t| {
                t.risk = Some(e.late_probability);
                t.risk_detail = Some(json!({
                    "late_probability": e.late_probability,
                    "factors": e.factors,
                    "model_version": e.model_version,
                    "as_of": e.as_of,
                }))
            }),
            E::AssignmentRecommended(e) => self.predicted(e.task_id, position, |t| {
                t.recommendation = Some(json!({
                    "candidates": e.candidates,
                    "model_version": e.model_version,
                    "as_of": e.as_of,
                }))
            }),
            // Project forecasts are served by the schedules projection; model events by the
            // registry.
            E::ProjectForecasted(_) | E::ModelTrained(_) | E::ModelPromoted(_) => {}
        }
    }

    // Creations: a row that is already there was folded in before (a redelivery), and stays.

    fn add_task(&mut self, row: TaskRow) {
        if !self.tasks.contains_key(&row.task_id) {
            self.changed_tasks.insert(row.task_id);
            self.tasks.insert(row.task_id, row);
        }
    }

    fn add_project(&mut self, row: ProjectRow) {
        if !self.projects.contains_key(&row.project_id) {
            self.changed_projects.insert(row.project_id);
            self.projects.insert(row.project_id, row);
        }
    }

    fn add_member(&mut self, row: MemberRow) {
        if !self.members.contains_key(&row.member_id) {
            self.changed_members.insert(row.member_id);
            self.members.insert(row.member_id, row);
        }
    }

    /// A milestone of a project this projection never saw is skipped.
    fn add_milestone(&mut self, row: MilestoneRow) {
        let key = (row.project_id, row.milestone_id);
        if self.projects.contains_key(&row.project_id) && !self.milestones.contains_key(&key) {
            self.changed_milestones.insert(key);
            self.milestones.insert(key, row);
        }
    }

    /// Memberships are written whole (or deleted), not loaded; their project must be known.
    fn membership(&mut self, project: Uuid, member: Uuid, membership: Option<Membership>) {
        if self.projects.contains_key(&project) {
            self.memberships.insert((project, member), membership);
        }
    }

    // Changes of known rows.

    /// Changes a known task with an event it has not seen yet (redelivery changes nothing).
    fn task(
        &mut self,
        id: TaskId,
        at: DateTime<Utc>,
        position: i64,
        change: impl FnOnce(&mut TaskRow),
    ) {
        let Some(task) = self.tasks.get_mut(&id.0) else {
            return;
        };
        if position <= task.last_position {
            return;
        }
        change(task);
        task.updated_at = at;
        task.last_position = position;
        self.changed_tasks.insert(id.0);
    }

    /// A prediction about a known task: not a change of the task, so `updated_at` stays.
    fn predicted(&mut self, id: TaskId, position: i64, change: impl FnOnce(&mut TaskRow)) {
        let Some(task) = self.tasks.get_mut(&id.0) else {
            return;
        };
        if position <= task.last_position {
            return;
        }
        change(task);
        task.last_position = position;
        self.changed_tasks.insert(id.0);
    }

    fn project(&mut self, id: Uuid, at: DateTime<Utc>, change: impl FnOnce(&mut ProjectRow)) {
        let Some(project) = self.projects.get_mut(&id) else {
            return;
        };
        change(project);
        project.updated_at = at;
        self.changed_projects.insert(id);
    }

    fn member(&mut self, id: Uuid, at: DateTime<Utc>, change: impl FnOnce(&mut MemberRow)) {
        let Some(member) = self.members.get_mut(&id) else {
            return;
        };
        change(member);
        member.updated_at = at;
        self.changed_members.insert(id);
    }

    fn milestone(
        &mut self,
        project: Uuid,
        milestone: Uuid,
        change: impl FnOnce(&mut MilestoneRow),
    ) {
        let key = (project, milestone);
        let Some(row) = self.milestones.get_mut(&key) else {
            return;
        };
        change(row);
        self.changed_milestones.insert(key);
    }
}

/// A move of the domain's state machine, with the dates it sets. The log only holds allowed
/// moves; one the state machine refuses (a log this projection cannot explain) is ignored.
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
        Move::Reopen => {
            // A reopened task is not complete any more; it keeps its first start.
            task.reopen_count = task.reopen_count.saturating_add(1);
            task.completed_at = None;
        }
        Move::Block | Move::Unblock | Move::Cancel => {}
    }
}

#[cfg(test)]
#[path = "fold_tests.rs"]
mod tests;
