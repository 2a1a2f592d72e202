//! Task events folded into task rows, status transitions and scope changes.

use chrono::{DateTime, Utc};
use domain::{Event, Move, TaskCreated, TaskStatus, next_status};
use uuid::Uuid;

use super::Fold;
use crate::model::{ScopeChange, TaskRow, Transition};

/// The task an event concerns, for the task events this projection follows.
pub(super) fn task_of(event: &Event) -> Option<Uuid> {
    let id = match event {
        Event::TaskCreated(e) => e.task_id,
        Event::TaskAssigned(e) => e.task_id,
        Event::TaskUnassigned(e) => e.task_id,
        Event::TaskStarted(e) | Event::TaskUnblocked(e) | Event::TaskCompleted(e) => e.task_id,
        Event::TaskBlocked(e) | Event::TaskReopened(e) | Event::TaskCancelled(e) => e.task_id,
        Event::TaskEstimateChanged(e) => e.task_id,
        Event::TaskWorkLogged(e) => e.task_id,
        _ => return None,
    };
    Some(id.0)
}

/// The state-machine move a status event records.
fn move_of(event: &Event) -> Option<Move> {
    Some(match event {
        Event::TaskStarted(_) => Move::Start,
        Event::TaskBlocked(_) => Move::Block,
        Event::TaskUnblocked(_) => Move::Unblock,
        Event::TaskCompleted(_) => Move::Complete,
        Event::TaskReopened(_) => Move::Reopen,
        Event::TaskCancelled(_) => Move::Cancel,
        _ => return None,
    })
}

impl Fold {
    pub(super) fn apply_task(&mut self, position: i64, at: DateTime<Utc>, event: &Event) {
        if let Event::TaskCreated(e) = event {
            self.create_task(position, at, e);
            return;
        }
        let Some(id) = task_of(event) else { return };
        let Some(task) = self.tasks.get_mut(&id) else {
            return;
        };
        let mut scope_delta = None;
        match event {
            Event::TaskAssigned(e) => task.assignee = Some(e.member_id.0),
            Event::TaskUnassigned(_) => task.assignee = None,
            Event::TaskEstimateChanged(e) => {
                let delta = e.estimate_hours - task.estimate_hours;
                task.estimate_hours = e.estimate_hours;
                // A closed task is out of the open scope already (the domain refuses this anyway).
                if delta != 0.0 && task.is_open() {
                    scope_delta = Some((delta, 0));
                }
            }
            Event::TaskWorkLogged(e) => task.logged_hours += e.hours,
            event => {
                let Some(step) = move_of(event) else { return };
                // The log only holds allowed moves; one that is not is skipped, not guessed at.
                let Some(next) = next_status(task.status, step, task.blocked_from) else {
                    return;
                };
                let from = task.status;
                task.blocked_from = (next == TaskStatus::Blocked).then_some(from);
                task.status = next;
                match step {
                    Move::Start => {
                        task.started_at = Some(task.started_at.map_or(at, |s| s.min(at)))
                    }
                    Move::Complete => task.completed_at = Some(at),
                    Move::Reopen => {
                        task.completed_at = None;
                        task.reopen_count = task.reopen_count.saturating_add(1);
                    }
                    Move::Cancel => {
                        task.cancelled_at = Some(at);
                        scope_delta = Some((-task.estimate_hours, -1));
                    }
                    Move::Block | Move::Unblock => {}
                }
                self.transitions
                    .push(transition(position, at, task, Some(from)));
            }
        }
        if let Some((delta_hours, delta_tasks)) = scope_delta {
            self.scope
                .push(scope_change(position, at, task, delta_hours, delta_tasks));
        }
        self.changed_tasks.insert(id);
    }

    fn create_task(&mut self, position: i64, at: DateTime<Utc>, e: &TaskCreated) {
        if self.tasks.contains_key(&e.task_id.0) {
            return;
        }
        let task = TaskRow {
            id: e.task_id.0,
            project_id: e.project_id.0,
            assignee: None,
            estimate_hours: e.estimate_hours,
            original_estimate: e.estimate_hours,
            logged_hours: 0.0,
            labels: e.labels.clone(),
            milestone_id: e.milestone_id.map(|m| m.0),
            status: TaskStatus::Todo,
            blocked_from: None,
            created_at: at,
            started_at: None,
            completed_at: None,
            reopen_count: 0,
            cancelled_at: None,
            risk: None,
        };
        self.transitions.push(transition(position, at, &task, None));
        self.scope
            .push(scope_change(position, at, &task, task.estimate_hours, 1));
        self.changed_tasks.insert(task.id);
        self.created_tasks.insert(task.id);
        self.tasks.insert(task.id, task);
    }
}

fn transition(
    position: i64,
    at: DateTime<Utc>,
    task: &TaskRow,
    from: Option<TaskStatus>,
) -> Transition {
    Transition {
        position,
        task_id: task.id,
        project_id: task.project_id,
        milestone_id: task.milestone_id,
        from,
        to: task.status,
        occurred_at: at,
        estimate_hours: task.estimate_hours,
    }
}

fn scope_change(
    position: i64,
    at: DateTime<Utc>,
    task: &TaskRow,
    delta_hours: f64,
    delta_tasks: i32,
) -> ScopeChange {
    ScopeChange {
        position,
        project_id: task.project_id,
        milestone_id: task.milestone_id,
        task_id: task.id,
        occurred_at: at,
        delta_hours,
        delta_tasks,
    }
}
