//! Burn-up (done work against scope, per day) and burn-down per milestone (what remains, per day).

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::TaskStatus;
use uuid::Uuid;

use super::period::{Period, daily};
use crate::model::{MilestoneRow, ScopeChange, Transition};
use crate::view::{BurnDownDay, BurnUpDay, MilestoneBurnDown, round6};

/// Done work so far: each task's latest status with its estimate at that moment.
#[derive(Default)]
struct Done {
    tasks: HashMap<Uuid, (TaskStatus, f64)>,
    hours: f64,
    count: i64,
}

impl Done {
    fn apply(&mut self, t: &Transition) {
        if let Some((TaskStatus::Done, hours)) =
            self.tasks.insert(t.task_id, (t.to, t.estimate_hours))
        {
            self.hours -= hours;
            self.count -= 1;
        }
        if t.to == TaskStatus::Done {
            self.hours += t.estimate_hours;
            self.count += 1;
        }
    }
}

/// One point per day of `period`: done hours and tasks, and the scope line (every task created,
/// as re-estimated, less those cancelled). Both inputs sorted chronologically.
pub(crate) fn burn_up(
    period: Period,
    transitions: &[Transition],
    scope: &[ScopeChange],
) -> Vec<BurnUpDay> {
    let done = daily(
        period,
        transitions,
        |t| t.occurred_at,
        &mut Done::default(),
        Done::apply,
        |_, d| (d.hours, d.count),
    );
    let scope = daily(
        period,
        scope,
        |s| s.occurred_at,
        &mut (0.0, 0i64),
        |total, s| *total = (total.0 + s.delta_hours, total.1 + i64::from(s.delta_tasks)),
        |day, total| (day, *total),
    );
    done.into_iter()
        .zip(scope)
        .map(
            |((done_hours, done_tasks), (date, (scope_hours, scope_tasks)))| BurnUpDay {
                date,
                done_hours: round6(done_hours),
                done_tasks,
                scope_hours: round6(scope_hours),
                scope_tasks,
            },
        )
        .collect()
}

