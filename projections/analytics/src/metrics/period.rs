//! Days and the day-by-day sweep: what held at the end of each day (UTC), by business time.

use chrono::{DateTime, Days, NaiveDate, Utc};

/// The days of a series, both ends included; empty when `to` is before `from`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Series never span more than this many days, so that a far `as_of` cannot blow up an answer.
pub(crate) const MAX_DAYS: u64 = 3660;

impl Period {
    /// From the project's start (or its first event, if earlier) to `as_of`, at most `MAX_DAYS`.
    pub fn of_project(
        start_date: NaiveDate,
        first_event: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> Period {
        let earliest = first_event.map_or(start_date, |first| first.min(start_date));
        let floor = as_of
            .checked_sub_days(Days::new(MAX_DAYS - 1))
            .unwrap_or(NaiveDate::MIN);
        Period {
            from: earliest.max(floor),
            to: as_of,
        }
    }

    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let to = self.to;
        self.from.iter_days().take_while(move |day| *day <= to)
    }
}

/// The first instant after `day`: events strictly before it happened on or before that day.
pub(crate) fn end_of(day: NaiveDate) -> DateTime<Utc> {
    let next = day.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX);
    next.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// For each day of `period`, folds into `state` every event up to the end of that day (events
/// sorted by time), then records the state.
pub(crate) fn daily<E, S, T>(
    period: Period,
    events: &[E],
    at: impl Fn(&E) -> DateTime<Utc>,
    state: &mut S,
    mut apply: impl FnMut(&mut S, &E),
    mut record: impl FnMut(NaiveDate, &S) -> T,
) -> Vec<T> {
    let mut next = 0;
    let mut out = Vec::new();
    for day in period.days() {
        let end = end_of(day);
        while let Some(event) = events.get(next).filter(|e| at(e) < end) {
            apply(state, event);
            next += 1;
        }
        out.push(record(day, state));
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, d).unwrap()
    }

    #[test]
    fn a_project_period_starts_at_the_earlier_of_start_and_first_event() {
        let p = Period::of_project(date(3, 10), Some(date(3, 8)), date(3, 12));
        assert_eq!(
            p.days().collect::<Vec<_>>(),
            vec![
                date(3, 8),
                date(3, 9),
                date(3, 10),
                date(3, 11),
                date(3, 12)
            ]
        );
        let p = Period::of_project(date(3, 10), Some(date(3, 11)), date(3, 11));
        assert_eq!(p.from, date(3, 10));
        assert_eq!(
            Period::of_project(date(3, 10), None, date(3, 9))
                .days()
                .count(),
            0
        );
        let long = Period::of_project(date(1, 1), None, date(1, 1) + Days::new(100_000));
        assert_eq!(long.days().count() as u64, MAX_DAYS);
    }

    #[test]
    fn the_sweep_counts_each_event_on_its_own_day_and_after() {
        let events = [
            Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(2025, 3, 2, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2025, 3, 3, 0, 0, 0).unwrap(),
        ];
        let period = Period {
            from: date(3, 1),
            to: date(3, 4),
        };
        let counts = daily(
            period,
            &events,
            |e| *e,
            &mut 0,
            |n, _| *n += 1,
            |day, n| (day, *n),
        );
        assert_eq!(
            counts,
            vec![
                (date(3, 1), 1),
                (date(3, 2), 2),
                (date(3, 3), 3),
                (date(3, 4), 3)
            ]
        );
        assert_eq!(
            end_of(date(3, 1)),
            Utc.with_ymd_and_hms(2025, 3, 2, 0, 0, 0).unwrap()
        );
    }
}
