//! Scheduling, pure: open tasks, member calendars and an `as_of` date in; planned starts and
//! finishes, cycles, the critical path and a weekly plan out. No I/O, no clock.
//!
//! The model: each member in `queued` works on one task at a time, on their calendar
//! (capacity over Monday to Friday, no time off), picking among the tasks that are ready (every
//! dependency finished) by priority, then due date, then creation order. Any other task
//! (unassigned, or assigned to a member whose queue is not being planned) is done as soon as
//! its dependencies allow, on its assignee's calendar or the standard one, without waiting for
//! other work. Nothing starts before `as_of` or its project's start date.

mod calendar;
mod graph;
mod simulate;
#[cfg(test)]
mod tests;
mod weeks;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

pub use calendar::{Calendar, STANDARD_HOURS_PER_WEEK};
pub use simulate::plan;
pub use weeks::{MAX_WEEKS, MAX_WEEKS_BEFORE_START, WeekPlan, week_number, weekly_plan};

/// The least work an open task is planned with, whatever its estimate and logged hours say.
pub const MIN_OPEN_TASK_HOURS: f64 = 0.5;

/// How far ahead of `as_of` the planner looks before it gives up on a task.
pub const HORIZON_DAYS: u64 = 366 * 60;

/// An open task as the planner sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanTask {
    pub id: Uuid,
    pub project_id: Uuid,
    pub assignee: Option<Uuid>,
    /// Work left, from [`work_hours`].
    pub hours: f64,
    pub priority: i16,
    pub due_date: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The log position of the task's creation: breaks ties of `created_at`.
    pub created_position: i64,
    /// Dependencies that are not in the input are taken as done.
    pub depends_on: Vec<Uuid>,
}

impl PlanTask {
    /// The order in which a member picks ready tasks: priority, due date (none last), creation.
    fn pick_order(&self) -> impl Ord + use<> {
        (
            self.priority,
            self.due_date.is_none(),
            self.due_date,
            self.created_at,
            self.created_position,
            self.id,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanInput {
    pub as_of: NaiveDate,
    pub tasks: Vec<PlanTask>,
    /// The members' calendars by id; an assignee without one works on the standard calendar.
    pub calendars: HashMap<Uuid, Calendar>,
    /// The members whose work is sequenced one task at a time.
    pub queued: BTreeSet<Uuid>,
    pub project_starts: HashMap<Uuid, NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub finish: DateTime<Utc>,
}

/// Why a task has no planned dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unscheduled {
    /// The task is part of a dependency cycle.
    InCycle,
    /// A dependency has no planned finish (a cycle, or work that cannot be planned).
    WaitsOnUnscheduled,
    /// Its member has no working hours.
    NoCapacity,
    /// It would finish more than [`HORIZON_DAYS`] after `as_of`.
    BeyondHorizon,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub slots: BTreeMap<Uuid, Slot>,
    pub unscheduled: BTreeMap<Uuid, Unscheduled>,
    /// Each cycle's task ids, sorted; cycles sorted.
    pub cycles: Vec<Vec<Uuid>>,
}

/// The hours to plan an open task with: the predicted hours where present, else the estimate
/// less the hours logged, and never less than [`MIN_OPEN_TASK_HOURS`].
pub fn work_hours(estimate_hours: f64, logged_hours: f64, predicted_hours: Option<f64>) -> f64 {
    let hours = match predicted_hours {
        Some(predicted) if predicted.is_finite() => predicted,
        _ => estimate_hours - logged_hours,
    };
    if hours.is_finite() {
        hours.max(MIN_OPEN_TASK_HOURS)
    } else {
        MIN_OPEN_TASK_HOURS
    }
}

/// The longest chain of tasks through dependencies by hours, among the tasks `among` accepts
/// (tasks in or behind a cycle are never on it): ids in the order the work is done, and hours.
pub fn critical_path(tasks: &[PlanTask], among: impl Fn(&PlanTask) -> bool) -> (Vec<Uuid>, f64) {
    let tasks = distinct(tasks);
    let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
    let graph = graph::Graph::new(&ids, |i| tasks[i].depends_on.clone());
    let weights: Vec<f64> = tasks.iter().map(|t| t.hours).collect();
    let mask: Vec<bool> = tasks.iter().map(|t| among(t)).collect();
    let (chain, hours) = graph.longest_chain(&weights, &mask);
    (chain.into_iter().map(|i| ids[i]).collect(), hours)
}

/// The tasks with each id once (the first wins), in input order.
fn distinct(tasks: &[PlanTask]) -> Vec<&PlanTask> {
    let mut seen = std::collections::HashSet::with_capacity(tasks.len());
    tasks.iter().filter(|t| seen.insert(t.id)).collect()
}
