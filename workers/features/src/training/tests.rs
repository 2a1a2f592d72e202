//! Training-log tests: which runs make samples, their labels, and the instant of the snapshot.

mod point_in_time;

use domain::{Event, Move};

use crate::TrainingLog;
use crate::testing::*;

fn p() -> domain::ProjectId {
    project_id(1)
}

/// Replays the world's set-up, then `events` at their hours, positions counting from 1.
fn replay(events: Vec<(f64, Event)>) -> TrainingLog {
    let setup = [
        project_created(p()),
        member_registered(member_id(1), &["rust"], 40.0),
        member_joined(p(), member_id(1)),
    ];
    let mut log = TrainingLog::new();
    let all = setup.into_iter().map(|e| (0.0, e)).chain(events);
    for (position, (hours, event)) in (1..).zip(all) {
        log.observe(&event, at(hours), position);
    }
    log
}

fn step(n: u128, step: Move) -> Event {
    moved(task_id(n), p(), step)
}

#[test]
fn a_completed_run_is_labelled_with_its_elapsed_hours_blocked_included() {
    let new = NewTask {
        estimate_hours: 8.0,
        due_date: Some(at(48.0)),
        ..NewTask::default()
    };
    let log = replay(vec![
        (0.0, task_created(task_id(1), p(), new)),
        (1.0, assigned(task_id(1), p(), member_id(1))),
        (2.0, step(1, Move::Start)),
        (5.0, step(1, Move::Block)),
        (10.0, step(1, Move::Unblock)),
        (20.0, step(1, Move::Complete)),
    ]);
    let [sample] = log.samples() else {
        panic!("one sample: {:?}", log.samples());
    };
    assert_eq!((sample.task_id, sample.project_id), (task_id(1), p()));
    assert_eq!(sample.member_id, Some(member_id(1)));
    assert_eq!(
        (sample.started_at, sample.completed_at),
        (at(2.0), at(20.0))
    );
    assert_eq!((sample.start_position, sample.completed_position), (6, 9));
    assert_eq!(sample.duration_hours, 18.0);
    assert_eq!(sample.estimate_hours, 8.0);
    assert_eq!(
        (sample.due_date, sample.late),
        (Some(at(48.0)), Some(false))
    );
    assert_eq!(sample.hours_to_due_at_start, Some(46.0));
    let features = &sample.features;
    assert_eq!(features.get("hours_since_start"), Some(0.0));
    assert_eq!(features.get("age_hours"), Some(2.0));
    assert_eq!(features.get("days_to_due"), Some(46.0 / 24.0));
    assert_eq!(features.get("project_throughput_per_week"), Some(0.0));
}

#[test]
fn lateness_is_against_the_due_date_known_at_the_start() {
    let new = NewTask {
        due_date: Some(at(10.0)),
        ..NewTask::default()
    };
    let log = replay(vec![
        (0.0, task_created(task_id(1), p(), new)),
        (2.0, step(1, Move::Start)),
        (5.0, due_date_changed(task_id(1), p(), at(30.0))),
        (20.0, step(1, Move::Complete)),
        (21.0, task_created(task_id(2), p(), NewTask::default())),
        (22.0, step(2, Move::Start)),
        (23.0, step(2, Move::Complete)),
    ]);
    let [moved_due, no_due] = log.samples() else {
        panic!("two samples: {:?}", log.samples());
    };
    assert_eq!(
        (moved_due.due_date, moved_due.late),
        (Some(at(10.0)), Some(true))
    );
    assert_eq!(moved_due.hours_to_due_at_start, Some(8.0));
    assert_eq!((no_due.late, no_due.hours_to_due_at_start), (None, None));
    // The history counts the due date in force at completion: task 1 was on time there.
    let history = log.state().member(member_id(1)).map(|m| m.history);
    assert_eq!(history.map(|h| h.completed), Some(0), "nobody was assigned");
}

#[test]
fn a_reopened_task_started_again_makes_a_new_sample_and_a_cancelled_one_none() {
    let log = replay(vec![
        (0.0, task_created(task_id(1), p(), NewTask::default())),
        (0.0, step(1, Move::Start)),
        (5.0, step(1, Move::Complete)),
        (6.0, step(1, Move::Reopen)),
        (8.0, step(1, Move::Start)),
        (10.0, step(1, Move::Complete)),
        (11.0, task_created(task_id(2), p(), NewTask::default())),
        (12.0, step(2, Move::Start)),
        (13.0, step(2, Move::Cancel)),
        (14.0, task_created(task_id(3), p(), NewTask::default())),
        (15.0, step(3, Move::Start)),
    ]);
    let durations: Vec<f64> = log.samples().iter().map(|s| s.duration_hours).collect();
    assert_eq!(durations, vec![5.0, 2.0]);
    let second = &log.samples()[1];
    assert_eq!(second.started_at, at(8.0));
    assert_eq!(second.features.get("reopen_count"), Some(1.0));
    assert_eq!(
        second.features.get("project_throughput_per_week"),
        Some(0.25)
    );
    assert!(log.samples().iter().all(|s| s.task_id == task_id(1)));
}

#[test]
fn the_snapshot_holds_the_whole_instant_of_the_start_but_not_the_runs_own_end() {
    let log = replay(vec![
        (0.0, task_created(task_id(1), p(), NewTask::default())),
        (2.0, step(1, Move::Start)),
        (2.0, assigned(task_id(1), p(), member_id(1))),
        (2.0, estimate_changed(task_id(1), p(), 3.0)),
        (3.0, estimate_changed(task_id(1), p(), 30.0)),
        (9.0, step(1, Move::Complete)),
        (9.0, task_created(task_id(2), p(), NewTask::default())),
        (10.0, step(2, Move::Start)),
        (10.0, step(2, Move::Complete)),
    ]);
    let [first, instant] = log.samples() else {
        panic!("two samples: {:?}", log.samples());
    };
    assert_eq!(first.member_id, Some(member_id(1)));
    assert_eq!(first.estimate_hours, 3.0);
    assert_eq!(first.features.get("estimate_hours"), Some(3.0));
    assert_eq!(first.features.get("has_assignee"), Some(1.0));
    assert_eq!(instant.duration_hours, 0.0);
    // Only task 1's completion is history for task 2.
    assert_eq!(
        instant.features.get("project_throughput_per_week"),
        Some(0.25)
    );
}

#[test]
fn observing_with_notes_folds_alike_and_samples_can_be_taken_as_they_come() {
    let events = vec![
        (0.0, task_created(task_id(1), p(), NewTask::default())),
        (1.0, assigned(task_id(1), p(), member_id(1))),
        (2.0, step(1, Move::Start)),
        (7.0, step(1, Move::Complete)),
    ];
    let plain = replay(events.clone());
    let mut noting = replay(Vec::new());
    let mut changes = crate::Changes::default();
    for (position, (hours, event)) in (4..).zip(&events) {
        noting.observe_noting(event, at(*hours), position, &mut changes);
    }
    assert!(changes.tasks.contains(&task_id(1)));
    assert!(changes.members.contains(&member_id(1)));
    assert!(changes.projects.contains(&p()), "the completion");
    assert_eq!(noting.samples(), plain.samples());
    let taken = noting.take_samples();
    assert_eq!(taken.len(), 1);
    assert!(noting.samples().is_empty());
}
