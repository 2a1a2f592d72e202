//! The recommendation policy on hand-computed cases.

use chrono::TimeZone;
use simulate::CompletedRun;

use super::*;

fn task(estimate: f64, skills: Vec<&'static str>) -> TaskView {
    TaskView {
        now: Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        estimate_hours: estimate,
        label: "feature",
        skills,
        priority: 2,
        due: None,
    }
}

fn candidate<'a>(
    id: u128,
    capacity: f64,
    queued: f64,
    history: &'a [CompletedRun],
) -> CandidateView<'a> {
    CandidateView {
        member: Uuid::from_u128(id),
        capacity_hours_per_week: capacity,
        skills: vec!["rust"],
        open_tasks: (queued / 8.0) as u32,
        queued_open_hours: queued,
        history,
    }
}

fn run(estimate: f64, elapsed: f64, skill_match: f64) -> CompletedRun {
    CompletedRun {
        estimate_hours: estimate,
        elapsed_hours: elapsed,
        skill_match,
    }
}

#[test]
fn baseline_hours_are_the_estimate_times_the_ratio() {
    assert!((baseline_hours(10.0, 0.0) - 10.0).abs() < 1e-9);
    assert!((baseline_hours(10.0, 2f64.ln() / 4.0) - 10.0 * 2f64.powf(0.25)).abs() < 1e-9);
}

#[test]
fn the_recommendation_weighs_the_queue_against_the_members_overrun() {
    // ln((7 + 1) / (3 + 1)) = ln 2: this member took twice as long as estimated, four times
    let slow = [run(3.0, 7.0, 1.0); 4];
    let task = task(8.0, vec!["rust"]);
    // a: 40 h queued at 40 h/week waits 168 h; b: nothing queued, but slow.
    let team = [
        candidate(1, 40.0, 40.0, &[]),
        candidate(2, 20.0, 0.0, &slow),
    ];
    assert_eq!(Recommended::baseline().choose(&task, &team), Some(1));
    // Both free: the one who does not overrun finishes first.
    let team = [candidate(1, 40.0, 0.0, &slow), candidate(2, 20.0, 0.0, &[])];
    assert_eq!(Recommended::baseline().choose(&task, &team), Some(1));
    // Prior: 4 ln 2 / 5. Slow: (4 ln 2 + 3 prior) / 7 ≈ 0.633, 8 × e^0.633 ≈ 15.1 h; the other
    // waits 8 h at 40 h/week = 33.6 h plus 8 × e^0.277 ≈ 10.6 h.
    let team = [candidate(1, 40.0, 0.0, &slow), candidate(2, 40.0, 8.0, &[])];
    assert_eq!(Recommended::baseline().choose(&task, &team), Some(0));
    assert_eq!(Recommended::baseline().choose(&task, &[]), None);
}

#[test]
fn the_skill_aware_recommendation_learns_what_lacking_a_skill_costs() {
    // The team's history: runs with the skills as estimated (overrun 0), runs lacking one
    // three times as long (overrun ln 3).
    let history = [
        run(3.0, 3.0, 1.0),
        run(3.0, 3.0, 1.0),
        run(3.0, 3.0, 1.0),
        run(3.0, 11.0, 0.5),
        run(3.0, 11.0, 0.0),
        run(3.0, 11.0, 0.0),
    ];
    let task = task(8.0, vec!["sql"]);
    let mut lacking = candidate(1, 40.0, 0.0, &history);
    let mut skilled = candidate(2, 40.0, 2.0, &history);
    skilled.skills = vec!["sql"];
    lacking.skills = vec!["rust"];
    // Same history; the skilled one waits 8.4 h, the other none.
    let team = [lacking.clone(), skilled.clone()];
    assert_eq!(Recommended::baseline().choose(&task, &team), Some(0));
    // prior 3 ln 3 / 7 ≈ 0.471 over 12 runs; lacking (3 ln 3 + 3 prior) / 9 ≈ 0.523, skilled
    // 3 prior / 9 ≈ 0.157: 8 × e^0.366 ≈ 11.5 h more for the one lacking the skill.
    assert_eq!(Recommended::skill_aware().choose(&task, &team), Some(1));
}

#[test]
fn histories_are_folded_once_as_they_grow() {
    let mut ranking = Recommended::baseline();
    let history = [run(3.0, 7.0, 1.0), run(1.0, 0.0, 0.0)];
    let first = ranking.folded(&candidate(1, 40.0, 0.0, &history[..1]));
    assert_eq!(
        (first.runs, first.all.count, first.skilled.count),
        (1, 1, 1)
    );
    assert!((first.all.sum - 2f64.ln()).abs() < 1e-12);
    // (0 + 1) / (1 + 1): ln 0.5
    let both = ranking.folded(&candidate(1, 40.0, 0.0, &history));
    assert_eq!((both.runs, both.all.count, both.lacking.count), (2, 2, 1));
    assert!(both.all.sum.abs() < 1e-12);
    assert!((both.lacking.sum + 2f64.ln()).abs() < 1e-12);
}

#[test]
fn skill_match_is_the_share_of_the_tasks_skills() {
    let member = candidate(1, 40.0, 0.0, &[]);
    assert_eq!(skill_match(&task(4.0, vec![]), &member), 1.0);
    assert_eq!(skill_match(&task(4.0, vec!["rust", "sql"]), &member), 0.5);
    assert_eq!(skill_match(&task(4.0, vec!["ops"]), &member), 0.0);
}
