//! The training table: one row of features per completed task, its targets, and the time split
//! (fit on the past, calibrate on the end of the past, test on the latest rows).

use thiserror::Error;

/// Feature rows and targets of completed tasks, as the feature function produced them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Feature names, in row order.
    pub names: Vec<String>,
    /// Hash of the feature schema (names, order, definitions) that produced the rows.
    pub schema_hash: String,
    /// Features, row-major: `rows × cols` values.
    pub x: Vec<f64>,
    pub rows: usize,
    pub cols: usize,
    /// Elapsed hours from start to completion, > 0.
    pub duration_hours: Vec<f64>,
    /// Whether the task finished after its due date; `None` without a due date.
    pub late: Vec<Option<bool>>,
    /// Hours from start to the due date (negative when started after it); `None` without one.
    pub hours_to_due: Vec<Option<f64>>,
    /// Sort key of the split, e.g. the completion time in seconds or the log position.
    pub time: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum DatasetError {
    #[error("{field} has {got} entries, expected {expected}")]
    Length {
        field: &'static str,
        got: usize,
        expected: usize,
    },
    #[error("feature `{0}` is missing from the schema")]
    MissingFeature(String),
    #[error("row {row} has a duration of {hours} hours; durations must be finite and > 0")]
    Duration { row: usize, hours: f64 },
}

/// Row indices of the three parts of a time split, each in time order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeSplit {
    /// The earliest rows: models are fitted on them.
    pub fit: Vec<usize>,
    /// The end of the training period: conformal residuals and the risk models.
    pub calibration: Vec<usize>,
    /// The latest rows: held out for the comparison of candidates.
    pub test: Vec<usize>,
}

impl Dataset {
    /// Checks shapes and targets.
    pub fn validate(&self) -> Result<(), DatasetError> {
        let check = |field, got, expected| {
            if got == expected {
                Ok(())
            } else {
                Err(DatasetError::Length {
                    field,
                    got,
                    expected,
                })
            }
        };
        check("names", self.names.len(), self.cols)?;
        check("x", self.x.len(), self.rows * self.cols)?;
        check("duration_hours", self.duration_hours.len(), self.rows)?;
        check("late", self.late.len(), self.rows)?;
        check("hours_to_due", self.hours_to_due.len(), self.rows)?;
        check("time", self.time.len(), self.rows)?;
        for (row, &hours) in self.duration_hours.iter().enumerate() {
            if !(hours.is_finite() && hours > 0.0) {
                return Err(DatasetError::Duration { row, hours });
            }
        }
        Ok(())
    }

    /// The features of row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.cols..(i + 1) * self.cols]
    }

    /// The position of a feature by name.
    pub fn column(&self, name: &str) -> Result<usize, DatasetError> {
        column_of(&self.names, name)
    }

    /// The rows `indices`, row-major.
    pub fn gather(&self, indices: &[usize]) -> Vec<f64> {
        let mut out = Vec::with_capacity(indices.len() * self.cols);
        for &i in indices {
            out.extend_from_slice(self.row(i));
        }
        out
    }

    /// Splits by `time`: the latest `test_share` of rows is the test part; of the rest, the
    /// latest `calibration_share` is the calibration slice, the remainder is fitted on.
    pub fn time_split(&self, test_share: f64, calibration_share: f64) -> TimeSplit {
        let mut order: Vec<usize> = (0..self.rows).collect();
        order.sort_by_key(|&i| (self.time[i], i));
        let n = order.len();
        let n_test = share_of(n, test_share);
        let n_train = n - n_test;
        let mut n_calibration = share_of(n_train, calibration_share);
        if n_calibration == n_train && n_train > 0 {
            // Always keep something to fit on.
            n_calibration = n_train - 1;
        }
        let n_fit = n_train - n_calibration;
        TimeSplit {
            fit: order[..n_fit].to_vec(),
            calibration: order[n_fit..n_train].to_vec(),
            test: order[n_train..].to_vec(),
        }
    }
}

/// The position of `name` in `names`.
pub fn column_of(names: &[String], name: &str) -> Result<usize, DatasetError> {
    names
        .iter()
        .position(|n| n == name)
        .ok_or_else(|| DatasetError::MissingFeature(name.to_owned()))
}

fn share_of(n: usize, share: f64) -> usize {
    ((n as f64) * share.clamp(0.0, 1.0)).round() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny(rows: usize) -> Dataset {
        Dataset {
            names: vec!["estimate_hours".into()],
            schema_hash: "h".into(),
            x: (0..rows).map(|i| i as f64).collect(),
            rows,
            cols: 1,
            duration_hours: vec![1.0; rows],
            late: vec![None; rows],
            hours_to_due: vec![None; rows],
            // reverse time order, so the split must sort
            time: (0..rows).map(|i| (rows - i) as i64).collect(),
        }
    }

    #[test]
    fn split_puts_the_latest_rows_in_test_and_calibration_before_them() {
        let d = tiny(10);
        let split = d.time_split(0.2, 0.25);
        // times: row i has time 10 - i, so the latest rows are 0 and 1
        assert_eq!(split.test, vec![1, 0]);
        assert_eq!(split.calibration, vec![3, 2]);
        assert_eq!(split.fit, vec![9, 8, 7, 6, 5, 4]);
    }

    #[test]
    fn split_of_an_empty_dataset_is_empty() {
        let split = tiny(0).time_split(0.2, 0.25);
        assert!(split.fit.is_empty() && split.calibration.is_empty() && split.test.is_empty());
    }

    #[test]
    fn validate_reports_bad_shapes_and_durations() {
        assert_eq!(tiny(3).validate(), Ok(()));
        let mut d = tiny(3);
        d.late.pop();
        assert!(matches!(
            d.validate(),
            Err(DatasetError::Length { field: "late", .. })
        ));
        let mut d = tiny(3);
        d.duration_hours[1] = 0.0;
        assert!(matches!(
            d.validate(),
            Err(DatasetError::Duration { row: 1, .. })
        ));
        assert!(tiny(1).column("nope").is_err());
    }
}
