//! What a simulation hands back: the commands to publish, and the truth to score predictions by.

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use uuid::Uuid;

/// One command, ready to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct SimCommand {
    /// Business time; also the envelope's `occurred_at`.
    pub occurred_at: DateTime<Utc>,
    /// `<aggregate>.<verb>`, as in the envelope and the subject.
    pub command_type: &'static str,
    pub command_id: Uuid,
    /// `{command_id, type, actor, occurred_at, payload}` as the public contract has it.
    pub envelope: Value,
}

/// The truth about one started task.
///
/// Durations are elapsed business-time hours (by `occurred_at`) from the task's first start to
/// its last completion, a reopening included.
#[derive(Clone, Debug, PartialEq)]
pub struct TruthRow {
    pub task_id: Uuid,
    pub project_id: Uuid,
    /// Who started it.
    pub member_id: Uuid,
    /// The estimate when it started.
    pub estimate_hours: f64,
    /// The true conditional median of the duration given everything the simulator knew at the
    /// start (hidden speed and difficulty, load, capacity, time off), but not the luck drawn
    /// then: the best predictor under absolute error.
    pub expected_hours: f64,
    /// `None` while not completed by the present.
    pub actual_hours: Option<f64>,
    pub started_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// The due date at the start, which is also the last one: due dates only move before.
    pub due_date: Option<DateTime<Utc>>,
    /// Completed after the due date; for a task still open, `Some(true)` once the due date has
    /// passed, else `None`; `None` without a due date.
    pub late: Option<bool>,
    /// `todo` (reopened), `in_progress`, `blocked`, `done` or `cancelled` at the present.
    pub status: &'static str,
    /// Blocked at least once by the present.
    pub blocked: bool,
    /// Reopened at least once by the present.
    pub reopened: bool,
}

/// A simulated history up to the present.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    /// In business-time order; each is accepted when handled in this order.
    pub commands: Vec<SimCommand>,
    /// One row per started task, by start time.
    pub truth: Vec<TruthRow>,
    pub present: DateTime<Utc>,
}

/// The header line of [`Simulation::truth_csv`].
pub const TRUTH_CSV_HEADER: &str = "task_id,project_id,member_id,estimate_hours,expected_hours,\
actual_hours,started_at,completed_at,due_date,late,status,blocked,reopened";

fn time(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Simulation {
    /// The truth as CSV: [`TRUTH_CSV_HEADER`], then one line per row; empty cells for `None`.
    pub fn truth_csv(&self) -> String {
        let mut out = String::with_capacity(200 * (self.truth.len() + 1));
        out.push_str(TRUTH_CSV_HEADER);
        out.push('\n');
        for row in &self.truth {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "{},{},{},{},{:.4},{},{},{},{},{},{},{},{}",
                row.task_id,
                row.project_id,
                row.member_id,
                row.estimate_hours,
                row.expected_hours,
                row.actual_hours
                    .map(|h| format!("{h:.4}"))
                    .unwrap_or_default(),
                time(&row.started_at),
                row.completed_at.as_ref().map(time).unwrap_or_default(),
                row.due_date.as_ref().map(time).unwrap_or_default(),
                row.late.map(|l| l.to_string()).unwrap_or_default(),
                row.status,
                row.blocked,
                row.reopened,
            );
        }
        out
    }
}
