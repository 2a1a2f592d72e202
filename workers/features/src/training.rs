//! Training samples, built by the same fold that serves: the features of a task as of the moment
//! a run starts, labelled when that run completes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::{Event, MemberId, Move, ProjectId, TaskId, TaskStatus};
use serde::{Deserialize, Serialize};

use crate::history::hours_between;
use crate::schema::Features;
use crate::state::{Changes, FeatureState};

/// One completed run: what was known when it started, and how it ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub task_id: TaskId,
    pub project_id: ProjectId,
    /// The assignee as of the start.
    pub member_id: Option<MemberId>,
    pub started_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    /// Log positions of the start and of the completion, for splitting by time.
    pub start_position: i64,
    pub completed_position: i64,
    /// The features as of `started_at`.
    pub features: Features,
    /// Label: business hours from start to completion, blocked periods included.
    pub duration_hours: f64,
    /// The estimate as of the start.
    pub estimate_hours: f64,
    /// The due date as of the start.
    pub due_date: Option<DateTime<Utc>>,
    /// Label: completed after `due_date`; `None` without one.
    pub late: Option<bool>,
    /// Hours from the start to `due_date`.
    pub hours_to_due_at_start: Option<f64>,
}

/// What a started run waits for.
#[derive(Debug)]
struct Run {
    started_at: DateTime<Utc>,
    start_position: i64,
    /// Taken once every event of the start's instant is folded (see [`TrainingLog::observe`]).
    snapshot: Option<Snapshot>,
}

#[derive(Debug)]
struct Snapshot {
    features: Features,
    member_id: Option<MemberId>,
    estimate_hours: f64,
    due_date: Option<DateTime<Utc>>,
}

/// Replays a log into training samples with its own [`FeatureState`].
///
/// - A run starts with `task.started` and ends with `task.completed`, which makes a sample. A
///   reopened task started again makes a new sample, from that start to the next completion.
/// - `task.cancelled` drops the pending run: no sample.
/// - Blocked periods count in the elapsed time.
/// - The snapshot is as of the start's business time: it holds every event with an `occurred_at`
///   at or before it, including those that follow the start in the log at the same instant, but
///   never the run's own completion, even at that instant.
#[derive(Debug, Default)]
pub struct TrainingLog {
    state: FeatureState,
    samples: Vec<Sample>,
    runs: HashMap<TaskId, Run>,
    /// Runs started at `pending_at` whose snapshot waits for the instant to end.
    pending: Vec<TaskId>,
    pending_at: Option<DateTime<Utc>>,
    /// Reused by [`TrainingLog::observe`]; training needs no change notes.
    changes: Changes,
}

impl TrainingLog {
    pub fn new() -> Self {
        Self::default()
    }

    /// Folds the next event of the log (in log order, with its business time and position).
    pub fn observe(&mut self, event: &Event, occurred_at: DateTime<Utc>, global_position: i64) {
        let mut changes = std::mem::take(&mut self.changes);
        self.observe_noting(event, occurred_at, global_position, &mut changes);
        changes.clear();
        self.changes = changes;
    }

    /// [`TrainingLog::observe`], noting in `changes` what the event changed, as
    /// [`FeatureState::apply_noting`] does: the feature worker serves from the very fold that
    /// makes the samples.
    pub fn observe_noting(
        &mut self,
        event: &Event,
        occurred_at: DateTime<Utc>,
        global_position: i64,
        changes: &mut Changes,
    ) {
        if self.pending_at.is_some_and(|at| at != occurred_at) {
            self.snapshot_pending();
        }
        let completing = match event {
            Event::TaskCompleted(e) => self
                .state
                .task(e.task_id)
                .filter(|task| task.after(Move::Complete).is_some())
                .map(|task| task.id),
            _ => None,
        };
        if let Some(task) = completing {
            self.snapshot(task);
        }
        let before = self.status(event);
        self.state.fold(event, occurred_at, changes);
        let after = self.status(event);
        if before == after {
            return;
        }
        match event {
            Event::TaskStarted(e) => {
                self.runs.insert(
                    e.task_id,
                    Run {
                        started_at: occurred_at,
                        start_position: global_position,
                        snapshot: None,
                    },
                );
                self.pending.push(e.task_id);
                self.pending_at = Some(occurred_at);
            }
            Event::TaskCompleted(e) => {
                if let Some(run) = self.runs.remove(&e.task_id) {
                    self.label(e.task_id, e.project_id, run, occurred_at, global_position);
                }
            }
            Event::TaskCancelled(e) => {
                self.runs.remove(&e.task_id);
            }
            _ => {}
        }
    }

    /// Completed samples, in completion order.
    pub fn samples(&self) -> &[Sample] {
        &self.samples
    }

    pub fn into_samples(self) -> Vec<Sample> {
        self.samples
    }

    /// Takes the samples completed so far, leaving none: a worker that stores them as they
    /// come keeps no copy in memory.
    pub fn take_samples(&mut self) -> Vec<Sample> {
        std::mem::take(&mut self.samples)
    }

    /// The state folded so far: what serving would hold at this point of the log.
    pub fn state(&self) -> &FeatureState {
        &self.state
    }

    /// The state, for the feature worker alone: it sets the log-wide statistics back to an
    /// earlier instant to compute rows as of it, and puts them back (`serving/generations.rs`).
    /// Nothing else may change the state outside the fold.
    pub(crate) fn state_mut(&mut self) -> &mut FeatureState {
        &mut self.state
    }

    /// The status of the task a run event names.
    fn status(&self, event: &Event) -> Option<TaskStatus> {
        let task = match event {
            Event::TaskStarted(e) | Event::TaskCompleted(e) => e.task_id,
            Event::TaskCancelled(e) => e.task_id,
            _ => return None,
        };
        self.state.task(task).map(|task| task.status)
    }

    fn snapshot_pending(&mut self) {
        for task in std::mem::take(&mut self.pending) {
            self.snapshot(task);
        }
        self.pending_at = None;
    }

    fn snapshot(&mut self, task_id: TaskId) {
        let (Some(run), Some(task)) = (self.runs.get_mut(&task_id), self.state.task(task_id))
        else {
            return;
        };
        if run.snapshot.is_some() {
            return;
        }
        let features = self.state.task_features(task_id, run.started_at);
        run.snapshot = features.map(|features| Snapshot {
            features,
            member_id: task.assignee,
            estimate_hours: task.estimate_hours,
            due_date: task.due_date,
        });
    }

    fn label(
        &mut self,
        task_id: TaskId,
        project_id: ProjectId,
        run: Run,
        completed_at: DateTime<Utc>,
        completed_position: i64,
    ) {
        let Some(snapshot) = run.snapshot else {
            return;
        };
        self.samples.push(Sample {
            task_id,
            project_id,
            member_id: snapshot.member_id,
            started_at: run.started_at,
            completed_at,
            start_position: run.start_position,
            completed_position,
            features: snapshot.features,
            duration_hours: hours_between(run.started_at, completed_at).max(0.0),
            estimate_hours: snapshot.estimate_hours,
            due_date: snapshot.due_date,
            late: snapshot.due_date.map(|due| completed_at > due),
            hours_to_due_at_start: snapshot
                .due_date
                .map(|due| hours_between(run.started_at, due)),
        });
    }
}

#[cfg(test)]
mod tests;