/// The milestone's remaining estimate (scope less done) per day from `from` to its due date or
/// `as_of`, whichever comes first, and as of `as_of`.
pub(crate) fn burn_down(
    milestone: &MilestoneRow,
    from: NaiveDate,
    as_of: NaiveDate,
    transitions: &[Transition],
    scope: &[ScopeChange],
) -> MilestoneBurnDown {
    let ours = Some(milestone.id);
    let transitions: Vec<Transition> = transitions
        .iter()
        .filter(|t| t.milestone_id == ours)
        .cloned()
        .collect();
    let scope: Vec<ScopeChange> = scope
        .iter()
        .filter(|s| s.milestone_id == ours)
        .cloned()
        .collect();
    let series = burn_up(Period { from, to: as_of }, &transitions, &scope);
    let remaining = |d: &BurnUpDay| BurnDownDay {
        date: d.date,
        remaining_hours: round6(d.scope_hours - d.done_hours),
        remaining_tasks: d.scope_tasks - d.done_tasks,
    };
    let now = series.last().map(remaining);
    MilestoneBurnDown {
        milestone_id: milestone.id,
        name: milestone.name.clone(),
        due_date: milestone.due_date,
        completed_at: milestone.completed_at,
        remaining_hours: now.as_ref().map_or(0.0, |d| d.remaining_hours),
        remaining_tasks: now.as_ref().map_or(0, |d| d.remaining_tasks),
        days: series
            .iter()
            .filter(|d| d.date <= milestone.due_date)
            .map(remaining)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::states::tests::{at, moved};

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    fn scope(task: u128, day: u32, hours: f64, tasks: i32, milestone: Option<Uuid>) -> ScopeChange {
        ScopeChange {
            position: i64::from(day) * 100 + task as i64,
            project_id: Uuid::from_u128(1000),
            milestone_id: milestone,
            task_id: Uuid::from_u128(task),
            occurred_at: at(day, 9),
            delta_hours: hours,
            delta_tasks: tasks,
        }
    }

    fn in_milestone(mut t: Transition, m: Uuid) -> Transition {
        t.milestone_id = Some(m);
        t
    }

    /// Task 1 (8 h) done on the 2nd, reopened on the 3rd, done again on the 4th; task 2 (4 h,
    /// re-estimated to 6 h on the 3rd) done on the 3rd; task 3 (5 h) added on the 3rd and cancelled
    /// on the 5th. Tasks 1 and 3 belong to milestone M.
    fn history(m: Uuid) -> (Vec<Transition>, Vec<ScopeChange>) {
        use TaskStatus::*;
        let transitions = vec![
            in_milestone(moved(1, Todo, at(1, 9), 8.0), m),
            moved(2, Todo, at(1, 9), 4.0),
            in_milestone(moved(1, InProgress, at(1, 10), 8.0), m),
            in_milestone(moved(1, Done, at(2, 10), 8.0), m),
            in_milestone(moved(1, Todo, at(3, 8), 8.0), m),
            in_milestone(moved(3, Todo, at(3, 9), 5.0), m),
            moved(2, InProgress, at(3, 10), 6.0),
            moved(2, Done, at(3, 12), 6.0),
            in_milestone(moved(1, InProgress, at(4, 8), 8.0), m),
            in_milestone(moved(1, Done, at(4, 10), 8.0), m),
            in_milestone(moved(3, Cancelled, at(5, 10), 5.0), m),
        ];
        let scope = vec![
            scope(1, 1, 8.0, 1, Some(m)),
            scope(2, 1, 4.0, 1, None),
            scope(2, 3, 2.0, 0, None),
            scope(3, 3, 5.0, 1, Some(m)),
            scope(3, 5, -5.0, -1, Some(m)),
        ];
        (transitions, scope)
    }

    #[test]
    fn burn_up_by_hand() {
        let (transitions, scope) = history(Uuid::from_u128(9));
        let got = burn_up(
            Period {
                from: date(1),
                to: date(6),
            },
            &transitions,
            &scope,
        );
        let rows: Vec<_> = got
            .iter()
            .map(|d| (d.done_hours, d.done_tasks, d.scope_hours, d.scope_tasks))
            .collect();
        assert_eq!(
            rows,
            vec![
                (0.0, 0, 12.0, 2),
                (8.0, 1, 12.0, 2),
                (6.0, 1, 19.0, 3),
                (14.0, 2, 19.0, 3),
                (14.0, 2, 14.0, 2),
                (14.0, 2, 14.0, 2)
            ]
        );
        assert_eq!(got[0].date, date(1));
    }

    #[test]
    fn burn_down_stops_at_the_due_date_and_reports_as_of() {
        let m = Uuid::from_u128(9);
        let (transitions, scope) = history(m);
        let milestone = MilestoneRow {
            project_id: Uuid::from_u128(1000),
            id: m,
            name: "M".into(),
            due_date: date(4),
            completed_at: None,
        };
        let got = burn_down(&milestone, date(1), date(6), &transitions, &scope);
        let days: Vec<_> = got
            .days
            .iter()
            .map(|d| (d.date, d.remaining_hours, d.remaining_tasks))
            .collect();
        assert_eq!(
            days,
            vec![
                (date(1), 8.0, 1),
                (date(2), 0.0, 0),
                (date(3), 13.0, 2),
                (date(4), 5.0, 1)
            ]
        );
        assert_eq!((got.remaining_hours, got.remaining_tasks), (0.0, 0));
        // As of a day before the due date, the series ends at that day.
        let early = burn_down(&milestone, date(1), date(2), &transitions, &scope);
        assert_eq!(early.days.len(), 2);
        assert_eq!((early.remaining_hours, early.remaining_tasks), (0.0, 0));
    }
}
