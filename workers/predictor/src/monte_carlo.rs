//! Monte Carlo completion forecast of a project from its remaining tasks.
//!
//! Each run draws a duration for every remaining task and schedules the tasks:
//! - a task starts once all its remaining dependencies have finished (dependencies that are not
//!   among the remaining tasks are done, hence satisfied);
//! - a member works on at most `lanes = max(1, round(capacity_hours_per_week / 20))` tasks at
//!   once; a task takes the member's lane that frees up first;
//! - unassigned tasks (and tasks of someone not in `members`) take the earliest free lane of the
//!   project's pool, which is all members' lanes (one lane when the project has no members);
//! - among the tasks whose dependencies are scheduled, the one that can start earliest goes
//!   first (started tasks, then input order, on ties);
//! - a started task needs only what remains: a draw conditional on exceeding the hours already
//!   elapsed (by rejection), or 1 hour when no draw exceeds them;
//! - with [`ForecastInput::scope_growth`], each run also draws how many tasks the project will
//!   add per open task (one ratio of the list, so a run's growth is one draw), and adds that
//!   many unassigned tasks without dependencies or milestone, each as long as a draw for a
//!   remaining task picked at random, ready at once (they compete for the lanes like the
//!   remaining tasks, so they can delay a milestone too, as added work does).
//!
//! Runs are scheduled on the duration model's clock: with [`ForecastInput::working_hours`],
//! durations, the time started tasks have run, and the finish of each run are working hours from
//! `as_of`, turned into dates through the team's working calendar at the end (so a task queued
//! behind others crosses the weekends its own start meets, and members' time off is not
//! modelled); without it they are elapsed hours. Dependency cycles are an error found before any
//! run.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use crate::calendar::{RunCalendar, WorkingHours};
use crate::metrics::quantiles;
use schedule::Plan;
pub use schedule::{HOURS_PER_LANE, lanes_for};

/// Rejection tries for the remaining duration of a started task.
const CONDITIONAL_TRIES: usize = 16;
/// Remaining hours of a started task that has outlived every draw.
const MIN_REMAINING_HOURS: f64 = 1.0;
/// At most this many added tasks per open task, whatever the growth learned.
const MAX_GROWTH_PER_TASK: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RemainingTask {
    pub id: Uuid,
    pub milestone: Option<Uuid>,
    pub depends_on: Vec<Uuid>,
    pub assignee: Option<Uuid>,
    /// Hours since the task was started, on the forecast's clock (working hours with
    /// [`ForecastInput::working_hours`]); 0 for a task not started.
    pub already_elapsed_hours: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: Uuid,
    pub capacity_hours_per_week: f64,
}

