//! The same seeded workload played under several assignment policies, for a paired comparison.
//!
//! The plan (projects, their sizes and starts) is the one [`crate::simulate`] sizes for the
//! config. Every play then draws each task's attributes, planned changes and luck from streams
//! keyed by the task, and every other happening's from a stream keyed by what and when (common
//! random numbers), so a task is the same task with the same luck under every policy; what
//! differs is who gets it at creation, and what follows from that (queues, hand-overs, who pulls
//! which backlog task, who is free to join a new project's team, and so its plan). Even the planner's own policy
//! is replayed this way, so its figures differ from the default history's.

mod metrics;

use chrono::{DateTime, Utc};
use domain::TaskStatus;

pub use self::metrics::{PolicyScore, coefficient_of_variation, mean_weekly_cv, score};
use crate::assignment::AssignmentPolicy;
use crate::clock::{WEEK, to_datetime};
use crate::config::SimConfig;
use crate::engine::Engine;
use crate::history::{replay_play, sized_play};

/// What became of one task in one play.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskOutcome {
    /// The same task under every policy: its project's and its own place in the plan.
    pub key: (u32, u32),
    /// The due date at the present.
    pub due: Option<DateTime<Utc>>,
    /// The last completion, if done for good by the present.
    pub completed_at: Option<DateTime<Utc>>,
    pub cancelled: bool,
}

/// One policy's play.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyRun {
    pub policy: String,
    /// Every task created, in creation order.
    pub tasks: Vec<TaskOutcome>,
    /// Weekly, per member in an open project: open estimated hours over weekly capacity.
    pub weekly_load: Vec<Vec<f64>>,
    pub present: DateTime<Utc>,
}

/// Plays `config`'s workload once per policy, in order. Deterministic for a config and the
/// policies' own determinism.
pub fn replay(config: &SimConfig, policies: Vec<AssignmentPolicy>) -> Vec<PolicyRun> {
    let present = config.present.timestamp();
    let begin = present - i64::from(config.history_weeks()) * WEEK;
    let (_, tasks) = sized_play(config.seed, begin, present, config.target_events.max(1));
    policies
        .into_iter()
        .map(|policy| {
            let name = policy.name().to_owned();
            let engine = replay_play(config.seed, begin, present, tasks, policy);
            outcome(name, engine, config.present)
        })
        .collect()
}

fn outcome(policy: String, engine: Engine, present: DateTime<Utc>) -> PolicyRun {
    let tasks = engine
        .tasks
        .iter()
        .map(|task| TaskOutcome {
            key: (task.project, task.ordinal),
            due: task.due.map(to_datetime),
            completed_at: task
                .run
                .as_ref()
                .and_then(|run| run.completed_at)
                .filter(|_| task.status == TaskStatus::Done)
                .map(to_datetime),
            cancelled: task.status == TaskStatus::Cancelled,
        })
        .collect();
    PolicyRun {
        policy,
        tasks,
        weekly_load: engine.load_samples,
        present,
    }
}
