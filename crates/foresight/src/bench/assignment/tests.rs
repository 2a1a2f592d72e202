//! The recommendation policy on hand-computed cases.

use chrono::{Duration, TimeZone};
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

/// A member with `queued` estimated hours waiting in one task of the new task's priority.
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
        open_tasks: u32::from(queued > 0.0),
        queued_open_hours: queued,
        open: if queued > 0.0 {
            vec![open(queued, 2, None, None)]
        } else {
            Vec::new()
        },
        history,
    }
}

fn open(
    estimate: f64,
    priority: u8,
    due: Option<DateTime<Utc>>,
    started_at: Option<DateTime<Utc>>,
) -> OpenTaskView {
    OpenTaskView {
        estimate_hours: estimate,
        priority,
        due,
        started_at,
        skill_match: 1.0,
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
    // ln((7 + 1) / (3 + 1)) = ln 2: this member took twice as long as estimated, four times.
    // The team's prior is 4 ln 2 / 5 ≈ 0.555 (e^0.555 ≈ 1.74); the slow member's ratio
    // (4 ln 2 + 3 × 0.555) / 7 ≈ 0.634, so 8 h take them 8 × e^0.634 ≈ 15.1 h.
    let slow = [run(3.0, 7.0, 1.0); 4];
    let task = task(8.0, vec!["rust"]);
    // a: 40 h queued at the prior's pace, 69.6 h, then 13.9 h; b: nothing queued, 15.1 h.
    let team = [
        candidate(1, 40.0, 40.0, &[]),
        candidate(2, 20.0, 0.0, &slow),
    ];
    assert_eq!(Recommended::default().choose(&task, &team), Some(1));
    // Both free: the one who does not overrun finishes first (13.9 h against 15.1 h).
    let team = [candidate(1, 40.0, 0.0, &slow), candidate(2, 20.0, 0.0, &[])];
    assert_eq!(Recommended::default().choose(&task, &team), Some(1));
    // The other has 8 h queued first: 13.9 + 13.9 h against 15.1 h.
    let team = [candidate(1, 40.0, 0.0, &slow), candidate(2, 40.0, 8.0, &[])];
    assert_eq!(Recommended::default().choose(&task, &team), Some(0));
    assert_eq!(Recommended::default().choose(&task, &[]), None);
}

#[test]
fn the_recommendation_spares_a_queue_whose_due_dates_it_would_push_back() {
    let mut task = task(8.0, vec!["rust"]);
    task.priority = 1;
    // No history: every member at the prior's pace, 1 (no overrun seen): 8 h.
    let free_but_busy_later = {
        let mut c = candidate(1, 40.0, 0.0, &[]);
        // A priority-3 task of 8 h due in 12 h: the new one goes first and makes it 4 h late.
        c.open = vec![open(8.0, 3, Some(task.now + Duration::hours(12)), None)];
        c
    };
    // 2 h left of a started task (started 6 h ago, 8 h in all), then the new one: 10 h.
    let mut under_way = candidate(2, 40.0, 0.0, &[]);
    under_way.open = vec![open(8.0, 4, None, Some(task.now - Duration::hours(6)))];
    let team = [free_but_busy_later.clone(), under_way.clone()];
    // Without a due date on the new task, the 4 h it pushes the other task past its date
    // decides: member 2, although member 1 would finish it first.
    assert_eq!(Recommended::default().choose(&task, &team), Some(1));
    // Without due dates anywhere, expected finish decides: member 1 (8 h against 10 h).
    let mut relaxed = free_but_busy_later;
    relaxed.open[0].due = None;
    assert_eq!(
        Recommended::default().choose(&task, &[relaxed, under_way]),
        Some(0)
    );
}

#[test]
fn queued_work_is_its_forecast_less_the_time_since_its_start() {
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let due = Some(now + Duration::hours(30));
    let waiting = queued_work(now, &open(8.0, 2, due, None), 2f64.ln());
    // 8 × e^(ln 2): the estimate times the ratio
    assert!((waiting.hours_left - 16.0).abs() < 1e-9);
    assert_eq!(
        (waiting.priority, waiting.due, waiting.started),
        (2, due, false)
    );
    let started = queued_work(
        now,
        &open(8.0, 2, None, Some(now - Duration::hours(3))),
        0.0,
    );
    assert!((started.hours_left - 5.0).abs() < 1e-9);
    assert!(started.started);
    let overdue = queued_work(
        now,
        &open(8.0, 2, None, Some(now - Duration::hours(30))),
        0.0,
    );
    assert_eq!(overdue.hours_left, 0.0);
}

#[test]
fn the_recommendation_learns_what_lacking_a_skill_costs() {
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
    // Over both members, prior 6 ln 3 / 13 ≈ 0.507; runs lacking a skill
    // (6 ln 3 + 3 × 0.507) / 9 ≈ 0.901, the others 3 × 0.507 / 9 ≈ 0.169: lacking the skill
    // costs e^0.732 ≈ 2.08 times the hours, 8 × 2.08 ≈ 16.6 against 2 + 8 at the same pace.
    let team = [lacking.clone(), skilled.clone()];
    assert_eq!(Recommended::default().choose(&task, &team), Some(1));
    // Where lacking a skill never cost anything, the one with nothing queued.
    let as_estimated = [run(3.0, 3.0, 0.0), run(3.0, 3.0, 1.0)];
    lacking.history = &as_estimated;
    skilled.history = &as_estimated;
    assert_eq!(
        Recommended::default().choose(&task, &[lacking, skilled]),
        Some(0)
    );
}

#[test]
fn histories_are_folded_once_as_they_grow() {
    let mut ranking = Recommended::default();
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
