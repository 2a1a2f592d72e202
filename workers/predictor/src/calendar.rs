//! Where a feature row holds its run's working calendar ([`features::calendar`]), which the
//! learned duration models measure time on.

use serde::{Deserialize, Serialize};

pub use features::calendar::{RunCalendar, WorkingHours};

use crate::dataset::{DatasetError, column_of};

/// Where a feature row holds its run's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarColumns {
    start_weekday: usize,
    start_hour: usize,
    /// `(days until, days long)` of the next periods of time off.
    time_off: [(usize, usize); 2],
}

impl CalendarColumns {
    pub fn from_names(names: &[String]) -> Result<Self, DatasetError> {
        let col = |name: &str| column_of(names, name);
        Ok(Self {
            start_weekday: col("start_weekday")?,
            start_hour: col("start_hour")?,
            time_off: [
                (col("time_off_1_in_days")?, col("time_off_1_days")?),
                (col("time_off_2_in_days")?, col("time_off_2_days")?),
            ],
        })
    }

    /// The calendar of the run that `row` describes.
    pub fn of(&self, row: &[f64], hours: &WorkingHours) -> RunCalendar {
        let value = |i: usize| row.get(i).copied().unwrap_or(0.0);
        RunCalendar::new(
            *hours,
            value(self.start_weekday),
            value(self.start_hour),
            self.time_off
                .map(|(until, days)| (value(until), value(days))),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_is_read_from_its_columns() {
        let names: Vec<String> = [
            "estimate_hours",
            "start_weekday",
            "start_hour",
            "time_off_1_in_days",
            "time_off_1_days",
            "time_off_2_in_days",
            "time_off_2_days",
        ]
        .map(String::from)
        .to_vec();
        let columns = CalendarColumns::from_names(&names).unwrap();
        let row = [5.0, 0.0, 8.0, 1.0, 2.0, 365.0, 0.0];
        let hours = WorkingHours::default();
        assert_eq!(
            columns.of(&row, &hours),
            RunCalendar::new(hours, 0.0, 8.0, [(1.0, 2.0), (365.0, 0.0)])
        );
        // Away on Tuesday and Wednesday: 12 working hours from Monday 08:00 end Thursday 10:00.
        assert_eq!(columns.of(&row, &hours).elapsed_hours(12.0), 74.0);
        assert!(CalendarColumns::from_names(&names[..3]).is_err());
    }
}
