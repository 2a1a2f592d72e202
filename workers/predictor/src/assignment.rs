//! Ranking of members for an unassigned task by expected finish:
//! `as_of + queued open hours / weekly capacity (in weeks) + predicted duration for that member`.
//! The caller predicts the duration per member (the features differ by assignee) and measures
//! the skill match; this module only orders and explains.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many members a recommendation names.
pub const RECOMMENDATIONS: usize = 3;
const HOURS_PER_WEEK: f64 = 168.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentCandidate {
    pub member: Uuid,
    pub capacity_hours_per_week: f64,
    /// Estimated hours of the member's open (assigned, unfinished) tasks.
    pub queued_open_hours: f64,
    /// Predicted elapsed hours of this task if this member does it (the model's p50).
    pub predicted_hours: f64,
    /// 0–1: how well the member's history fits the task, e.g. the share of their completed
    /// tasks that carry one of its labels.
    pub skill_match: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentRequest {
    pub as_of: DateTime<Utc>,
    pub estimate_hours: f64,
    pub candidates: Vec<AssignmentCandidate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub member: Uuid,
    pub expected_finish: DateTime<Utc>,
    /// Hours until the member's queue is worked off.
    pub wait_hours: f64,
    pub predicted_hours: f64,
    pub skill_match: f64,
    /// (queued + estimate) / weekly capacity: weeks of work after taking the task.
    pub load_after: f64,
}

/// The three members expected to finish first; members without capacity are left out. Ties go to
/// the better skill match, then the lower load, then the member id (so the order is stable).
pub fn rank_members(request: &AssignmentRequest) -> Vec<Recommendation> {
    let estimate = if request.estimate_hours.is_finite() {
        request.estimate_hours.max(0.0)
    } else {
        0.0
    };
    let mut ranked: Vec<Recommendation> = request
        .candidates
        .iter()
        .filter(|c| c.capacity_hours_per_week.is_finite() && c.capacity_hours_per_week > 0.0)
        .map(|c| {
            let capacity = c.capacity_hours_per_week;
            let queued = c.queued_open_hours.max(0.0);
            let predicted = c.predicted_hours.max(0.0);
            let wait_hours = queued / capacity * HOURS_PER_WEEK;
            let finish_ms = ((wait_hours + predicted) * 3_600_000.0).round() as i64;
            Recommendation {
                member: c.member,
                expected_finish: request.as_of + Duration::milliseconds(finish_ms),
                wait_hours,
                predicted_hours: predicted,
                skill_match: c.skill_match,
                load_after: (queued + estimate) / capacity,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        a.expected_finish
            .cmp(&b.expected_finish)
            .then(b.skill_match.total_cmp(&a.skill_match))
            .then(a.load_after.total_cmp(&b.load_after))
            .then(a.member.cmp(&b.member))
    });
    ranked.truncate(RECOMMENDATIONS);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn candidate(
        n: u128,
        capacity: f64,
        queued: f64,
        predicted: f64,
        skill: f64,
    ) -> AssignmentCandidate {
        AssignmentCandidate {
            member: Uuid::from_u128(n),
            capacity_hours_per_week: capacity,
            queued_open_hours: queued,
            predicted_hours: predicted,
            skill_match: skill,
        }
    }

    #[test]
    fn ranks_by_expected_finish_and_explains() {
        let as_of = Utc.with_ymd_and_hms(2025, 5, 5, 8, 0, 0).unwrap();
        let request = AssignmentRequest {
            as_of,
            estimate_hours: 10.0,
            candidates: vec![
                // 1: 40 h queued at 40 h/week = 1 week = 168 h wait, + 10 h → 178 h
                candidate(1, 40.0, 40.0, 10.0, 0.9),
                // 2: no queue, slow at this task: 30 h
                candidate(2, 20.0, 0.0, 30.0, 0.1),
                // 3: 10 h queued at 40 h/week = 42 h wait, + 12 h → 54 h
                candidate(3, 40.0, 10.0, 12.0, 0.5),
                // 4: no capacity: left out
                candidate(4, 0.0, 0.0, 1.0, 1.0),
                // 5: same finish as 2 (30 h), better skill → ahead of 2
                candidate(5, 40.0, 0.0, 30.0, 0.6),
            ],
        };
        let ranked = rank_members(&request);
        let order: Vec<u128> = ranked.iter().map(|r| r.member.as_u128()).collect();
        assert_eq!(order, vec![5, 2, 3]);
        assert_eq!(ranked[0].expected_finish, as_of + Duration::hours(30));
        assert_eq!(ranked[2].expected_finish, as_of + Duration::hours(54));
        assert!((ranked[2].wait_hours - 42.0).abs() < 1e-9);
        // (10 queued + 10 estimate) / 40
        assert!((ranked[2].load_after - 0.5).abs() < 1e-12);
        assert!((ranked[1].load_after - 0.5).abs() < 1e-12);
        assert_eq!(ranked[1].skill_match, 0.1);
    }

    #[test]
    fn nobody_with_capacity_means_no_recommendation() {
        let request = AssignmentRequest {
            as_of: Utc.with_ymd_and_hms(2025, 5, 5, 8, 0, 0).unwrap(),
            estimate_hours: 4.0,
            candidates: vec![candidate(1, 0.0, 0.0, 4.0, 1.0)],
        };
        assert!(rank_members(&request).is_empty());
    }
}
