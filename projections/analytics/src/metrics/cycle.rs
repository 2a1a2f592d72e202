//! Cycle time (first start to last completion) and the age of work in progress against it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::TaskStatus;
use uuid::Uuid;

use super::percentile::{nearest_rank, sorted};
use super::states::TaskAsOf;
use crate::view::{AgeingTask, CycleTime, round6};

fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

/// Cycle times in hours of the tasks done in `states`, ascending. Business times come from
/// clients and may contradict the order of the moves (a completion dated before the start);
/// such a task has no meaningful cycle time and is left out.
pub(crate) fn cycle_hours(states: &BTreeMap<Uuid, TaskAsOf>) -> Vec<f64> {
    let hours = states
        .values()
        .filter_map(|s| Some(hours_between(s.first_start?, s.completed_at?)))
        .filter(|hours| *hours >= 0.0)
        .collect();
    sorted(hours)
}

pub(crate) fn cycle_time(sorted_hours: &[f64]) -> CycleTime {
    let p = |percent| nearest_rank(sorted_hours, percent).map(round6);
    CycleTime {
        count: sorted_hours.len() as u32,
        p50_hours: p(50),
        p85_hours: p(85),
        p95_hours: p(95),
    }
}

/// Tasks in progress or blocked at `cutoff` that have started, oldest first, each against `p85`
/// hours. A task blocked before it ever started has no age and is left out.
pub(crate) fn ageing_wip(
    states: &BTreeMap<Uuid, TaskAsOf>,
    assignees: &BTreeMap<Uuid, Option<Uuid>>,
    cutoff: DateTime<Utc>,
    p85: Option<f64>,
) -> Vec<AgeingTask> {
    let mut ageing: Vec<AgeingTask> = states
        .iter()
        .filter(|(_, s)| matches!(s.status, TaskStatus::InProgress | TaskStatus::Blocked))
        .filter_map(|(id, s)| {
            let started_at = s.first_start?;
            let age_hours = round6(hours_between(started_at, cutoff));
            Some(AgeingTask {
                task_id: *id,
                status: s.status.as_str().to_owned(),
                assignee: assignees.get(id).copied().flatten(),
                started_at,
                age_hours,
                over_p85: p85.is_some_and(|p85| age_hours > p85),
            })
        })
        .collect();
    ageing.sort_by(|a, b| {
        b.age_hours
            .total_cmp(&a.age_hours)
            .then(a.task_id.cmp(&b.task_id))
    });
    ageing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::states::tests::at;

    fn state(
        status: TaskStatus,
        start: Option<DateTime<Utc>>,
        done: Option<DateTime<Utc>>,
    ) -> TaskAsOf {
        TaskAsOf {
            status,
            first_start: start,
            completed_at: done,
        }
    }

    #[test]
    fn cycle_time_percentiles_by_hand() {
        use TaskStatus::*;
        // Cycle times 24, 48, 3, 72 hours; a done task without a start, one completed "before" it
        // started and an open one are skipped.
        let states: BTreeMap<Uuid, TaskAsOf> = [
            state(Done, Some(at(1, 9)), Some(at(2, 9))),
            state(Done, Some(at(1, 9)), Some(at(3, 9))),
            state(Done, Some(at(1, 9)), Some(at(1, 12))),
            state(Done, Some(at(1, 9)), Some(at(4, 9))),
            state(Done, None, Some(at(4, 9))),
            state(Done, Some(at(4, 9)), Some(at(3, 9))),
            state(InProgress, Some(at(1, 9)), None),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, s)| (Uuid::from_u128(i as u128), s))
        .collect();
        let hours = cycle_hours(&states);
        assert_eq!(hours, vec![3.0, 24.0, 48.0, 72.0]);
        // n = 4: p50 → rank 2 (24), p85 → ceil(3.4) = 4 (72), p95 → ceil(3.8) = 4 (72).
        let ct = cycle_time(&hours);
        assert_eq!(
            ct,
            CycleTime {
                count: 4,
                p50_hours: Some(24.0),
                p85_hours: Some(72.0),
                p95_hours: Some(72.0)
            }
        );
        assert_eq!(
            cycle_time(&[]),
            CycleTime {
                count: 0,
                p50_hours: None,
                p85_hours: None,
                p95_hours: None
            }
        );
    }

    #[test]
    fn ageing_wip_measures_from_first_start_to_the_cutoff() {
        use TaskStatus::*;
        let member = Uuid::from_u128(77);
        let states: BTreeMap<Uuid, TaskAsOf> = [
            (1, state(InProgress, Some(at(4, 9)), None)),
            (2, state(Blocked, Some(at(1, 0)), None)),
            (3, state(Blocked, None, None)),
            (4, state(Todo, Some(at(1, 0)), None)),
            (5, state(Done, Some(at(1, 0)), Some(at(2, 0)))),
        ]
        .into_iter()
        .map(|(i, s)| (Uuid::from_u128(i), s))
        .collect();
        let assignees = [(Uuid::from_u128(1), Some(member))].into_iter().collect();
        let got = ageing_wip(&states, &assignees, at(5, 0), Some(48.0));
        let summary: Vec<_> = got
            .iter()
            .map(|a| {
                (
                    a.task_id,
                    a.status.as_str(),
                    a.assignee,
                    a.age_hours,
                    a.over_p85,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (Uuid::from_u128(2), "blocked", None, 96.0, true),
                (Uuid::from_u128(1), "in_progress", Some(member), 15.0, false)
            ]
        );
        assert!(
            ageing_wip(&states, &assignees, at(5, 0), None)
                .iter()
                .all(|a| !a.over_p85)
        );
    }
}
