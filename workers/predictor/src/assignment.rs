//! Ranking of members for an unassigned task by expected finish: the work queued before it in the
//! member's queue, plus the predicted duration for that member. Where due dates are at stake the
//! ranking first weighs the hours past due dates that giving the task to the member is expected
//! to cause, its own and those of the member's queued tasks it would push back.
//!
//! A member's queue is worked in the order people pick work: started tasks first, then by
//! priority (1 first), then by due date (none last). The new task joins it after every task
//! that comes before it in that order. The caller predicts the hours per member (the features
//! differ by assignee) and the hours left of each queued task; this module only orders and
//! explains.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many members a recommendation names.
pub const RECOMMENDATIONS: usize = 3;
const HOURS_PER_WEEK: f64 = 168.0;

/// One of a member's open tasks, in the terms the queue order and the lateness need.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QueuedWork {
    /// 1 (highest) to 4.
    pub priority: u8,
    pub due: Option<DateTime<Utc>>,
    /// Started and not finished: ahead of any new task.
    pub started: bool,
    /// Predicted business hours until it is done.
    pub hours_left: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentCandidate {
    pub member: Uuid,
    pub capacity_hours_per_week: f64,
    /// Estimated hours of the member's open (assigned, unfinished) tasks.
    pub queued_open_hours: f64,
    /// The member's open tasks, in any order.
    pub queue: Vec<QueuedWork>,
    /// Predicted elapsed hours of this task if this member does it (the model's p50).
    pub predicted_hours: f64,
    /// 0–1: the share of the task's skills the member has.
    pub skill_match: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentRequest {
    pub as_of: DateTime<Utc>,
    pub estimate_hours: f64,
    /// The task's own priority and due date, which place it in a queue.
    pub priority: u8,
    pub due: Option<DateTime<Utc>>,
    pub candidates: Vec<AssignmentCandidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub member: Uuid,
    pub expected_finish: DateTime<Utc>,
    /// Hours of the member's queued work before the task.
    pub wait_hours: f64,
    pub predicted_hours: f64,
    /// Hours past due dates expected from the assignment: the task's own past its due date,
    /// plus what it adds to the member's queued tasks behind it.
    pub expected_hours_late: f64,
    pub skill_match: f64,
    /// (queued + estimate) / weekly capacity: weeks of work after taking the task.
    pub load_after: f64,
}

/// The place in a queue: started work, then priority, then due date (none last).
fn queue_key(started: bool, priority: u8, due: Option<DateTime<Utc>>) -> (bool, u8, i64) {
    (!started, priority, due.map_or(i64::MAX, |d| d.timestamp()))
}

/// Hours past `due` of work finishing `finish_hours` after `as_of`.
fn hours_late(as_of: DateTime<Utc>, finish_hours: f64, due: Option<DateTime<Utc>>) -> f64 {
    due.map_or(0.0, |due| {
        let due_hours = (due - as_of).num_milliseconds() as f64 / 3_600_000.0;
        (finish_hours - due_hours).max(0.0)
    })
}

fn clean(hours: f64) -> f64 {
    if hours.is_finite() {
        hours.max(0.0)
    } else {
        0.0
    }
}

/// Where the task would stand in one member's queue, and what that costs in lateness.
fn place(request: &AssignmentRequest, candidate: &AssignmentCandidate) -> (f64, f64) {
    let predicted = clean(candidate.predicted_hours);
    let own = queue_key(false, request.priority, request.due);
    let mut queue: Vec<&QueuedWork> = candidate.queue.iter().collect();
    queue.sort_by_key(|w| queue_key(w.started, w.priority, w.due));
    let wait: f64 = queue
        .iter()
        .filter(|w| queue_key(w.started, w.priority, w.due) <= own)
        .map(|w| clean(w.hours_left))
        .sum();
    let mut late = hours_late(request.as_of, wait + predicted, request.due);
    let mut finish = wait;
    for w in queue
        .iter()
        .filter(|w| queue_key(w.started, w.priority, w.due) > own)
    {
        finish += clean(w.hours_left);
        late += hours_late(request.as_of, finish + predicted, w.due)
            - hours_late(request.as_of, finish, w.due);
    }
    (wait, late)
}

/// The three best members; members without capacity are left out. Best is the least expected
/// lateness caused, then the earliest expected finish, then the better skill match, the lower
/// load and the member id (so the order is stable).
pub fn rank_members(request: &AssignmentRequest) -> Vec<Recommendation> {
    let estimate = clean(request.estimate_hours);
    let mut ranked: Vec<Recommendation> = request
        .candidates
        .iter()
        .filter(|c| c.capacity_hours_per_week.is_finite() && c.capacity_hours_per_week > 0.0)
        .map(|c| {
            let capacity = c.capacity_hours_per_week;
            let queued = clean(c.queued_open_hours);
            let predicted = clean(c.predicted_hours);
            let (wait_hours, expected_hours_late) = place(request, c);
            let finish_ms = ((wait_hours + predicted) * 3_600_000.0).round() as i64;
            Recommendation {
                member: c.member,
                expected_finish: request.as_of + Duration::milliseconds(finish_ms),
                wait_hours,
                predicted_hours: predicted,
                expected_hours_late,
                skill_match: c.skill_match,
                load_after: (queued + estimate) / capacity,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.expected_hours_late
            .total_cmp(&b.expected_hours_late)
            .then(a.expected_finish.cmp(&b.expected_finish))
            .then(b.skill_match.total_cmp(&a.skill_match))
            .then(a.load_after.total_cmp(&b.load_after))
            .then(a.member.cmp(&b.member))
    });
    ranked.truncate(RECOMMENDATIONS);
    ranked
}

/// The hours left of queued work without a forecast: its estimate at the member's weekly
/// capacity, as business hours.
pub fn hours_at_capacity(estimate_hours: f64, capacity_hours_per_week: f64) -> f64 {
    if capacity_hours_per_week.is_finite() && capacity_hours_per_week > 0.0 {
        clean(estimate_hours) / capacity_hours_per_week * HOURS_PER_WEEK
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn as_of() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 5, 5, 8, 0, 0).unwrap()
    }

    fn candidate(
        n: u128,
        capacity: f64,
        queue: Vec<QueuedWork>,
        predicted: f64,
    ) -> AssignmentCandidate {
        AssignmentCandidate {
            member: Uuid::from_u128(n),
            capacity_hours_per_week: capacity,
            queued_open_hours: 8.0 * queue.len() as f64,
            queue,
            predicted_hours: predicted,
            skill_match: 0.5,
        }
    }

    fn work(started: bool, priority: u8, due_in_hours: Option<i64>, hours_left: f64) -> QueuedWork {
        QueuedWork {
            priority,
            due: due_in_hours.map(|h| as_of() + Duration::hours(h)),
            started,
            hours_left,
        }
    }

    fn request(
        due_in_hours: Option<i64>,
        candidates: Vec<AssignmentCandidate>,
    ) -> AssignmentRequest {
        AssignmentRequest {
            as_of: as_of(),
            estimate_hours: 10.0,
            priority: 2,
            due: due_in_hours.map(|h| as_of() + Duration::hours(h)),
            candidates,
        }
    }

    fn order(ranked: &[Recommendation]) -> Vec<u128> {
        ranked.iter().map(|r| r.member.as_u128()).collect()
    }

    #[test]
    fn without_due_dates_ranks_by_the_work_queued_before_the_task_plus_its_duration() {
        let mut skilled = candidate(5, 40.0, vec![], 32.0);
        skilled.skill_match = 0.9;
        let ranked = rank_members(&request(
            None,
            vec![
                // 30 h left of started work, then the task (the priority-3 task waits): 30 + 10
                candidate(
                    1,
                    40.0,
                    vec![work(true, 3, None, 30.0), work(false, 3, None, 100.0)],
                    10.0,
                ),
                // nothing queued, slow at this task: 45
                candidate(2, 20.0, vec![], 45.0),
                // a priority-1 task of 20 h first: 20 + 12 = 32
                candidate(3, 40.0, vec![work(false, 1, None, 20.0)], 12.0),
                // no capacity: left out
                candidate(4, 0.0, vec![], 1.0),
                // 32 as well, with the better skill match: ahead of 3
                skilled,
            ],
        ));
        assert_eq!(order(&ranked), vec![5, 3, 1]);
        assert_eq!(ranked[1].expected_finish, as_of() + Duration::hours(32));
        assert!((ranked[1].wait_hours - 20.0).abs() < 1e-9);
        assert!((ranked[2].wait_hours - 30.0).abs() < 1e-9);
        assert_eq!(ranked[2].expected_finish, as_of() + Duration::hours(40));
        assert!(ranked.iter().all(|r| r.expected_hours_late == 0.0));
        // (16 queued + 10 estimate) / 40
        assert!((ranked[2].load_after - 0.65).abs() < 1e-12);
    }

    #[test]
    fn with_due_dates_the_least_lateness_caused_comes_first() {
        // The task is due in 24 h.
        let ranked = rank_members(&request(
            Some(24),
            vec![
                // free but slow: done at 30, 6 h late
                candidate(1, 40.0, vec![], 30.0),
                // done first, at 12, but pushes a priority-3 task due at 20 from 10 to 22: 2 h
                candidate(2, 40.0, vec![work(false, 3, Some(20), 10.0)], 12.0),
                // 20 h of started work first, done at 24: on time
                candidate(3, 40.0, vec![work(true, 4, None, 20.0)], 4.0),
                // a task of the same priority and due date goes first: done at 25, 1 h late
                candidate(4, 40.0, vec![work(false, 2, Some(24), 5.0)], 20.0),
            ],
        ));
        assert_eq!(order(&ranked), vec![3, 4, 2]);
        let late: Vec<f64> = ranked.iter().map(|r| r.expected_hours_late).collect();
        assert!((late[0] - 0.0).abs() < 1e-9 && (late[1] - 1.0).abs() < 1e-9);
        assert!((late[2] - 2.0).abs() < 1e-9);
        assert_eq!(ranked[2].expected_finish, as_of() + Duration::hours(12));
    }

    #[test]
    fn queued_work_without_a_forecast_takes_its_estimate_at_capacity() {
        assert!((hours_at_capacity(10.0, 40.0) - 42.0).abs() < 1e-9);
        assert_eq!(hours_at_capacity(10.0, 0.0), 0.0);
        assert_eq!(hours_at_capacity(f64::NAN, 40.0), 0.0);
    }

    #[test]
    fn nobody_with_capacity_means_no_recommendation() {
        let request = request(Some(4), vec![candidate(1, 0.0, vec![], 4.0)]);
        assert!(rank_members(&request).is_empty());
    }
}
