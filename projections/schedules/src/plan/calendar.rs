//! Working time: a weekly capacity spread over Monday to Friday, no work on weekends or time off.
//!
//! Each working day has one window of `capacity / 5` hours starting at 09:00 UTC (earlier when
//! the day's hours would not fit before midnight; never more than 24 hours). Time inside the
//! planner is counted in whole seconds so that sums never drift.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

/// The calendar of work that has no member to do it (unassigned tasks, unknown assignees).
pub const STANDARD_HOURS_PER_WEEK: f64 = 40.0;
const DAY_SECS: i64 = 86_400;
const DAY_START_SECS: i64 = 9 * 3_600;

/// Why no time could be found for a piece of work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoTime {
    /// The calendar has no working hours at all.
    NoCapacity,
    /// The work would end after the planning horizon.
    BeyondHorizon,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    daily_secs: i64,
    /// Sorted by start, overlapping and adjacent ranges merged; both ends included.
    time_off: Vec<(NaiveDate, NaiveDate)>,
}

impl Calendar {
    pub fn new(capacity_hours_per_week: f64, time_off: &[(NaiveDate, NaiveDate)]) -> Self {
        let daily = capacity_hours_per_week / 5.0 * 3_600.0;
        // NaN and negative capacities mean no time; `as` saturates, and a day has 24 hours.
        let daily_secs = if daily.is_finite() && daily > 0.0 {
            (daily.round() as i64).min(DAY_SECS)
        } else {
            0
        };
        Self {
            daily_secs,
            time_off: merge(time_off),
        }
    }

    pub fn standard() -> Self {
        Self::new(STANDARD_HOURS_PER_WEEK, &[])
    }

    /// The working window of a day, start and end.
    fn window(&self, day: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
        let midnight = day.and_time(NaiveTime::MIN);
        let start = midnight + TimeDelta::seconds(DAY_START_SECS.min(DAY_SECS - self.daily_secs));
        (start, start + TimeDelta::seconds(self.daily_secs))
    }

    /// The last day of the time off that contains `day`, if any.
    fn off_until(&self, day: NaiveDate) -> Option<NaiveDate> {
        let i = self.time_off.partition_point(|&(_, to)| to < day);
        self.time_off
            .get(i)
            .filter(|&&(from, _)| from <= day)
            .map(|&(_, to)| to)
    }

    /// The first moment at or after `at` when work can be done, on or before the day `limit`.
    pub fn next_working_moment(
        &self,
        at: NaiveDateTime,
        limit: NaiveDate,
    ) -> Result<NaiveDateTime, NoTime> {
        if self.daily_secs <= 0 {
            return Err(NoTime::NoCapacity);
        }
        let mut at = at;
        let mut day = at.date();
        loop {
            if day > limit {
                return Err(NoTime::BeyondHorizon);
            }
            // Every branch moves `day` forward, so the loop ends at `limit` at the latest.
            let skip_to = match day.weekday() {
                Weekday::Sat => day.checked_add_days(chrono::Days::new(2)),
                Weekday::Sun => day.succ_opt(),
                _ => match self.off_until(day) {
                    Some(to) => to.succ_opt(),
                    None => {
                        let (start, end) = self.window(day);
                        let moment = at.max(start);
                        if moment < end {
                            return Ok(moment);
                        }
                        day.succ_opt()
                    }
                },
            };
            day = skip_to.ok_or(NoTime::BeyondHorizon)?;
            at = day.and_time(NaiveTime::MIN);
        }
    }

    /// Works `secs` seconds from the first working moment at or after `at`: the start and the finish.
    pub fn work(
        &self,
        at: NaiveDateTime,
        secs: i64,
        limit: NaiveDate,
    ) -> Result<(NaiveDateTime, NaiveDateTime), NoTime> {
        let start = self.next_working_moment(at, limit)?;
        let mut moment = start;
        let mut remaining = secs.max(0);
        loop {
            let (_, end) = self.window(moment.date());
            let available = (end - moment).num_seconds();
            if remaining <= available {
                return Ok((start, moment + TimeDelta::seconds(remaining)));
            }
            remaining -= available;
            let next_day = moment.date().succ_opt().ok_or(NoTime::BeyondHorizon)?;
            moment = self.next_working_moment(next_day.and_time(NaiveTime::MIN), limit)?;
        }
    }
}

