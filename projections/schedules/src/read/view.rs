//! What the read functions answer: the API serializes these as they are.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::plan::{Unscheduled, WeekPlan};

/// An open task with its planned dates.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScheduledTask {
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    /// `todo`, `in_progress` or `blocked`.
    pub status: String,
    pub assignee: Option<Uuid>,
    pub priority: i16,
    pub milestone_id: Option<Uuid>,
    pub due_date: Option<DateTime<Utc>>,
    /// Work planned: the predicted hours, else the estimate less the hours logged (at least 0.5).
    pub hours: f64,
    pub planned_start: DateTime<Utc>,
    pub planned_finish: DateTime<Utc>,
    /// The planned finish is after the due date.
    pub late: bool,
    /// The prediction worker's expected finish (median and 90th percentile), once predicted.
    pub forecast_finish_p50: Option<DateTime<Utc>>,
    pub forecast_finish_p90: Option<DateTime<Utc>>,
}

/// An open task the planner could not place, and why.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UnscheduledTask {
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub status: String,
    pub assignee: Option<Uuid>,
    pub hours: f64,
    pub reason: Unscheduled,
}

/// A member's open tasks across all projects, one at a time on their calendar.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberSchedule {
    pub member_id: Uuid,
    pub name: String,
    pub capacity_hours_per_week: f64,
    /// The day the plan starts from.
    pub as_of: NaiveDate,
    /// In planned order.
    pub tasks: Vec<ScheduledTask>,
    pub unscheduled: Vec<UnscheduledTask>,
    /// Dependency cycles met on the way (each cycle's task ids, sorted).
    pub cycles: Vec<Vec<Uuid>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MilestonePlan {
    pub milestone_id: Uuid,
    pub name: String,
    /// The planned date, as set on the project.
    pub due_date: NaiveDate,
    pub completed: bool,
    pub open_tasks: u32,
    /// When its last open task is planned to finish; none when it has no open task or one that
    /// could not be planned.
    pub planned_finish: Option<DateTime<Utc>>,
    /// The planned finish falls after the due date.
    pub late: bool,
    /// The 85th percentile of the forecast completion date, once predictions exist.
    pub forecast_p85: Option<NaiveDate>,
}

/// The longest chain of open tasks through dependencies, by hours.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CriticalPath {
    /// In the order the work is done.
    pub task_ids: Vec<Uuid>,
    pub hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProjectSchedule {
    pub project_id: Uuid,
    pub name: String,
    /// `active`, `on_hold` or `closed`.
    pub status: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub as_of: NaiveDate,
    /// When the last open task is planned to finish; none when there is no open task or one
    /// could not be planned.
    pub planned_finish: Option<DateTime<Utc>>,
    /// The planned finish falls after the deadline.
    pub late: bool,
    /// By due date.
    pub milestones: Vec<MilestonePlan>,
    /// The project's open tasks, in planned order.
    pub tasks: Vec<ScheduledTask>,
    pub unscheduled: Vec<UnscheduledTask>,
    pub weeks: Vec<WeekPlan>,
    pub critical_path: CriticalPath,
    pub cycles: Vec<Vec<Uuid>>,
}