impl Member {
    /// A member whose open work is also in other projects gives this one only its share of
    /// their capacity: `open_hours_here` of their `open_hours_everywhere` (estimate hours);
    /// all of it when nothing waits for them elsewhere.
    pub fn in_project(
        id: Uuid,
        capacity_hours_per_week: f64,
        open_hours_here: f64,
        open_hours_everywhere: f64,
    ) -> Self {
        let share = if open_hours_everywhere > open_hours_here && open_hours_everywhere > 0.0 {
            (open_hours_here.max(0.0) / open_hours_everywhere).min(1.0)
        } else {
            1.0
        };
        Self {
            id,
            capacity_hours_per_week: capacity_hours_per_week * share,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: Uuid,
    pub due: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastInput {
    pub tasks: Vec<RemainingTask>,
    pub members: Vec<Member>,
    /// Milestones with their due dates; milestones named only by tasks are forecast too.
    pub milestones: Vec<Milestone>,
    pub as_of: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub runs: usize,
    pub seed: u64,
    /// The working calendar the durations are measured on; `None` for elapsed hours.
    pub working_hours: Option<WorkingHours>,
    /// Tasks the project will add per open task, to draw from (`scope::ScopeGrowth`); empty
    /// for no growth.
    #[serde(default)]
    pub scope_growth: Vec<f64>,
}

/// Draws the full duration (hours) of task `index` of [`ForecastInput::tasks`].
pub trait DurationSampler {
    fn sample_hours(&self, index: usize, rng: &mut StdRng) -> f64;
}

impl<F: Fn(usize, &mut StdRng) -> f64> DurationSampler for F {
    fn sample_hours(&self, index: usize, rng: &mut StdRng) -> f64 {
        self(index, rng)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Percentiles {
    pub p50: DateTime<Utc>,
    pub p85: DateTime<Utc>,
    pub p95: DateTime<Utc>,
}

/// Where the P85 completion lies against a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// P85 at or before the deadline, or no deadline.
    OnTrack,
    /// P50 at or before the deadline, P85 after it.
    AtRisk,
    /// P50 after the deadline.
    OffTrack,
}

impl Health {
    pub fn of(completion: &Percentiles, deadline: Option<DateTime<Utc>>) -> Self {
        match deadline {
            None => Health::OnTrack,
            Some(d) if completion.p85 <= d => Health::OnTrack,
            Some(d) if completion.p50 <= d => Health::AtRisk,
            Some(_) => Health::OffTrack,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Health::OnTrack => "on_track",
            Health::AtRisk => "at_risk",
            Health::OffTrack => "off_track",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneForecast {
    pub milestone: Uuid,
    pub due: Option<DateTime<Utc>>,
    pub completion: Percentiles,
    pub health: Health,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletionForecast {
    pub as_of: DateTime<Utc>,
    pub deadline: Option<DateTime<Utc>>,
    pub completion: Percentiles,
    pub health: Health,
    pub milestones: Vec<MilestoneForecast>,
    pub runs: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ForecastError {
    #[error("dependency cycle among remaining tasks: {0:?}")]
    Cycle(Vec<Uuid>),
    #[error("task {0} appears twice")]
    DuplicateTask(Uuid),
    #[error("a forecast needs at least one run")]
    NoRuns,
}

/// Runs the simulation; deterministic for a seed.
pub fn forecast(
    input: &ForecastInput,
    sampler: &impl DurationSampler,
) -> Result<CompletionForecast, ForecastError> {
    if input.runs == 0 {
        return Err(ForecastError::NoRuns);
    }
    let open = input.tasks.len();
    let growth: Vec<f64> = input
        .scope_growth
        .iter()
        .map(|&r| if r.is_finite() { r.max(0.0) } else { 0.0 })
        .collect();
    let most = growth.iter().copied().fold(0.0, f64::max);
    let extra = ((most * open as f64).round() as usize).min(MAX_GROWTH_PER_TASK * open);
    let with_growth = (extra > 0).then(|| with_added_tasks(input, extra));
    let input = with_growth.as_ref().unwrap_or(input);
    let plan = Plan::new(input)?;
    let milestone_ids = milestone_order(input);
    let mut rng = StdRng::seed_from_u64(input.seed);
    let mut project_hours = Vec::with_capacity(input.runs);
    let milestone_index: HashMap<Uuid, usize> = milestone_ids
        .iter()
        .enumerate()
        .map(|(k, &id)| (id, k))
        .collect();
    let milestone_of: Vec<Option<usize>> = input
        .tasks
        .iter()
        .map(|t| t.milestone.and_then(|m| milestone_index.get(&m).copied()))
        .collect();
    let mut milestone_hours = vec![Vec::with_capacity(input.runs); milestone_ids.len()];
    let mut milestone_done = vec![0.0_f64; milestone_ids.len()];
    let mut durations = vec![0.0; input.tasks.len()];
    for _ in 0..input.runs {
        for (i, task) in input.tasks[..open].iter().enumerate() {
            durations[i] = remaining_hours(sampler, i, task.already_elapsed_hours, &mut rng);
        }
        if extra > 0 {
            let ratio = growth[rng.random_range(0..growth.len())];
            let added = ((ratio * open as f64).round() as usize).min(extra);
            for (k, duration) in durations[open..].iter_mut().enumerate() {
                *duration = if k < added {
                    remaining_hours(sampler, rng.random_range(0..open), 0.0, &mut rng)
                } else {
                    0.0
                };
            }
        }
        let finish = plan.schedule(&durations);
        project_hours.push(finish.iter().copied().fold(0.0, f64::max));
        milestone_done.fill(0.0);
        for (&k, &f) in milestone_of.iter().zip(&finish) {
            if let Some(k) = k {
                milestone_done[k] = milestone_done[k].max(f);
            }
        }
        for (hours, &done) in milestone_hours.iter_mut().zip(&milestone_done) {
            hours.push(done);
        }
    }
    let completion = percentiles(input, &project_hours);
    let due_of: HashMap<Uuid, Option<DateTime<Utc>>> =
        input.milestones.iter().map(|m| (m.id, m.due)).collect();
    let milestones = milestone_ids
        .iter()
        .zip(&milestone_hours)
        .map(|(&id, hours)| {
            let completion = percentiles(input, hours);
            let due = due_of.get(&id).copied().flatten();
            MilestoneForecast {
                milestone: id,
                due,
                completion,
                health: Health::of(&completion, due),
            }
        })
        .collect();
    Ok(CompletionForecast {
        as_of: input.as_of,
        deadline: input.deadline,
        completion,
        health: Health::of(&completion, input.deadline),
        milestones,
        runs: input.runs,
    })
}

/// `input` with `extra` tasks appended for the growth: unassigned, waiting for nothing, in no
/// milestone. A run that adds fewer gives the rest no duration, which delays nothing.
fn with_added_tasks(input: &ForecastInput, extra: usize) -> ForecastInput {
    let taken: HashSet<Uuid> = input.tasks.iter().map(|t| t.id).collect();
    let mut added = input.clone();
    added.tasks.extend(
        (0u64..)
            .map(|k| Uuid::from_u64_pair(u64::MAX, k))
            .filter(|id| !taken.contains(id))
            .take(extra)
            .map(|id| RemainingTask {
                id,
                milestone: None,
                depends_on: Vec::new(),
                assignee: None,
                already_elapsed_hours: 0.0,
            }),
    );
    added
}

fn remaining_hours(
    sampler: &impl DurationSampler,
    index: usize,
    elapsed: f64,
    rng: &mut StdRng,
) -> f64 {
    let draw = |rng: &mut StdRng| {
        let hours = sampler.sample_hours(index, rng);
        if hours.is_finite() && hours > 0.0 {
            hours
        } else {
            crate::duration::MIN_HOURS
        }
    };
    if elapsed.is_nan() || elapsed <= 0.0 {
        return draw(rng);
    }
    let mut longest: f64 = 0.0;
    for _ in 0..CONDITIONAL_TRIES {
        let hours = draw(rng);
        if hours > elapsed {
            return hours - elapsed;
        }
        longest = longest.max(hours);
    }
    // The task has run past nearly all of its predicted durations: it is slower than the model
    // believed. Stretch the distribution so that its longest draw meets the time already
    // spent, and draw what is left from that.
    (draw(rng) * elapsed / longest.max(crate::duration::MIN_HOURS)).max(MIN_REMAINING_HOURS)
}

/// Milestones in input order, then those only tasks name, in task order.
fn milestone_order(input: &ForecastInput) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    input
        .milestones
        .iter()
        .map(|m| m.id)
        .chain(input.tasks.iter().filter_map(|t| t.milestone))
        .filter(|id| seen.insert(*id))
        .collect()
}

fn percentiles(input: &ForecastInput, hours: &[f64]) -> Percentiles {
    let q = quantiles(hours, &[0.5, 0.85, 0.95]).unwrap_or_else(|| vec![0.0; 3]);
    let calendar = input
        .working_hours
        .map(|working| RunCalendar::team(working, input.as_of));
    let at = |h: f64| {
        let elapsed = calendar.map_or(h, |c| c.elapsed_hours(h));
        input.as_of + Duration::milliseconds((elapsed * 3_600_000.0).round() as i64)
    };
    Percentiles {
        p50: at(q[0]),
        p85: at(q[1]),
        p95: at(q[2]),
    }
}

mod schedule;
#[cfg(test)]
mod tests;