fn merge(ranges: &[(NaiveDate, NaiveDate)]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut sorted: Vec<_> = ranges
        .iter()
        .copied()
        .filter(|(from, to)| from <= to)
        .collect();
    sorted.sort();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(sorted.len());
    for (from, to) in sorted {
        match merged.last_mut() {
            Some(last) if last.1.succ_opt().is_none_or(|next| from <= next) => {
                last.1 = last.1.max(to)
            }
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// Hours as whole seconds (at least 0).
pub fn secs(hours: f64) -> i64 {
    if hours.is_finite() && hours > 0.0 {
        (hours * 3_600.0).round() as i64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    const FAR: &str = "2100-01-01";

    #[test]
    fn a_full_time_day_runs_from_nine_to_five() {
        let cal = Calendar::standard();
        // 2024-03-04 is a Monday.
        assert_eq!(
            cal.work(t("2024-03-04 00:00"), secs(8.0), d(FAR)),
            Ok((t("2024-03-04 09:00"), t("2024-03-04 17:00")))
        );
        assert_eq!(
            cal.work(t("2024-03-04 00:00"), secs(10.0), d(FAR)),
            Ok((t("2024-03-04 09:00"), t("2024-03-05 11:00")))
        );
    }

    #[test]
    fn weekends_are_skipped() {
        let cal = Calendar::standard();
        assert_eq!(
            cal.next_working_moment(t("2024-03-09 10:00"), d(FAR)),
            Ok(t("2024-03-11 09:00"))
        );
        // Friday 13:00 plus 6 hours: 4 on Friday, 2 on Monday.
        assert_eq!(
            cal.work(t("2024-03-08 13:00"), secs(6.0), d(FAR)),
            Ok((t("2024-03-08 13:00"), t("2024-03-11 11:00")))
        );
    }

    #[test]
    fn time_off_is_skipped_and_merged() {
        let cal = Calendar::new(
            40.0,
            &[
                (d("2024-03-05"), d("2024-03-06")),
                (d("2024-03-07"), d("2024-03-07")),
            ],
        );
        assert_eq!(cal.time_off, vec![(d("2024-03-05"), d("2024-03-07"))]);
        // Monday, then Tuesday to Thursday off, then Friday.
        assert_eq!(
            cal.work(t("2024-03-04 00:00"), secs(16.0), d(FAR)),
            Ok((t("2024-03-04 09:00"), t("2024-03-08 17:00")))
        );
    }

    #[test]
    fn half_time_is_four_hours_a_day() {
        let cal = Calendar::new(20.0, &[]);
        assert_eq!(
            cal.work(t("2024-03-04 00:00"), secs(4.0), d(FAR)),
            Ok((t("2024-03-04 09:00"), t("2024-03-04 13:00")))
        );
        assert_eq!(
            cal.next_working_moment(t("2024-03-04 13:00"), d(FAR)),
            Ok(t("2024-03-05 09:00"))
        );
    }

    #[test]
    fn a_large_capacity_fills_the_day_but_never_more() {
        let cal = Calendar::new(168.0, &[]);
        assert_eq!(
            cal.window(d("2024-03-04")),
            (t("2024-03-04 00:00"), t("2024-03-05 00:00"))
        );
        let cal = Calendar::new(80.0, &[]);
        assert_eq!(
            cal.window(d("2024-03-04")),
            (t("2024-03-04 08:00"), t("2024-03-05 00:00"))
        );
    }

    #[test]
    fn no_capacity_and_the_horizon_end_the_search() {
        assert_eq!(
            Calendar::new(0.0, &[]).work(t("2024-03-04 00:00"), 60, d(FAR)),
            Err(NoTime::NoCapacity)
        );
        assert_eq!(
            Calendar::new(f64::NAN, &[]).next_working_moment(t("2024-03-04 00:00"), d(FAR)),
            Err(NoTime::NoCapacity)
        );
        let away = Calendar::new(40.0, &[(d("2024-01-01"), NaiveDate::MAX)]);
        assert_eq!(
            away.next_working_moment(t("2024-03-04 00:00"), d(FAR)),
            Err(NoTime::BeyondHorizon)
        );
        assert_eq!(
            Calendar::standard().work(t("2024-03-04 00:00"), secs(100.0), d("2024-03-08")),
            Err(NoTime::BeyondHorizon)
        );
    }

    #[test]
    fn zero_work_finishes_where_it_starts() {
        assert_eq!(
            Calendar::standard().work(t("2024-03-04 12:00"), 0, d(FAR)),
            Ok((t("2024-03-04 12:00"), t("2024-03-04 12:00")))
        );
    }
}
