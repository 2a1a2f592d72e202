//! The weekly plan of a project: week 1 starts on the Monday of the project's start date.

use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::Serialize;
use uuid::Uuid;

/// Weeks listed at most (more than the planning horizon): a milestone due in a far future
/// cannot make the answer unbounded; what falls after the last listed week is left out.
pub const MAX_WEEKS: i64 = 3_200;
/// Weeks listed before week 1 at most, for milestones due before the project's start.
pub const MAX_WEEKS_BEFORE_START: i64 = 520;

/// What happens in one week of a project.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WeekPlan {
    /// 1 for the week of the project's start; earlier weeks (a milestone due before the start)
    /// count down from 0.
    pub week: i64,
    /// The Monday of the week.
    pub starts_on: NaiveDate,
    pub milestones_due: Vec<Uuid>,
    /// Tasks planned to start this week (some may also finish in it).
    pub starting: Vec<Uuid>,
    /// Tasks planned to finish this week.
    pub finishing: Vec<Uuid>,
    /// Tasks planned to start before this week and finish after it.
    pub in_progress: Vec<Uuid>,
}

fn monday(date: NaiveDate) -> NaiveDate {
    date - TimeDelta::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The week of `date` in a project that starts on `start_date`.
pub fn week_number(start_date: NaiveDate, date: NaiveDate) -> i64 {
    (monday(date) - monday(start_date)).num_days().div_euclid(7) + 1
}

/// Every week from week 1 (or the earliest week with something in it) to the last week with
/// something in it, at most [`MAX_WEEKS`]. `tasks` are (id, planned start day, planned finish day).
pub fn weekly_plan(
    start_date: NaiveDate,
    milestones: &[(Uuid, NaiveDate)],
    tasks: &[(Uuid, NaiveDate, NaiveDate)],
) -> Vec<WeekPlan> {
    let week = |date| week_number(start_date, date);
    let weeks = milestones
        .iter()
        .map(|m| week(m.1))
        .chain(tasks.iter().flat_map(|t| [week(t.1), week(t.2)]));
    let Some(first) = weeks
        .clone()
        .min()
        .map(|w| w.clamp(-MAX_WEEKS_BEFORE_START, 1))
    else {
        return Vec::new();
    };
    let last = weeks
        .max()
        .map_or(1, |w| w.max(1))
        .min(first + MAX_WEEKS - 1);
    let mut plan: Vec<WeekPlan> = (first..=last)
        .map(|number| WeekPlan {
            week: number,
            starts_on: monday(start_date) + TimeDelta::weeks(number - 1),
            milestones_due: Vec::new(),
            starting: Vec::new(),
            finishing: Vec::new(),
            in_progress: Vec::new(),
        })
        .collect();
    let slot = |number: i64| usize::try_from(number - first).ok();
    for &(id, due) in milestones {
        if let Some(w) = slot(week(due)).and_then(|i| plan.get_mut(i)) {
            w.milestones_due.push(id);
        }
    }
    for &(id, start, finish) in tasks {
        let (from, to) = (week(start), week(finish));
        if let Some(w) = slot(from).and_then(|i| plan.get_mut(i)) {
            w.starting.push(id);
        }
        if let Some(w) = slot(to).and_then(|i| plan.get_mut(i)) {
            w.finishing.push(id);
        }
        for number in (from + 1).max(first)..to {
            if let Some(w) = slot(number).and_then(|i| plan.get_mut(i)) {
                w.in_progress.push(id);
            }
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn week_one_starts_on_the_monday_of_the_start_date() {
        // 2024-03-06 is a Wednesday; its Monday is 2024-03-04.
        let start = d("2024-03-06");
        assert_eq!(week_number(start, d("2024-03-04")), 1);
        assert_eq!(week_number(start, d("2024-03-10")), 1);
        assert_eq!(week_number(start, d("2024-03-11")), 2);
        assert_eq!(week_number(start, d("2024-03-03")), 0);
    }

    #[test]
    fn tasks_start_finish_and_run_through_weeks() {
        let start = d("2024-03-06");
        let milestones = [(id(9), d("2024-03-22"))];
        let tasks = [
            (id(1), d("2024-03-06"), d("2024-03-07")),
            (id(2), d("2024-03-08"), d("2024-03-27")),
        ];
        let plan = weekly_plan(start, &milestones, &tasks);
        assert_eq!(plan.len(), 4);
        assert_eq!(plan[0].starts_on, d("2024-03-04"));
        assert_eq!(
            (plan[0].starting.clone(), plan[0].finishing.clone()),
            (vec![id(1), id(2)], vec![id(1)])
        );
        assert_eq!(plan[1].in_progress, vec![id(2)]);
        assert_eq!(plan[2].milestones_due, vec![id(9)]);
        assert_eq!(plan[2].in_progress, vec![id(2)]);
        assert_eq!((plan[3].week, plan[3].finishing.clone()), (4, vec![id(2)]));
        assert!(plan[3].starting.is_empty() && plan[3].in_progress.is_empty());
    }

    #[test]
    fn an_empty_project_has_no_weeks_and_early_milestones_count_down() {
        assert!(weekly_plan(d("2024-03-06"), &[], &[]).is_empty());
        let plan = weekly_plan(d("2024-03-06"), &[(id(1), d("2024-02-28"))], &[]);
        assert_eq!(plan.iter().map(|w| w.week).collect::<Vec<_>>(), vec![0, 1]);
        assert_eq!(plan[0].milestones_due, vec![id(1)]);
    }

    #[test]
    fn the_number_of_weeks_is_bounded() {
        let plan = weekly_plan(
            d("2024-03-06"),
            &[(id(1), d("2024-03-20")), (id(2), d("9999-12-31"))],
            &[],
        );
        assert_eq!(plan.len(), MAX_WEEKS as usize);
        assert_eq!(plan[2].milestones_due, vec![id(1)]);
        assert!(plan.iter().all(|w| !w.milestones_due.contains(&id(2))));
        let plan = weekly_plan(d("2024-03-06"), &[(id(1), d("0001-01-01"))], &[]);
        assert_eq!(plan.len(), MAX_WEEKS_BEFORE_START as usize + 2);
        assert!(plan.iter().all(|w| w.milestones_due.is_empty()));
    }
}
