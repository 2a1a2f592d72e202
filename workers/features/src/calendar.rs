//! The working calendar a task's run is measured on: weekdays, working hours of the day (UTC),
//! and the assignee's announced time off.
//!
//! Elapsed time from a run's start to its end is mostly nights, weekends and days away: three
//! working days started on a Monday take 58 elapsed hours, started on a Thursday 130. Learned
//! duration models therefore predict working hours, which depend on the work and the person,
//! and each prediction is carried to elapsed hours through the run's own calendar. The map is
//! increasing, so quantiles carry through it: the p50 of working time maps to the p50 of
//! elapsed time, and "finishes after the due date" is "needs more working time than there is
//! before it".

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::{Deserialize, Serialize};

const HOURS_PER_DAY: f64 = 24.0;
const DAYS_PER_WEEK: usize = 7;

/// Working days and hours, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WorkingHours {
    /// Hour of the day work begins and ends, `0 ≤ begin < end ≤ 24`.
    pub begin: f64,
    pub end: f64,
    /// Working days, Monday first.
    pub days: [bool; DAYS_PER_WEEK],
}

impl Default for WorkingHours {
    /// Monday to Friday, 08:00–18:00 UTC.
    fn default() -> Self {
        Self {
            begin: 8.0,
            end: 18.0,
            days: [true, true, true, true, true, false, false],
        }
    }
}

impl WorkingHours {
    fn hours_per_week(&self) -> f64 {
        self.days.iter().filter(|&&d| d).count() as f64 * (self.end - self.begin)
    }
}

/// One run's calendar: it starts on `weekday` at `hour`; days `[from, to)` counted from the
/// start's day are time off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunCalendar {
    hours: WorkingHours,
    weekday: usize,
    hour: f64,
    away: [(f64, f64); 2],
}

impl RunCalendar {
    /// A run starting on `weekday` (0 = Monday) at `hour` (UTC, fractional), with the periods of
    /// time off `(days until, days long)` counted from the start's day, as the feature row
    /// holds them; values out of range are brought into it.
    pub fn new(hours: WorkingHours, weekday: f64, hour: f64, time_off: [(f64, f64); 2]) -> Self {
        let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
        let away = time_off.map(|(until, days)| {
            let from = finite(until).max(0.0).floor();
            (from, from + finite(days).max(0.0).round())
        });
        RunCalendar {
            hours,
            weekday: (finite(weekday).round() as i64).rem_euclid(7) as usize,
            hour: finite(hour).clamp(0.0, HOURS_PER_DAY),
            away,
        }
    }

    /// A run starting at `start`.
    pub fn starting(hours: WorkingHours, start: DateTime<Utc>, time_off: [(f64, f64); 2]) -> Self {
        let weekday = f64::from(start.weekday().num_days_from_monday());
        let hour = f64::from(start.num_seconds_from_midnight()) / 3600.0;
        Self::new(hours, weekday, hour, time_off)
    }

    /// A run starting at `start` with no time off: a team's calendar rather than a person's.
    pub fn team(hours: WorkingHours, start: DateTime<Utc>) -> Self {
        Self::starting(hours, start, [(0.0, 0.0); 2])
    }

    /// Working hours within the first `elapsed` hours of the run.
    pub fn working_hours(&self, elapsed: f64) -> f64 {
        if elapsed.is_nan() || elapsed <= 0.0 {
            return 0.0;
        }
        let mut worked = 0.0;
        self.walk(|day_start, begin, end| {
            let until = elapsed - day_start;
            if until <= begin {
                return Some(worked);
            }
            worked += until.min(end) - begin;
            (until <= end).then_some(worked)
        })
    }

    /// Elapsed hours from the run's start until `working` working hours are done; working
    /// hours that end a day end it at its closing time, not at the next day's opening.
    pub fn elapsed_hours(&self, working: f64) -> f64 {
        if working.is_nan() || working <= 0.0 {
            return 0.0;
        }
        let mut left = working;
        self.walk(|day_start, begin, end| {
            if left <= end - begin {
                return Some(day_start + begin + left);
            }
            left -= end - begin;
            None
        })
    }

    /// Calls `visit(day_start, begin, end)` for each working day from the start's on, until it
    /// answers: `day_start` is the day's midnight in hours since the start, `begin` and `end`
    /// the hours after it that can be worked. A day at a time: even two years are 730 steps.
    fn walk(&self, mut visit: impl FnMut(f64, f64, f64) -> Option<f64>) -> f64 {
        if self.hours.hours_per_week() <= 0.0 {
            // No working hours at all: nothing is ever done.
            return f64::INFINITY;
        }
        for day in 0usize.. {
            let day_start = day as f64 * HOURS_PER_DAY - self.hour;
            let weekday = (self.weekday + day) % DAYS_PER_WEEK;
            let away = self
                .away
                .iter()
                .any(|&(from, to)| (from..to).contains(&(day as f64)));
            let begin = self.hours.begin.max(-day_start);
            if self.hours.days[weekday]
                && !away
                && self.hours.end > begin
                && let Some(answer) = visit(day_start, begin, self.hours.end)
            {
                return answer;
            }
        }
        unreachable!("the days run out only after usize::MAX of them")
    }
}

#[cfg(test)]
mod tests;
