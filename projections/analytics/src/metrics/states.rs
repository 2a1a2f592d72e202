//! Each task's state as of an instant, from its transitions: where the as-of answers start.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::TaskStatus;
use uuid::Uuid;

use crate::model::Transition;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TaskAsOf {
    pub status: TaskStatus,
    /// The earliest move into in progress.
    pub first_start: Option<DateTime<Utc>>,
    /// When it was last completed, while it is done.
    pub completed_at: Option<DateTime<Utc>>,
}

/// Sorts transitions by business time; the log position breaks ties (and is the log's order).
pub(crate) fn chronological(transitions: &mut [Transition]) {
    transitions.sort_by_key(|t| (t.occurred_at, t.position));
}

/// The state of every task created before `cutoff`, from transitions sorted chronologically.
pub(crate) fn states_before(
    transitions: &[Transition],
    cutoff: DateTime<Utc>,
) -> BTreeMap<Uuid, TaskAsOf> {
    let mut states: BTreeMap<Uuid, TaskAsOf> = BTreeMap::new();
    for t in transitions.iter().take_while(|t| t.occurred_at < cutoff) {
        let state = states.entry(t.task_id).or_insert(TaskAsOf {
            status: t.to,
            first_start: None,
            completed_at: None,
        });
        state.status = t.to;
        if t.to == TaskStatus::InProgress && state.first_start.is_none() {
            state.first_start = Some(t.occurred_at);
        }
        // Only the last completion counts, and only while the task stays done.
        state.completed_at = (t.to == TaskStatus::Done).then_some(t.occurred_at);
    }
    states
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::TimeZone;

    use super::*;

    pub(crate) fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0).unwrap()
    }

    /// A transition of task `task` (a small number) to `to`, at `when`; position `when`'s order.
    pub(crate) fn moved(
        task: u128,
        to: TaskStatus,
        when: DateTime<Utc>,
        estimate: f64,
    ) -> Transition {
        Transition {
            position: when.timestamp() * 100 + task as i64,
            task_id: Uuid::from_u128(task),
            project_id: Uuid::from_u128(1000),
            milestone_id: None,
            from: None,
            to,
            occurred_at: when,
            estimate_hours: estimate,
        }
    }

    #[test]
    fn as_of_a_cutoff_a_reopened_task_is_done_only_after_its_last_completion() {
        use TaskStatus::*;
        let mut transitions = vec![
            moved(1, Done, at(4, 9), 8.0),
            moved(1, Todo, at(1, 9), 8.0),
            moved(1, InProgress, at(2, 9), 8.0),
            moved(1, Todo, at(5, 9), 8.0),
            moved(1, InProgress, at(6, 9), 8.0),
            moved(1, Done, at(7, 9), 8.0),
            moved(2, Todo, at(8, 9), 8.0),
        ];
        chronological(&mut transitions);
        let id = Uuid::from_u128(1);
        let s = states_before(&transitions, at(4, 10))[&id];
        assert_eq!(
            s,
            TaskAsOf {
                status: Done,
                first_start: Some(at(2, 9)),
                completed_at: Some(at(4, 9))
            }
        );
        let s = states_before(&transitions, at(6, 10))[&id];
        assert_eq!(
            s,
            TaskAsOf {
                status: InProgress,
                first_start: Some(at(2, 9)),
                completed_at: None
            }
        );
        let all = states_before(&transitions, at(9, 0));
        assert_eq!(all[&id].completed_at, Some(at(7, 9)));
        assert_eq!(all.len(), 2);
        assert!(states_before(&transitions, at(1, 9)).is_empty());
    }
}
