//! Assignment recommendations judged on replay: the simulated workload of `bench ml` played
//! once per assignment policy (the simulated planner, Jira's balanced workload, and the
//! product's recommendation), with the same tasks and the same luck under each, scored by
//! lateness and by the spread of the members' load.
//!
//! The recommendation is the product's rule, [`predictor::rank_members`]'s top member, with the
//! predicted hours from the product's baseline predictor, as `predictor::duration::Baseline`
//! computes it from the features: the estimate times the member's smoothed historical overrun,
//! and, for a member lacking a skill the task asks for, times what such runs overran more than
//! the others (`assignee_skill_gap_log_overrun`). Its inputs are folded from the completed runs
//! the replay shows, with the log-wide means over the members met so far as the priors; each
//! queued task is weighed by the same prediction less the time since its start. Not the trained
//! model: that needs the whole feature vector of a replayed log at each decision, which the
//! simulator does not build.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use predictor::duration::{Baseline, hours_from_log};
use predictor::{AssignmentCandidate, AssignmentRequest, QueuedWork, rank_members};
use simulate::{
    AssigneeRanking, AssignmentPolicy, CandidateView, OpenTaskView, PolicyScore, SimConfig,
    TaskView,
};
use uuid::Uuid;

use super::table::Table;

/// The seed of `bench ml`'s workload, for `bench assign` run alone.
pub const STANDALONE_SEED: u64 = 7;
/// A fixed present, so that the figures do not move with the weekday the bench runs on.
const PRESENT: &str = "2026-03-02T12:00:00Z";
const RECOMMENDED: &str = "recommended (rank_members, baseline predictor)";

/// [`run`] for each seed.
pub fn run_seeds(seeds: &[u64], events: usize) -> anyhow::Result<()> {
    seeds.iter().try_for_each(|&seed| run(seed, events))
}

