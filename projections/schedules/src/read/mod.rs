//! The read functions the API calls: load rows, plan them, answer views.

mod forecast;
mod inputs;
mod member;
mod project;
mod view;

pub use forecast::project_forecast;
pub use member::member_schedule;
pub use project::project_schedule;
pub use view::{
    CriticalPath, MemberSchedule, MilestonePlan, ProjectSchedule, ScheduledTask, UnscheduledTask,
};
