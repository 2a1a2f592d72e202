//! The replay: the same workload under each assignment policy, deterministic for a seed.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use simulate::{
    AssigneeRanking, AssignmentPolicy, CandidateView, PolicyRun, SimConfig, TaskView, replay, score,
};

fn config(seed: u64) -> SimConfig {
    let present = DateTime::parse_from_rfc3339("2026-03-02T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    SimConfig::new(seed, 4_000, present)
}

/// Expected finish from the visible facts only: queue over capacity plus the estimate scaled by
/// the member's past overrun.
struct QueueThenOverrun;

impl AssigneeRanking for QueueThenOverrun {
    fn name(&self) -> &str {
        "queue then overrun"
    }

    fn choose(&mut self, task: &TaskView, candidates: &[CandidateView<'_>]) -> Option<usize> {
        let finish = |c: &CandidateView<'_>| {
            let (estimated, took) = c.history.iter().fold((1.0, 1.0), |(e, a), run| {
                (e + run.estimate_hours, a + run.elapsed_hours)
            });
            c.queued_open_hours / c.capacity_hours_per_week * 168.0
                + task.estimate_hours * took / estimated
        };
        (0..candidates.len())
            .min_by(|&a, &b| finish(&candidates[a]).total_cmp(&finish(&candidates[b])))
    }
}

fn policies() -> Vec<AssignmentPolicy> {
    vec![
        AssignmentPolicy::Planner,
        AssignmentPolicy::BalancedWorkload,
        AssignmentPolicy::Ranked(Box::new(QueueThenOverrun)),
    ]
}

fn keys(run: &PolicyRun) -> BTreeSet<(u32, u32)> {
    run.tasks.iter().map(|t| t.key).collect()
}

/// The share of `a`'s tasks that `b` has too.
fn shared(a: &PolicyRun, b: &PolicyRun) -> f64 {
    let b = keys(b);
    keys(a).iter().filter(|k| b.contains(k)).count() as f64 / a.tasks.len() as f64
}

#[test]
fn the_replay_is_deterministic_for_a_seed() {
    let first = replay(&config(7), policies());
    let second = replay(&config(7), policies());
    assert_eq!(first, second);
    assert_eq!(score(&first), score(&second));
    let other = replay(&config(8), policies());
    assert_ne!(first[0].tasks, other[0].tasks);
}

#[test]
fn the_policies_play_mostly_the_same_tasks_and_their_outcomes_differ() {
    let runs = replay(&config(7), policies());
    let names: Vec<&str> = runs.iter().map(|r| r.policy.as_str()).collect();
    assert_eq!(
        names,
        ["planner", "balanced workload", "queue then overrun"]
    );
    // Teams are recruited from whoever is free, which the policies change, and a project's plan
    // follows from its team: the last tasks of a plan may differ.
    for (a, b) in [(0, 1), (0, 2), (1, 2)] {
        assert!(shared(&runs[a], &runs[b]) > 0.9, "{a} {b}");
    }
    let scores = score(&runs);
    assert!(scores[0].tasks > 100, "{scores:?}");
    assert!(scores.iter().all(|s| s.tasks == scores[0].tasks));
    // The policies do change the outcome: not every completion is the same.
    let completions =
        |run: &PolicyRun| -> Vec<_> { run.tasks.iter().map(|t| t.completed_at).collect() };
    assert_ne!(completions(&runs[0]), completions(&runs[1]));
    assert_ne!(completions(&runs[1]), completions(&runs[2]));
}
