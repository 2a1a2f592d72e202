//! Assignment recommendations judged on replay: the simulated workload of `bench ml` played
//! once per assignment policy (the simulated planner, Jira's balanced workload, and the
//! product's recommendation), with the same tasks and the same luck under each, scored by
//! lateness and by the spread of the members' load.
//!
//! The recommendation is the product's rule, [`predictor::rank_members`]'s top member, with the
//! predicted hours per member from the product's baseline predictor (the estimate times the
//! member's smoothed historical overrun, as `predictor::duration::Baseline` computes it), fed
//! from the member's completed runs in the replay. Not the trained model: that needs the whole
//! feature vector of a replayed log at each decision, which the simulator does not build. The
//! overrun's prior is the candidates' pooled history (the product's is the whole log's).
//!
//! The baseline ignores skills, which the trained model sees (`skill_match` is a feature), and
//! the members whose queues are short are often those whose skills the work does not need. So a
//! second row adds to the baseline what the team's visible history shows about runs by members
//! lacking a skill the task asks for: the difference of the smoothed mean log overruns of those
//! runs and of the others, for a candidate lacking one. Learned from the replay, not told.

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
const RECOMMENDED: &str = "recommended (rank_members, baseline)";
const RECOMMENDED_SKILLS: &str = "recommended (rank_members, baseline + skills)";

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
        AssignmentPolicy::Ranked(Box::new(Recommended::baseline())),
        AssignmentPolicy::Ranked(Box::new(Recommended::skill_aware())),
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
    for (name, short) in [(RECOMMENDED, "baseline"), (RECOMMENDED_SKILLS, "+ skills")] {
        if let (Some(recommended), Some(balanced)) = (find(name), find("balanced workload")) {
            table.row(vec![
                format!("target: recommended ({short}) less late than balanced"),
                String::new(),
                String::new(),
                verdict(recommended.late_share < balanced.late_share),
                String::new(),
                verdict(recommended.mean_hours_late < balanced.mean_hours_late),
                String::new(),
            ]);
        }
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

/// The product's recommendation from what the log shows: expected finish by
/// [`rank_members`], the predicted hours from the baseline predictor, optionally with the
/// skill-mismatch overrun the team's history shows.
struct Recommended {
    name: &'static str,
    skill_aware: bool,
    /// Per member, the completed runs folded so far.
    histories: HashMap<Uuid, Folded>,
}

impl Recommended {
    fn baseline() -> Self {
        Recommended {
            name: RECOMMENDED,
            skill_aware: false,
            histories: HashMap::new(),
        }
    }

    fn skill_aware() -> Self {
        Recommended {
            name: RECOMMENDED_SKILLS,
            skill_aware: true,
            histories: HashMap::new(),
        }
    }

    /// The member's history, folding in the runs completed since last asked.
    fn folded(&mut self, candidate: &CandidateView<'_>) -> Folded {
        let folded = self.histories.entry(candidate.member).or_default();
        for run in &candidate.history[folded.runs..] {
            let overrun = features::log_overrun(run.elapsed_hours, run.estimate_hours);
            folded.all.add(overrun);
            if run.skill_match < 1.0 {
                folded.lacking.add(overrun);
            } else {
                folded.skilled.add(overrun);
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

    fn merge(self, other: Mean) -> Mean {
        Mean {
            count: self.count + other.count,
            sum: self.sum + other.sum,
        }
    }

    /// With `weight` pseudo-observations of `prior`, as the feature worker smooths.
    fn smoothed(self, prior: f64, weight: f64) -> f64 {
        (self.sum + weight * prior) / (self.count as f64 + weight)
    }
}

impl AssigneeRanking for Recommended {
    fn name(&self) -> &str {
        self.name
    }

    fn choose(&mut self, task: &TaskView, candidates: &[CandidateView<'_>]) -> Option<usize> {
        let folded: Vec<Folded> = candidates.iter().map(|c| self.folded(c)).collect();
        let team = folded.iter().fold(Folded::default(), |a, b| Folded {
            runs: a.runs + b.runs,
            all: a.all.merge(b.all),
            skilled: a.skilled.merge(b.skilled),
            lacking: a.lacking.merge(b.lacking),
        });
        // One pseudo-observation of 0, as the product's global prior has.
        let prior = team.all.smoothed(0.0, 1.0);
        let weight = features::OVERRUN_PRIOR_WEIGHT;
        let lacking_penalty = if self.skill_aware {
            team.lacking.smoothed(prior, weight) - team.skilled.smoothed(prior, weight)
        } else {
            0.0
        };
        // The member's pace and, for a task they lack a skill of, the team's skill penalty.
        let log_ratio = |history: &Folded, skill_match: f64| {
            history.all.smoothed(prior, weight)
                + lacking_penalty * f64::from(u8::from(skill_match < 1.0))
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
    };
    hours_from_log(baseline.log_hours(&[estimate, ratio]))
}

/// The share of the task's skills the member has, as the feature worker measures it.
fn skill_match(task: &TaskView, candidate: &CandidateView<'_>) -> f64 {
    features::share_of_skills(&task.skills, |skill| candidate.skills.contains(skill))
}

#[cfg(test)]
mod tests;
