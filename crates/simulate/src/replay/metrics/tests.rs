//! Hand-computed cases of the replay's scores.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn present() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
}

/// A task due `due_h` hours from the present (negative: before it), completed `done_h` hours
/// from the present if at all.
fn task(ordinal: u32, due_h: Option<i64>, done_h: Option<i64>, cancelled: bool) -> TaskOutcome {
    TaskOutcome {
        key: (0, ordinal),
        due: due_h.map(|h| present() + Duration::hours(h)),
        completed_at: done_h.map(|h| present() + Duration::hours(h)),
        cancelled,
    }
}

fn run(policy: &str, tasks: Vec<TaskOutcome>, weekly_load: Vec<Vec<f64>>) -> PolicyRun {
    PolicyRun {
        policy: policy.into(),
        tasks,
        weekly_load,
        present: present(),
    }
}

#[test]
fn coefficient_of_variation_by_hand() {
    // mean 4, deviations ±2: sd 2, cv 0.5
    assert_eq!(coefficient_of_variation(&[2.0, 6.0]), Some(0.5));
    // mean 2, squared deviations 1, 0, 1: variance 2/3
    let cv = coefficient_of_variation(&[1.0, 2.0, 3.0]).unwrap();
    assert!((cv - (2.0f64 / 3.0).sqrt() / 2.0).abs() < 1e-12);
    assert_eq!(coefficient_of_variation(&[5.0, 5.0, 5.0]), Some(0.0));
    assert_eq!(coefficient_of_variation(&[3.0]), None);
    assert_eq!(coefficient_of_variation(&[0.0, 0.0]), None);
}

#[test]
fn weekly_cv_is_the_mean_over_weeks_that_have_one() {
    let weeks = vec![vec![2.0, 6.0], vec![5.0, 5.0], vec![1.0], vec![]];
    assert_eq!(mean_weekly_cv(&weeks), Some(0.25));
    assert_eq!(mean_weekly_cv(&[vec![1.0]]), None);
}

#[test]
fn lateness_is_scored_on_the_tasks_judged_under_every_policy() {
    let a = run(
        "a",
        vec![
            task(1, Some(-10), Some(-12), false), // on time
            task(2, Some(-10), Some(-4), false),  // 6 h late
            task(3, Some(-10), None, false),      // open: 10 h late so far
            task(4, None, Some(-5), false),       // no due date
            task(5, Some(5), None, false),        // not due yet
            task(6, Some(-10), None, true),       // cancelled
            task(7, Some(-20), Some(-20), false), // on time here, cancelled in b
        ],
        vec![vec![2.0, 6.0], vec![1.0, 3.0]],
    );
    let b = run(
        "b",
        vec![
            task(1, Some(-10), Some(-8), false),  // 2 h late
            task(2, Some(-10), Some(-10), false), // on time: done at the due date
            task(3, Some(-10), Some(-11), false), // on time
            task(6, Some(-10), Some(-1), false),
            task(7, Some(-20), None, true),
        ],
        vec![],
    );
    let scores = score(&[a, b]);
    // compared: tasks 1, 2 and 3 (6 is cancelled in a, 7 in b)
    assert_eq!(scores[0].tasks, 3);
    assert_eq!(scores[0].late, 2);
    assert!((scores[0].late_share - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(scores[0].mean_hours_late_when_late, Some(8.0));
    assert!((scores[0].mean_hours_late - 16.0 / 3.0).abs() < 1e-12);
    // week cvs 0.5 and 0.5
    assert_eq!(scores[0].load_cv, Some(0.5));

    assert_eq!(scores[1].policy, "b");
    assert_eq!(scores[1].tasks, 3);
    assert_eq!(scores[1].late, 1);
    assert_eq!(scores[1].mean_hours_late_when_late, Some(2.0));
    assert!((scores[1].mean_hours_late - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(scores[1].load_cv, None);
}

#[test]
fn nothing_to_compare_scores_zero() {
    let scores = score(&[run("a", vec![task(1, None, None, false)], vec![])]);
    assert_eq!(scores[0].tasks, 0);
    assert_eq!(scores[0].late_share, 0.0);
    assert_eq!(scores[0].mean_hours_late_when_late, None);
}
