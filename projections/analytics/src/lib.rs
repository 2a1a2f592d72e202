//! The analytics projection: throughput, cycle time, cumulative flow, burn-up and burn-down, estimate accuracy, load.
//!
//! `apply` stores facts (tasks, status transitions, scope changes, members, milestones,
//! projects); the read functions compute every answer from them at read time with the pure
//! functions of `metrics`. Definitions, so that the numbers can be checked by hand:
//!
//! - **Time** is business time (`occurred_at`). "As of D" means at the end of day D in UTC:
//!   everything that happened on D counts; an age is measured to midnight after D.
//! - **Daily series** run from the project's start date (or its first event, if earlier) to D.
//! - **Throughput** counts, per ISO week, the tasks done as of D in the week of their last
//!   completion (a reopened task counts once, when it last finished).
//! - **Cycle time** is first start → last completion, in hours, over the tasks done as of D;
//!   percentiles are nearest-rank (an observed value: rank ⌈p·n/100⌉).
//! - **Burn-up** scope is the estimate of every task created, as re-estimated, less those
//!   cancelled; done is the estimate of the tasks done. **Burn-down** remaining is scope less done.
//! - **Estimate accuracy** is logged hours / original estimate of the done tasks with hours
//!   logged (elapsed time is never used as a stand-in); per assignee and per label.
//! - **Member load** is Σ max(estimate − logged, 0) over open assigned tasks, across projects,
//!   divided by the weekly capacity.

mod apply;
mod fold;
mod metrics;
mod model;
mod projection;
mod read;
mod rows;
mod view;

pub use projection::Analytics;
pub use read::{member_load, project_analytics};
pub use view::{
    AccuracyStats, AgeingTask, BurnDownDay, BurnUpDay, CycleTime, EstimateAccuracy, FlowDay,
    LabelAccuracy, MemberAccuracy, MemberLoad, MilestoneBurnDown, ProjectAnalytics, RiskBucket,
    RiskDistribution, WeekThroughput,
};