/// Replays `events` commands' worth of the seeded workload under each policy and prints the
/// comparison.
pub fn run(seed: u64, events: usize) -> anyhow::Result<()> {
    let present = DateTime::parse_from_rfc3339(PRESENT)?.with_timezone(&Utc);
    let started = Instant::now();
    let runs = simulate::replay(&SimConfig::new(seed, events, present), policies());
    let scores = simulate::score(&runs);
    print(
        &scores,
        &format!(
            "bench ml: assignment on replay (seed {seed}, {events} commands, one replay per policy, {:.1} s)",
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(())
}

fn policies() -> Vec<AssignmentPolicy> {
    vec![
        AssignmentPolicy::Planner,
        AssignmentPolicy::BalancedWorkload,
        AssignmentPolicy::Ranked(Box::new(Recommended::default())),
    ]
}

fn print(scores: &[PolicyScore], title: &str) {
    let mut table = Table::new(&[
        "policy",
        "tasks",
        "late",
        "late share",
        "mean h late (late ones)",
        "mean h late (all)",
        "load CV",
    ]);
    for s in scores {
        table.row(vec![
            s.policy.clone(),
            s.tasks.to_string(),
            s.late.to_string(),
            format!("{:.3}", s.late_share),
            s.mean_hours_late_when_late
                .map_or_else(|| "-".into(), |h| format!("{h:.1}")),
            format!("{:.1}", s.mean_hours_late),
            s.load_cv
                .map_or_else(|| "-".into(), |cv| format!("{cv:.3}")),
        ]);
    }
    let find = |name: &str| scores.iter().find(|s| s.policy == name);
    if let (Some(recommended), Some(balanced)) = (find(RECOMMENDED), find("balanced workload")) {
        table.row(vec![
            "target: recommended less late than balanced".into(),
            String::new(),
            String::new(),
            verdict(recommended.late_share < balanced.late_share),
            String::new(),
            verdict(recommended.mean_hours_late < balanced.mean_hours_late),
            String::new(),
        ]);
    }
    table.print(title);
    println!(
        "tasks: not cancelled, due by the present under every policy; late: done after the due date or still open; \
         load CV: weekly coefficient of variation of open estimated hours / capacity across members, averaged"
    );
}

fn verdict(met: bool) -> String {
    if met { "met" } else { "NOT met" }.into()
}

/// The product's recommendation from what the log shows: [`rank_members`] with the hours of
/// the baseline predictor.
#[derive(Default)]
struct Recommended {
    /// Per member, the completed runs folded so far.
    histories: HashMap<Uuid, Folded>,
    /// Every member's folded so far: the log-wide means.
    log: Folded,
}

impl Recommended {
    /// The member's history, folding in the runs completed since last asked (into the log's
    /// too).
    fn folded(&mut self, candidate: &CandidateView<'_>) -> Folded {
        let folded = self.histories.entry(candidate.member).or_default();
        for run in &candidate.history[folded.runs..] {
            let overrun = features::log_overrun(run.elapsed_hours, run.estimate_hours);
            for into in [&mut *folded, &mut self.log] {
                into.all.add(overrun);
                if run.skill_match < 1.0 {
                    into.lacking.add(overrun);
                } else {
                    into.skilled.add(overrun);
                }
            }
        }
        folded.runs = candidate.history.len();
        *folded
    }
}

/// Log overruns of a member's completed runs: all, with all the task's skills, lacking some.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Folded {
    runs: usize,
    all: Mean,
    skilled: Mean,
    lacking: Mean,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Mean {
    count: usize,
    sum: f64,
}

impl Mean {
    fn add(&mut self, value: f64) {
        self.count += 1;
        self.sum += value;
    }

    /// With `weight` pseudo-observations of `prior`, as the feature worker smooths.
    fn smoothed(self, prior: f64, weight: f64) -> f64 {
        (self.sum + weight * prior) / (self.count as f64 + weight)
    }
}

impl AssigneeRanking for Recommended {
    fn name(&self) -> &str {
        RECOMMENDED
    }

    fn choose(&mut self, task: &TaskView, candidates: &[CandidateView<'_>]) -> Option<usize> {
        let folded: Vec<Folded> = candidates.iter().map(|c| self.folded(c)).collect();
        // As the feature worker computes `assignee_log_overrun` (smoothed toward the log's mean,
        // itself with one pseudo-observation of 0) and `assignee_skill_gap_log_overrun`.
        let prior = self.log.all.smoothed(0.0, 1.0);
        let weight = features::OVERRUN_PRIOR_WEIGHT;
        let skill_gap =
            self.log.lacking.smoothed(prior, weight) - self.log.skilled.smoothed(prior, weight);
        // The baseline's log ratio for a member on a task of this skill match.
        let log_ratio = |history: &Folded, skill_match: f64| {
            history.all.smoothed(prior, weight) + skill_gap * f64::from(u8::from(skill_match < 1.0))
        };
        let request = AssignmentRequest {
            as_of: task.now,
            estimate_hours: task.estimate_hours,
            priority: task.priority,
            due: task.due,
            candidates: candidates
                .iter()
                .zip(&folded)
                .map(|(c, history)| {
                    let skill_match = skill_match(task, c);
                    AssignmentCandidate {
                        member: c.member,
                        capacity_hours_per_week: c.capacity_hours_per_week,
                        queued_open_hours: c.queued_open_hours,
                        queue: c
                            .open
                            .iter()
                            .map(|open| {
                                queued_work(task.now, open, log_ratio(history, open.skill_match))
                            })
                            .collect(),
                        predicted_hours: baseline_hours(
                            task.estimate_hours,
                            log_ratio(history, skill_match),
                        ),
                        skill_match,
                    }
                })
                .collect(),
        };
        let top = rank_members(&request).into_iter().next()?;
        candidates.iter().position(|c| c.member == top.member)
    }
}

/// A queued task as the prediction worker weighs it: the hours left of its forecast for the
/// member (here the baseline's), less the time since its start.
fn queued_work(now: DateTime<Utc>, open: &OpenTaskView, log_ratio: f64) -> QueuedWork {
    let since_start = open
        .started_at
        .map_or(0.0, |at| (now - at).num_milliseconds() as f64 / 3_600_000.0);
    QueuedWork {
        priority: open.priority,
        due: open.due,
        started: open.started_at.is_some(),
        hours_left: (baseline_hours(open.estimate_hours, log_ratio) - since_start.max(0.0))
            .max(0.0),
    }
}

/// The baseline predictor's hours, as `predictor::duration::Baseline` computes them: the
/// estimate times the exponential of the log overrun ratio.
fn baseline_hours(estimate: f64, ratio: f64) -> f64 {
    let baseline = Baseline {
        estimate_col: 0,
        assignee_ratio_col: 1,
        skill_gap_col: None,
    };
    hours_from_log(baseline.log_hours(&[estimate, ratio]))
}

/// The share of the task's skills the member has, as the feature worker measures it.
fn skill_match(task: &TaskView, candidate: &CandidateView<'_>) -> f64 {
    features::share_of_skills(&task.skills, |skill| candidate.skills.contains(skill))
}

#[cfg(test)]
mod tests;
