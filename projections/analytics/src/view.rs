//! The answers the read functions return, as the API serialises them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A project's analytics as of the end of one day (UTC), all by business time.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ProjectAnalytics {
    pub project_id: Uuid,
    pub name: String,
    pub as_of: NaiveDate,
    /// The first day of the daily series: the project's start date, or the day of its first event
    /// if that is earlier (at most ten years before `as_of`).
    pub from: NaiveDate,
    /// Tasks completed per ISO week, every week from `from` to `as_of`.
    pub throughput: Vec<WeekThroughput>,
    pub cycle_time: CycleTime,
    /// Tasks per status at the end of each day.
    pub cumulative_flow: Vec<FlowDay>,
    /// The whole project's done work and scope at the end of each day.
    pub burn_up: Vec<BurnUpDay>,
    pub burn_down: Vec<MilestoneBurnDown>,
    /// Open tasks in progress or blocked, oldest first.
    pub ageing_wip: Vec<AgeingTask>,
    pub estimate_accuracy: EstimateAccuracy,
    pub risk_distribution: RiskDistribution,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeekThroughput {
    /// ISO week, e.g. `2025-W09`.
    pub week: String,
    /// The Monday of the week.
    pub week_start: NaiveDate,
    /// Tasks whose last completion falls in the week and that are still done as of `as_of`.
    pub completed: u32,
}

/// Hours from a task's first start to its last completion, over the tasks done as of `as_of`.
/// Percentiles are nearest-rank: the smallest observed value with at least p% of values at or below it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CycleTime {
    pub count: u32,
    pub p50_hours: Option<f64>,
    pub p85_hours: Option<f64>,
    pub p95_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FlowDay {
    pub date: NaiveDate,
    pub todo: u32,
    pub in_progress: u32,
    pub blocked: u32,
    pub done: u32,
    pub cancelled: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BurnUpDay {
    pub date: NaiveDate,
    /// Estimates of the tasks done at the end of the day.
    pub done_hours: f64,
    pub done_tasks: i64,
    /// Estimates of every task not cancelled: created, re-estimated, minus cancelled.
    pub scope_hours: f64,
    pub scope_tasks: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MilestoneBurnDown {
    pub milestone_id: Uuid,
    pub name: String,
    pub due_date: NaiveDate,
    pub completed_at: Option<DateTime<Utc>>,
    /// Estimates of the milestone's open tasks (neither done nor cancelled) as of `as_of`.
    pub remaining_hours: f64,
    pub remaining_tasks: i64,
    /// One point per day from the series' start to the due date or `as_of`, whichever is first.
    pub days: Vec<BurnDownDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BurnDownDay {
    pub date: NaiveDate,
    pub remaining_hours: f64,
    pub remaining_tasks: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AgeingTask {
    pub task_id: Uuid,
    /// `in_progress` or `blocked`, as of `as_of`.
    pub status: String,
    pub assignee: Option<Uuid>,
    /// The task's first start.
    pub started_at: DateTime<Utc>,
    /// Hours from the first start to the end of `as_of`.
    pub age_hours: f64,
    /// Older than the project's 85th-percentile cycle time (false while there is none).
    pub over_p85: bool,
}

/// Logged hours against the original estimate (`ratio` = logged / estimate) of the tasks done as
/// of `as_of` that have hours logged; tasks with none logged are counted apart, not guessed at.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EstimateAccuracy {
    pub overall: AccuracyStats,
    /// Done tasks left out because no work was logged on them.
    pub without_logged_hours: u32,
    pub by_member: Vec<MemberAccuracy>,
    pub by_label: Vec<LabelAccuracy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AccuracyStats {
    pub count: u32,
    pub mean_ratio: Option<f64>,
    /// The middle ratio, or the mean of the two middle ones for an even count.
    pub median_ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MemberAccuracy {
    /// The task's assignee.
    pub member_id: Uuid,
    pub name: Option<String>,
    pub stats: AccuracyStats,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LabelAccuracy {
    pub label: String,
    pub stats: AccuracyStats,
}

/// Latest predicted late probability of the open tasks that have one, in ten buckets of 0.1.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RiskDistribution {
    pub tasks: u32,
    pub buckets: Vec<RiskBucket>,
}

/// Risks in `[from, to)`; the last bucket includes 1.0.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RiskBucket {
    pub from: f64,
    pub to: f64,
    pub count: u32,
}

/// A member's open work across all projects against their weekly capacity.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MemberLoad {
    pub member_id: Uuid,
    pub name: String,
    pub capacity_hours_per_week: f64,
    /// Assigned tasks neither done nor cancelled.
    pub open_tasks: u32,
    /// Sum over those tasks of what is left of the estimate: max(estimate − logged, 0).
    pub open_hours: f64,
    /// `open_hours / capacity_hours_per_week`: weeks of work; none when the capacity is 0.
    pub load_ratio: Option<f64>,
}

/// Sums and ratios of floats pick up noise (2.9999999999999996); answers carry six decimals.
pub(crate) fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
