//! Cumulative flow: how many tasks stood in each status at the end of each day.

use std::collections::{BTreeMap, HashMap};

use domain::TaskStatus;
use uuid::Uuid;

use super::period::{Period, daily};
use crate::model::Transition;
use crate::view::FlowDay;

#[derive(Default)]
struct Flow {
    /// Each task's status after the transitions so far. The count a transition leaves is read
    /// from here, not from its recorded `from`: with business times out of log order the two
    /// can differ, and the counts must still add up to the number of tasks.
    status: HashMap<Uuid, TaskStatus>,
    counts: BTreeMap<TaskStatus, u32>,
}

impl Flow {
    fn apply(&mut self, t: &Transition) {
        if let Some(previous) = self.status.insert(t.task_id, t.to)
            && let Some(count) = self.counts.get_mut(&previous)
        {
            *count = count.saturating_sub(1);
        }
        *self.counts.entry(t.to).or_default() += 1;
    }

    fn day(&self, date: chrono::NaiveDate) -> FlowDay {
        let count = |status| self.counts.get(&status).copied().unwrap_or(0);
        FlowDay {
            date,
            todo: count(TaskStatus::Todo),
            in_progress: count(TaskStatus::InProgress),
            blocked: count(TaskStatus::Blocked),
            done: count(TaskStatus::Done),
            cancelled: count(TaskStatus::Cancelled),
        }
    }
}

/// One point per day of `period`, from transitions sorted chronologically.
pub(crate) fn cumulative_flow(period: Period, transitions: &[Transition]) -> Vec<FlowDay> {
    daily(
        period,
        transitions,
        |t| t.occurred_at,
        &mut Flow::default(),
        Flow::apply,
        |day, flow| flow.day(day),
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::metrics::states::chronological;
    use crate::metrics::states::tests::{at, moved};

    #[test]
    fn each_day_counts_the_status_every_task_ended_it_in() {
        use TaskStatus::*;
        let mut transitions = vec![
            moved(1, Todo, at(1, 9), 1.0),
            moved(2, Todo, at(1, 10), 1.0),
            moved(1, InProgress, at(2, 9), 1.0),
            moved(1, Blocked, at(2, 11), 1.0),
            moved(1, InProgress, at(3, 9), 1.0),
            moved(1, Done, at(3, 17), 1.0),
            moved(2, Cancelled, at(5, 9), 1.0),
        ];
        chronological(&mut transitions);
        let date = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        let flow = cumulative_flow(
            Period {
                from: date(1),
                to: date(5),
            },
            &transitions,
        );
        let rows: Vec<_> = flow
            .iter()
            .map(|d| {
                (
                    d.date.format("%d").to_string(),
                    d.todo,
                    d.in_progress,
                    d.blocked,
                    d.done,
                    d.cancelled,
                )
            })
            .collect();
        let day = |d: &str, todo, wip, blocked, done, cancelled| {
            (d.to_owned(), todo, wip, blocked, done, cancelled)
        };
        assert_eq!(
            rows,
            vec![
                day("01", 2, 0, 0, 0, 0),
                day("02", 1, 0, 1, 0, 0),
                day("03", 1, 0, 0, 1, 0),
                day("04", 1, 0, 0, 1, 0),
                day("05", 0, 0, 0, 1, 1),
            ]
        );
    }
}
