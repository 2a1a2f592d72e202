//! The task aggregate: its state machine, its state and how its events change it.

mod decide;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub(crate) use self::decide::{create, decide};
use crate::event::{Event, TaskCreated};
use crate::ids::{MemberId, MilestoneId, ProjectId, TaskId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Todo,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::Todo,
        TaskStatus::InProgress,
        TaskStatus::Blocked,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            TaskStatus::Todo => "todo",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Done or cancelled: the task's plan can no longer change.
    pub fn is_closed(&self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Cancelled)
    }
}

/// The moves of the task state machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Start,
    Block,
    Unblock,
    Complete,
    Reopen,
    Cancel,
}

impl Move {
    pub const ALL: [Move; 6] = [
        Move::Start,
        Move::Block,
        Move::Unblock,
        Move::Complete,
        Move::Reopen,
        Move::Cancel,
    ];

    /// The verb as in the command type, for messages.
    pub fn as_str(&self) -> &'static str {
        match self {
            Move::Start => "start",
            Move::Block => "block",
            Move::Unblock => "unblock",
            Move::Complete => "complete",
            Move::Reopen => "reopen",
            Move::Cancel => "cancel",
        }
    }
}

/// The state machine, in one place: where `step` leads from `from`, `None` when forbidden.
/// `todo → in_progress → done`, `blocked` beside `in_progress` (and reachable from `todo`),
/// `reopen` from `done` back to `todo`, `cancelled` from anywhere but `done`.
/// `unblock` returns to `blocked_from`, the status the task was blocked in.
pub fn next_status(
    from: TaskStatus,
    step: Move,
    blocked_from: Option<TaskStatus>,
) -> Option<TaskStatus> {
    use TaskStatus::{Blocked, Cancelled, Done, InProgress, Todo};
    match (from, step) {
        (Todo, Move::Start) => Some(InProgress),
        (Todo | InProgress, Move::Block) => Some(Blocked),
        (Blocked, Move::Unblock) => Some(blocked_from.unwrap_or(InProgress)),
        (InProgress, Move::Complete) => Some(Done),
        (Done, Move::Reopen) => Some(Todo),
        (Todo | InProgress | Blocked, Move::Cancel) => Some(Cancelled),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TaskState {
    pub id: TaskId,
    pub project_id: ProjectId,
    pub title: String,
    pub description: Option<String>,
    pub status: TaskStatus,
    /// The status to return to on unblock, while blocked.
    pub blocked_from: Option<TaskStatus>,
    pub assignee: Option<MemberId>,
    pub estimate_hours: f64,
    pub priority: u8,
    pub labels: Vec<String>,
    pub skills: Vec<String>,
    pub depends_on: BTreeSet<TaskId>,
    pub milestone_id: Option<MilestoneId>,
    pub due_date: Option<DateTime<Utc>>,
    pub reopen_count: u32,
    pub logged_hours: f64,
}

impl TaskState {
    pub(crate) fn created(e: &TaskCreated) -> Self {
        TaskState {
            id: e.task_id,
            project_id: e.project_id,
            title: e.title.clone(),
            description: e.description.clone(),
            status: TaskStatus::Todo,
            blocked_from: None,
            assignee: None,
            estimate_hours: e.estimate_hours,
            priority: e.priority,
            labels: e.labels.clone(),
            skills: e.skills.clone(),
            depends_on: e
                .depends_on
                .iter()
                .copied()
                .filter(|dep| *dep != e.task_id)
                .collect(),
            milestone_id: e.milestone_id,
            due_date: e.due_date,
            reopen_count: 0,
            logged_hours: 0.0,
        }
    }

    /// Where `step` would lead this task, `None` when the state machine forbids it.
    pub fn after(&self, step: Move) -> Option<TaskStatus> {
        next_status(self.status, step, self.blocked_from)
    }

    fn take(&mut self, step: Move) {
        let Some(next) = self.after(step) else { return };
        self.blocked_from = (next == TaskStatus::Blocked).then_some(self.status);
        self.status = next;
        if step == Move::Reopen {
            self.reopen_count = self.reopen_count.saturating_add(1);
        }
    }

    /// Applies one of this task's events; anything else leaves it as it is.
    pub(crate) fn apply(&mut self, event: &Event) {
        if event.stream() != crate::StreamId::task(self.id) {
            return;
        }
        match event {
            Event::TaskAssigned(e) => self.assignee = Some(e.member_id),
            Event::TaskUnassigned(_) => self.assignee = None,
            Event::TaskStarted(_) => self.take(Move::Start),
            Event::TaskBlocked(_) => self.take(Move::Block),
            Event::TaskUnblocked(_) => self.take(Move::Unblock),
            Event::TaskCompleted(_) => self.take(Move::Complete),
            Event::TaskReopened(_) => self.take(Move::Reopen),
            Event::TaskCancelled(_) => self.take(Move::Cancel),
            Event::TaskEstimateChanged(e) => self.estimate_hours = e.estimate_hours,
            Event::TaskDueDateChanged(e) => self.due_date = Some(e.due_date),
            Event::TaskDependencyAdded(e) if e.depends_on != self.id => {
                self.depends_on.insert(e.depends_on);
            }
            Event::TaskDependencyRemoved(e) => {
                self.depends_on.remove(&e.depends_on);
            }
            Event::TaskWorkLogged(e) => self.logged_hours += e.hours,
            _ => {}
        }
    }
}
