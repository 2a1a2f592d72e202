//! The facts the projection stores, as plain rows: what `fold` changes, `write` saves and `read` loads.

use chrono::{DateTime, NaiveDate, Utc};
use domain::TaskStatus;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProjectRow {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MilestoneRow {
    pub project_id: Uuid,
    pub id: Uuid,
    pub name: String,
    pub due_date: NaiveDate,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MemberRow {
    pub id: Uuid,
    pub name: String,
    pub capacity_hours_per_week: f64,
}

/// A task as it stands after the events seen so far.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TaskRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub assignee: Option<Uuid>,
    pub estimate_hours: f64,
    /// The estimate the task was created with.
    pub original_estimate: f64,
    pub logged_hours: f64,
    pub labels: Vec<String>,
    pub milestone_id: Option<Uuid>,
    pub status: TaskStatus,
    /// While blocked, the status an unblock returns to (the domain's state machine needs it).
    pub blocked_from: Option<TaskStatus>,
    pub created_at: DateTime<Utc>,
    /// The first start (the earliest, by business time).
    pub started_at: Option<DateTime<Utc>>,
    /// The last completion; cleared by a reopen.
    pub completed_at: Option<DateTime<Utc>>,
    pub reopen_count: i32,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The latest predicted probability of finishing late, once predictions exist.
    pub risk: Option<f64>,
}

impl TaskRow {
    pub fn is_open(&self) -> bool {
        !self.status.is_closed()
    }
}

/// A change of a task's status; creation is one, from `None` to todo.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Transition {
    /// The log position of the event: a key that a rebuild reproduces exactly.
    pub position: i64,
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub from: Option<TaskStatus>,
    pub to: TaskStatus,
    pub occurred_at: DateTime<Utc>,
    /// The task's estimate at that moment.
    pub estimate_hours: f64,
}

/// A change of a project's scope: a task created, re-estimated or cancelled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScopeChange {
    pub position: i64,
    pub project_id: Uuid,
    pub milestone_id: Option<Uuid>,
    pub task_id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub delta_hours: f64,
    pub delta_tasks: i32,
}

/// Reads a status back from its stored name (the names are `TaskStatus::as_str`).
pub(crate) fn parse_status(s: &str) -> Option<TaskStatus> {
    TaskStatus::ALL
        .into_iter()
        .find(|status| status.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_name() {
        for status in TaskStatus::ALL {
            assert_eq!(parse_status(status.as_str()), Some(status));
        }
        assert_eq!(parse_status("archived"), None);
    }
}
