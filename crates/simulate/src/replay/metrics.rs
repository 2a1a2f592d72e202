//! The replay's scores: lateness over the tasks every policy can be judged on, and the spread
//! of the members' load.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::{PolicyRun, TaskOutcome};

/// One policy's figures over the compared tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct PolicyScore {
    pub policy: String,
    /// Tasks compared: the same ones for every policy.
    pub tasks: usize,
    pub late: usize,
    /// `late / tasks`; 0 without tasks.
    pub late_share: f64,
    /// Mean hours after the due date, over the late tasks.
    pub mean_hours_late_when_late: Option<f64>,
    /// Mean hours after the due date, over all compared tasks (0 for those on time).
    pub mean_hours_late: f64,
    /// The mean over weeks of the coefficient of variation of open hours over capacity across
    /// the members in open projects: 0 is perfectly even.
    pub load_cv: Option<f64>,
}

/// A task is judged when it was not cancelled and its due date has passed by the present: it
/// was then either done by its due date or not, whatever happens later.
fn judged(task: &TaskOutcome, present: DateTime<Utc>) -> Option<DateTime<Utc>> {
    task.due.filter(|due| !task.cancelled && *due <= present)
}

/// Hours after the due date: to the completion, or to the present while not done.
fn hours_late(task: &TaskOutcome, due: DateTime<Utc>, present: DateTime<Utc>) -> f64 {
    let end = task.completed_at.unwrap_or(present);
    ((end - due).num_seconds() as f64 / 3600.0).max(0.0)
}

/// Scores each run on the tasks judged in all of them, so the comparison is paired.
pub fn score(runs: &[PolicyRun]) -> Vec<PolicyScore> {
    let mut judged_in = BTreeMap::<(u32, u32), usize>::new();
    for run in runs {
        for task in &run.tasks {
            if judged(task, run.present).is_some() {
                *judged_in.entry(task.key).or_default() += 1;
            }
        }
    }
    let common: BTreeSet<(u32, u32)> = judged_in
        .into_iter()
        .filter(|&(_, n)| n == runs.len())
        .map(|(key, _)| key)
        .collect();
    runs.iter().map(|run| score_run(run, &common)).collect()
}

fn score_run(run: &PolicyRun, common: &BTreeSet<(u32, u32)>) -> PolicyScore {
    let late_hours: Vec<f64> = run
        .tasks
        .iter()
        .filter(|task| common.contains(&task.key))
        .filter_map(|task| Some(hours_late(task, judged(task, run.present)?, run.present)))
        .collect();
    let tasks = late_hours.len();
    let late: Vec<f64> = late_hours.iter().copied().filter(|h| *h > 0.0).collect();
    let total: f64 = late.iter().sum();
    PolicyScore {
        policy: run.policy.clone(),
        tasks,
        late: late.len(),
        late_share: if tasks == 0 {
            0.0
        } else {
            late.len() as f64 / tasks as f64
        },
        mean_hours_late_when_late: (!late.is_empty()).then(|| total / late.len() as f64),
        mean_hours_late: if tasks == 0 {
            0.0
        } else {
            total / tasks as f64
        },
        load_cv: mean_weekly_cv(&run.weekly_load),
    }
}

/// Standard deviation (of the population) over the mean; `None` for fewer than two values or a
/// mean that is not positive.
pub fn coefficient_of_variation(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if mean <= 0.0 {
        return None;
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    Some(variance.sqrt() / mean)
}

/// The mean of the weeks' coefficients of variation, over the weeks that have one.
pub fn mean_weekly_cv(weeks: &[Vec<f64>]) -> Option<f64> {
    let cvs: Vec<f64> = weeks
        .iter()
        .filter_map(|w| coefficient_of_variation(w))
        .collect();
    (!cvs.is_empty()).then(|| cvs.iter().sum::<f64>() / cvs.len() as f64)
}

#[cfg(test)]
mod tests;
