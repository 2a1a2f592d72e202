//! Throughput: tasks completed per ISO week.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use uuid::Uuid;

use super::period::Period;
use super::states::TaskAsOf;
use crate::view::WeekThroughput;

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// Every ISO week that overlaps `period`, with the tasks done as of its end counted in the week
/// of their last completion (a reopened and re-completed task counts once, when it last finished).
pub(crate) fn throughput(period: Period, states: &BTreeMap<Uuid, TaskAsOf>) -> Vec<WeekThroughput> {
    if period.to < period.from {
        return Vec::new();
    }
    let mut weeks: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    let mut monday = monday_of(period.from);
    while monday <= period.to {
        weeks.insert(monday, 0);
        monday = monday + Days::new(7);
    }
    for completed in states.values().filter_map(|s| s.completed_at) {
        if let Some(count) = weeks.get_mut(&monday_of(completed.date_naive())) {
            *count += 1;
        }
    }
    weeks
        .into_iter()
        .map(|(week_start, completed)| {
            let iso = week_start.iso_week();
            WeekThroughput {
                week: format!("{}-W{:02}", iso.year(), iso.week()),
                week_start,
                completed,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use domain::TaskStatus;

    use super::*;
    use crate::metrics::states::tests::at;

    fn done(task: u128, day: u32) -> (Uuid, TaskAsOf) {
        let s = TaskAsOf {
            status: TaskStatus::Done,
            first_start: Some(at(1, 0)),
            completed_at: Some(at(day, 12)),
        };
        (Uuid::from_u128(task), s)
    }

    #[test]
    fn completions_fall_in_their_iso_week_and_empty_weeks_show() {
        // March 2025: the 3rd is a Monday (W10); the 2nd is a Sunday (W09).
        let states: BTreeMap<_, _> = [done(1, 2), done(2, 3), done(3, 9), done(4, 19)]
            .into_iter()
            .collect();
        let mut open = states.clone();
        open.insert(
            Uuid::from_u128(5),
            TaskAsOf {
                status: TaskStatus::InProgress,
                first_start: None,
                completed_at: None,
            },
        );
        let date = |d| NaiveDate::from_ymd_opt(2025, 3, d).unwrap();
        let got = throughput(
            Period {
                from: date(1),
                to: date(20),
            },
            &open,
        );
        let summary: Vec<_> = got
            .iter()
            .map(|w| (w.week.as_str(), w.week_start, w.completed))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("2025-W09", date(1) - Days::new(5), 1),
                ("2025-W10", date(3), 2),
                ("2025-W11", date(10), 0),
                ("2025-W12", date(17), 1)
            ]
        );
        assert!(
            throughput(
                Period {
                    from: date(5),
                    to: date(4)
                },
                &states
            )
            .is_empty()
        );
    }
}
