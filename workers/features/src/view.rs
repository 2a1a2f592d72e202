//! What the fold keeps per task, member and project, readable by the prediction worker.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    MemberId, Milestone, MilestoneId, Move, ProjectId, ProjectStatus, TaskId, TaskStatus,
    next_status,
};

use crate::history::OverrunStats;

/// Weekly capacity assumed for a member the log assigns work to before registering them.
pub const DEFAULT_CAPACITY_HOURS_PER_WEEK: f64 = 40.0;

/// A task as folded so far.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskView {
    pub id: TaskId,
    pub project_id: ProjectId,
    pub milestone_id: Option<MilestoneId>,
    pub status: TaskStatus,
    /// The status to return to on unblock, while blocked.
    pub blocked_from: Option<TaskStatus>,
    pub assignee: Option<MemberId>,
    pub estimate_hours: f64,
    /// 1 is the highest priority, 4 the lowest.
    pub priority: u8,
    /// Trimmed and lower-cased, as skills and labels are compared.
    pub labels: Vec<String>,
    /// Trimmed and lower-cased.
    pub skills: Vec<String>,
    /// Tasks this one waits for.
    pub depends_on: BTreeSet<TaskId>,
    /// Tasks that wait for this one.
    pub dependents: BTreeSet<TaskId>,
    pub due_date: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The start of the current run: `None` before the first start and again after a reopen.
    pub started_at: Option<DateTime<Utc>>,
    /// The estimate when the current run started, which completion compares the run against.
    pub estimate_at_start: f64,
    /// When the current run completed: `None` unless done.
    pub completed_at: Option<DateTime<Utc>>,
    pub logged_hours: f64,
    pub reopen_count: u32,
    pub due_date_changes: u32,
    pub estimate_changes: u32,
}

impl TaskView {
    /// Neither done nor cancelled.
    pub fn is_open(&self) -> bool {
        !self.status.is_closed()
    }

    /// Where `step` would lead the task, `None` when the state machine forbids it.
    pub fn after(&self, step: Move) -> Option<TaskStatus> {
        next_status(self.status, step, self.blocked_from)
    }

    /// Estimate in thousandths of an hour: the unit member workloads add up in, so that sums
    /// and differences are exact whatever the order.
    pub(crate) fn estimate_millis(&self) -> i64 {
        hours_to_millis(self.estimate_hours)
    }
}

/// A member as folded so far, with their workload in every project.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberView {
    pub id: MemberId,
    /// False for a member the log named before registering them.
    pub registered: bool,
    pub name: String,
    /// Trimmed and lower-cased.
    pub skills: Vec<String>,
    pub capacity_hours_per_week: f64,
    /// Days away, `(from, to)` with both days included.
    pub time_off: Vec<(NaiveDate, NaiveDate)>,
    /// Open tasks assigned to the member, in every project.
    pub open_tasks: BTreeSet<TaskId>,
    /// How many of `open_tasks` are in progress.
    pub in_progress_tasks: u32,
    pub(crate) open_estimate_millis: i64,
    pub history: MemberHistory,
}

impl MemberView {
    pub(crate) fn unknown(id: MemberId) -> Self {
        MemberView {
            id,
            registered: false,
            name: String::new(),
            skills: Vec::new(),
            capacity_hours_per_week: DEFAULT_CAPACITY_HOURS_PER_WEEK,
            time_off: Vec::new(),
            open_tasks: BTreeSet::new(),
            in_progress_tasks: 0,
            open_estimate_millis: 0,
            history: MemberHistory::default(),
        }
    }

    /// The estimates of the member's open tasks, summed.
    pub fn open_estimate_hours(&self) -> f64 {
        millis_to_hours(self.open_estimate_millis)
    }
}

/// What a member's completed runs tell.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MemberHistory {
    /// Runs completed while assigned to the member.
    pub completed: u32,
    /// Of those, the ones that had a due date at completion.
    pub with_due_date: u32,
    /// Of those, the ones completed after it.
    pub late: u32,
    pub overrun: OverrunStats,
}

impl MemberHistory {
    /// `(late + 1) / (with_due_date + 4)`: 0.25 without history.
    pub fn late_share(&self) -> f64 {
        (f64::from(self.late) + 1.0) / (f64::from(self.with_due_date) + 4.0)
    }
}

/// A project's plan as folded so far.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectView {
    pub id: ProjectId,
    pub name: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub status: ProjectStatus,
    pub milestones: BTreeMap<MilestoneId, Milestone>,
    /// Members and their role in the project.
    pub members: BTreeMap<MemberId, Option<String>>,
}

/// Skills and labels are compared trimmed and lower-cased.
pub(crate) fn normalized(tags: &[String]) -> Vec<String> {
    tags.iter().map(|tag| tag.trim().to_lowercase()).collect()
}

pub(crate) fn hours_to_millis(hours: f64) -> i64 {
    if hours.is_finite() {
        // Estimates are at most 10,000 hours; the cast saturates far beyond.
        (hours.max(0.0) * 1000.0).round() as i64
    } else {
        0
    }
}

pub(crate) fn millis_to_hours(millis: i64) -> f64 {
    millis as f64 / 1000.0
}
