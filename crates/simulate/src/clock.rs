//! Business time in whole seconds since the Unix epoch: working hours and members' time off.
//!
//! A member's own clock runs only in working hours when they are not away; [`after_working`]
//! maps it to business time. The map is increasing, which is what lets the duration model carry
//! its median through it: the median of `f(W)` is `f(median W)` for an increasing `f`.

use chrono::{DateTime, NaiveDate, Utc};

pub(crate) const MINUTE: i64 = 60;
pub(crate) const HOUR: i64 = 3_600;
pub(crate) const DAY: i64 = 86_400;
pub(crate) const WEEK: i64 = 7 * DAY;

/// People act on weekdays from 08:00 to 18:00 UTC.
const WORK_BEGINS: i64 = 8 * HOUR;
const WORK_ENDS: i64 = 18 * HOUR;
/// Working hours in a week.
pub(crate) const WORKING_HOURS_PER_WEEK: f64 = 50.0;

/// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
pub(crate) fn weekday(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

pub(crate) fn day_of(t: i64) -> i64 {
    t.div_euclid(DAY)
}

/// `t` if it falls in working hours, else the next moment that does.
pub(crate) fn next_work_time(t: i64) -> i64 {
    let day = day_of(t);
    let second = t.rem_euclid(DAY);
    if weekday(day) < 5 {
        if (WORK_BEGINS..WORK_ENDS).contains(&second) {
            return t;
        }
        if second < WORK_BEGINS {
            return day * DAY + WORK_BEGINS;
        }
    }
    next_workday(day) * DAY + WORK_BEGINS
}

/// The first weekday after `day`.
pub(crate) fn next_workday(day: i64) -> i64 {
    let mut next = day + 1;
    while weekday(next) >= 5 {
        next += 1;
    }
    next
}

/// A weekday at or after `day`.
pub(crate) fn workday_at_or_after(day: i64) -> i64 {
    if weekday(day) < 5 {
        day
    } else {
        next_workday(day)
    }
}

/// 18:00 on `day`, the usual hour for a due date.
pub(crate) fn end_of_day(day: i64) -> i64 {
    day * DAY + WORK_ENDS
}

/// The moment `hours` of a member's own clock after `start`: the clock runs in working hours
/// only, and stands still during time off (`away`: sorted, disjoint, `[from, to)` in seconds).
pub(crate) fn after_working(start: i64, hours: f64, away: &[(i64, i64)]) -> i64 {
    let mut left = (hours * HOUR as f64).round() as i64;
    let mut t = start;
    let mut next_away = away.iter().peekable();
    loop {
        t = next_work_time(t);
        while next_away.next_if(|&&(_, to)| to <= t).is_some() {}
        let block_end = day_of(t) * DAY + WORK_ENDS;
        let block_end = match next_away.peek() {
            Some(&&(from, to)) if from <= t => {
                t = to;
                continue;
            }
            Some(&&(from, _)) => block_end.min(from),
            None => block_end,
        };
        if left <= block_end - t {
            return t + left;
        }
        left -= block_end - t;
        t = block_end;
    }
}

/// Whether `t` falls in one of the periods `away`.
pub(crate) fn is_away(t: i64, away: &[(i64, i64)]) -> bool {
    away.iter().any(|&(from, to)| (from..to).contains(&t))
}

pub(crate) fn to_datetime(t: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(t, 0).unwrap_or_default()
}

pub(crate) fn to_date(day: i64) -> NaiveDate {
    to_datetime(day * DAY).date_naive()
}

pub(crate) fn hours_between(from: i64, to: i64) -> f64 {
    (to - from) as f64 / HOUR as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    #[test]
    fn working_hours_are_weekdays_from_eight_to_six() {
        let friday_noon = at("2025-01-03T12:00:00Z");
        assert_eq!(weekday(day_of(friday_noon)), 4);
        assert_eq!(next_work_time(friday_noon), friday_noon);
        assert_eq!(
            next_work_time(at("2025-01-03T19:00:00Z")),
            at("2025-01-06T08:00:00Z")
        );
        assert_eq!(
            next_work_time(at("2025-01-04T10:00:00Z")),
            at("2025-01-06T08:00:00Z")
        );
        assert_eq!(
            next_work_time(at("2025-01-06T07:00:00Z")),
            at("2025-01-06T08:00:00Z")
        );
    }

    #[test]
    fn the_members_clock_runs_in_working_hours() {
        let monday = at("2025-01-06T08:00:00Z");
        assert_eq!(after_working(monday, 0.0, &[]), monday);
        assert_eq!(after_working(monday, 5.0, &[]), monday + 5 * HOUR);
        assert_eq!(after_working(monday, 12.0, &[]), monday + DAY + 2 * HOUR);
        assert_eq!(
            after_working(monday, 50.0, &[]),
            monday + 4 * DAY + 10 * HOUR
        );
        assert_eq!(after_working(monday, 51.0, &[]), monday + WEEK + HOUR);
        let friday_evening = at("2025-01-10T20:00:00Z");
        assert_eq!(
            after_working(friday_evening, 1.0, &[]),
            monday + WEEK + HOUR
        );
    }

    #[test]
    fn time_off_stops_the_members_clock() {
        let monday = at("2025-01-06T08:00:00Z");
        // Away Tuesday and Wednesday.
        let away = [(monday + 16 * HOUR, monday + 64 * HOUR)];
        assert_eq!(after_working(monday, 5.0, &away), monday + 5 * HOUR);
        assert_eq!(
            after_working(monday, 12.0, &away),
            monday + 3 * DAY + 2 * HOUR
        );
        assert_eq!(
            after_working(monday + DAY + HOUR, 1.0, &away),
            monday + 3 * DAY + HOUR
        );
        assert!(is_away(monday + DAY, &away) && !is_away(monday + 3 * DAY, &away));
    }

    #[test]
    fn the_members_clock_only_moves_forward() {
        let start = at("2025-01-02T15:00:00Z");
        let away = [(start + 30 * HOUR, start + 80 * HOUR)];
        let mut last = 0;
        for step in 0..2_000 {
            let t = after_working(start, f64::from(step) * 0.1, &away);
            assert!(t > last);
            last = t;
        }
    }
}
