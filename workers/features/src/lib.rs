//! The feature function: one fold of the event log that serves online and trains offline, so
//! that training and serving cannot drift apart; and the feature worker that keeps the feature
//! store with it.
//!
//! The feature function is pure: no async, no SQL, no NATS (every module but `store`, `worker`
//! and `serving`, which is the worker's pure bookkeeping). The feature worker
//! ([`FeatureWorker`], a `consumer::Projection`) folds the log through [`TrainingLog`] and writes
//! each batch's changed rows and new samples to the tables of [`store`], which the prediction
//! worker reads; `serving.rs` says why each row is computed as of the last event that changed it.
//!
//! A server feeds [`FeatureState::apply`] the live log (or [`FeatureState::apply_noting`] a
//! batch, then [`Changes::tasks_in`] once) and asks [`FeatureState::task_features`] for the tasks
//! it reports; the feature worker does so through [`TrainingLog::observe_noting`]; training feeds
//! [`TrainingLog::observe`] a replay of the whole log and reads [`TrainingLog::samples`]. All run
//! the same code.
//!
//! # Point in time
//!
//! Features are as of a point in time `as_of`: a feature never uses an event whose business time
//! (`occurred_at`) is after it, and time-based features (days to due, hours since start, age,
//! throughput) are measured to `as_of`, never to the wall clock. The state holds what was folded;
//! ask it as of its [`FeatureState::clock`] or later. A training sample's features are those a
//! fresh state fed only the events up to the run's start would give.
//!
//! # What is predicted
//!
//! (a) a run's elapsed hours from `task.started` to `task.completed` (business time, blocked
//! periods included), and (b) whether it completes after its due date. Assignment asks for the
//! features "as if member M were the assignee": [`FeatureState::task_features_for`]. A task never
//! counts in its own assignee's workload, so both questions measure members alike.
//!
//! # The features
//!
//! [`FEATURE_NAMES`] gives their order; [`FeatureRow`] documents each one. Every value is finite:
//! without history, smoothed means start at their prior. The leading ones follow the delay
//! literature (Choetkiertikul et al., EMSE 2017: the assignee's workload and past share of late
//! tasks), and evidence-based scheduling (each assignee's, label's and project's history of
//! actual against estimated time).
//!
//! - Overrun of a completed run: `ln((elapsed + 1) / (estimate at start + 1))`. Means are
//!   smoothed with 3 pseudo-observations of the global mean; the global mean has one of 0.
//! - Late share: completions after the due date in force at completion, `(late + 1) / (n + 4)`
//!   over the completions that had one.
//! - Cycle time: start to completion of a run; the p85 is over the project's last 100, falling
//!   back to the whole log's, then to 72 hours, while there are fewer than 5.
//! - Each completion counts: a task completed twice counts twice in every history.
//!
//! # Samples
//!
//! A sample is a run: the features as of its `task.started`, labelled at its `task.completed`
//! with the elapsed hours (blocked periods included) and whether it completed after the due date
//! known at the start. A reopened task started again makes a new sample; a cancelled task drops
//! its pending one. The snapshot holds every event of the start's instant, never the run's own
//! completion.
//!
//! [`schema_hash`] identifies the schema: a model trained on another is refused.
//!
//! # Cost
//!
//! Every event and every feature vector costs O(1) amortised, besides what the task itself names
//! (its dependencies, labels and skills): counters move incrementally, completions sit in a
//! per-project window, and each p85 is recomputed over at most 100 values only when a completion
//! enters its window.

pub mod calendar;
mod fold;
mod history;
mod schema;
mod serving;
mod state;
pub mod store;
mod training;
mod vector;
mod view;
mod worker;

#[cfg(test)]
mod testing;

pub use history::{
    CYCLE_WINDOW, CycleWindow, DEFAULT_CYCLE_P85_HOURS, MIN_CYCLES, OVERRUN_PRIOR_WEIGHT,
    OverrunStats, ProjectFlow, THROUGHPUT_WINDOW_DAYS, hours_between, log_overrun,
};
pub use schema::{FEATURE_NAMES, FEATURE_SCHEMA_VERSION, FeatureRow, Features, schema_hash};
pub use state::{Changes, FeatureState};
pub use training::{Sample, TrainingLog};
pub use vector::{
    DAYS_TO_DUE_RANGE, MAX_LOGGED_OVER_ESTIMATE, MIN_CAPACITY_HOURS_PER_WEEK, share_of_skills,
};
pub use view::{DEFAULT_CAPACITY_HOURS_PER_WEEK, MemberHistory, MemberView, ProjectView, TaskView};
pub use worker::FeatureWorker;
