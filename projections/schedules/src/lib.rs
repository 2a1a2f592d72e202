//! The schedules projection: milestones, weekly plans, capacity-aware member schedules, the critical path.
//!
//! `apply` keeps the `schedules_*` tables current from the log (load, fold in memory, write
//! set-wise); the read functions load rows and hand them to the pure planner in [`plan`].

mod fold;
mod load;
pub mod plan;
mod projection;
mod read;
mod rows;
mod write;

/// View types the answers contain, re-exported for the API's OpenAPI document.
pub use plan::{Unscheduled, WeekPlan};
pub use projection::Schedules;
pub use read::{
    CriticalPath, MemberSchedule, MilestonePlan, ProjectSchedule, ScheduledTask, UnscheduledTask,
    member_schedule, project_forecast, project_schedule,
};
