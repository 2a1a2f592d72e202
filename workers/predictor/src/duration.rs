//! Duration models. All predict `log1p(hours)`; hours come back through `expm1`. The hours are
//! working hours of the run's calendar ([`Clock`]) when the rows carry it, carried to elapsed
//! hours row by row.
//!
//! - Baseline: `estimate_hours × exp(assignee_log_overrun)`, the assignee's historical overrun
//!   applied to the estimate. Needs no training, so a fresh installation uses it.
//! - Linear: OLS on standardised features.
//! - Forest: smartcore random forest.
//!
//! The learned models also see the baseline's own `log1p(hours)` as an extra column: the
//! product of estimate and ratio is hard for both a linear model and axis-aligned splits to
//! rebuild from its parts, and with it a learned model starts from the baseline.

use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarColumns, WorkingHours};
use crate::dataset::{DatasetError, column_of};
use crate::forest::{Forest, ForestConfig};
use crate::linear::{LinearScore, fit_ols};

/// Estimate used when a row has none (missing, zero or negative).
pub const DEFAULT_ESTIMATE_HOURS: f64 = 8.0;
/// Smallest duration a model reports.
pub const MIN_HOURS: f64 = 0.1;
/// Largest duration a model reports (two years); bounds extrapolating linear fits.
pub const MAX_HOURS: f64 = 2.0 * 365.0 * 24.0;

/// Hours from a `log1p(hours)` prediction, kept within [`MIN_HOURS`, `MAX_HOURS`].
pub fn hours_from_log(log_hours: f64) -> f64 {
    log_hours.exp_m1().clamp(MIN_HOURS, MAX_HOURS)
}

/// Where the baseline finds its two inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub estimate_col: usize,
    pub assignee_ratio_col: usize,
    /// What lacking a skill adds to the log overrun (`assignee_skill_gap_log_overrun`); absent
    /// in models saved before the feature existed.
    #[serde(default)]
    pub skill_gap_col: Option<usize>,
}

impl Baseline {
    pub fn from_names(names: &[String]) -> Result<Self, DatasetError> {
        Ok(Self {
            estimate_col: column_of(names, "estimate_hours")?,
            assignee_ratio_col: column_of(names, "assignee_log_overrun")?,
            skill_gap_col: column_of(names, "assignee_skill_gap_log_overrun").ok(),
        })
    }

    /// `log1p(estimate × exp(ratio))` of one row.
    pub fn log_hours(&self, row: &[f64]) -> f64 {
        let estimate = row[self.estimate_col];
        let estimate = if estimate.is_finite() && estimate > 0.0 {
            estimate
        } else {
            DEFAULT_ESTIMATE_HOURS
        };
        let finite = |x: f64| if x.is_finite() { x } else { 0.0 };
        let ratio = finite(row[self.assignee_ratio_col])
            + self.skill_gap_col.map_or(0.0, |col| finite(row[col]));
        (estimate * ratio.exp()).clamp(MIN_HOURS, MAX_HOURS).ln_1p()
    }

    /// The rows of `x` with the baseline's `log1p(hours)` appended as a last column.
    pub fn augment(&self, x: &[f64], cols: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(x.len() / cols.max(1) * (cols + 1));
        for row in x.chunks_exact(cols) {
            out.extend_from_slice(row);
            out.push(self.log_hours(row));
        }
        out
    }
}

/// The clock a duration model's hours run on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Clock {
    /// Elapsed hours, nights, weekends and time off included.
    Elapsed,
    /// Working hours of the run's calendar, read from the row.
    Working {
        columns: CalendarColumns,
        hours: WorkingHours,
    },
}

impl Clock {
    /// The working clock when the rows carry their calendar, else elapsed hours.
    pub fn for_names(names: &[String]) -> Self {
        CalendarColumns::from_names(names).map_or(Clock::Elapsed, |columns| Clock::Working {
            columns,
            hours: WorkingHours::default(),
        })
    }

    /// This clock's hours in `elapsed` hours of the run that `row` describes.
    pub fn from_elapsed(&self, row: &[f64], elapsed: f64) -> f64 {
        match self {
            Clock::Elapsed => elapsed,
            Clock::Working { columns, hours } => columns.of(row, hours).working_hours(elapsed),
        }
    }

    /// Elapsed hours until `hours` of this clock have passed in the run that `row` describes.
    pub fn to_elapsed(&self, row: &[f64], hours: f64) -> f64 {
        match self {
            Clock::Elapsed => hours,
            Clock::Working {
                columns,
                hours: working,
            } => columns
                .of(row, working)
                .elapsed_hours(hours)
                .clamp(MIN_HOURS, MAX_HOURS),
        }
    }
}

/// What is learned on top of the baseline.
#[derive(Debug, Serialize, Deserialize)]
pub enum DurationLearner {
    /// Nothing: the baseline itself.
    Ratio,
    Linear(LinearScore),
    Forest(Forest),
    /// The mean of the two in `log1p(hours)`.
    Blend(LinearScore, Forest),
}

/// A duration model: the baseline columns, the learner, and the clock its hours run on.
#[derive(Debug, Serialize, Deserialize)]
pub struct DurationModel {
    pub baseline: Baseline,
    pub learner: DurationLearner,
    pub clock: Clock,
}

/// The duration candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationKind {
    Baseline,
    Linear,
    Forest,
    Blend,
}

impl DurationKind {
    /// Candidate name, as reported in training.
    pub fn name(self) -> &'static str {
        match self {
            DurationKind::Baseline => "baseline",
            DurationKind::Linear => "linear",
            DurationKind::Forest => "forest",
            DurationKind::Blend => "blend",
        }
    }
}

impl DurationModel {
    pub fn kind(&self) -> DurationKind {
        match self.learner {
            DurationLearner::Ratio => DurationKind::Baseline,
            DurationLearner::Linear(_) => DurationKind::Linear,
            DurationLearner::Forest(_) => DurationKind::Forest,
            DurationLearner::Blend(..) => DurationKind::Blend,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The baseline alone: the overrun it applies is in working hours, so it runs on `clock`.
    pub fn ratio(baseline: Baseline, clock: Clock) -> Self {
        Self {
            baseline,
            learner: DurationLearner::Ratio,
            clock,
        }
    }

    /// Elapsed hours of `row`'s run from a prediction `log1p(hours)` of this model's clock.
    pub fn elapsed_from_log(&self, row: &[f64], log_hours: f64) -> f64 {
        self.clock.to_elapsed(row, hours_from_log(log_hours))
    }

    /// `log1p` of this model's hours in `elapsed` hours of `row`'s run: its training target.
    pub fn log_from_elapsed(&self, row: &[f64], elapsed: f64) -> f64 {
        self.clock.from_elapsed(row, elapsed).max(0.0).ln_1p()
    }

    /// `log1p(hours)` on this model's clock for every row of a row-major `x` with `cols`
    /// columns.
    pub fn predict_log(&self, x: &[f64], cols: usize) -> Vec<f64> {
        match &self.learner {
            DurationLearner::Ratio => x
                .chunks_exact(cols)
                .map(|r| self.baseline.log_hours(r))
                .collect(),
            DurationLearner::Linear(score) => score.scores(&self.baseline.augment(x, cols)),
            DurationLearner::Forest(forest) => forest.predict(&self.baseline.augment(x, cols)),
            DurationLearner::Blend(score, forest) => {
                let augmented = self.baseline.augment(x, cols);
                let line = score.scores(&augmented);
                let trees = forest.predict(&augmented);
                line.iter()
                    .zip(&trees)
                    .map(|(a, b)| 0.5 * (a + b))
                    .collect()
            }
        }
    }

    /// The mean of a linear model and a forest fitted on the same baseline and clock; `None`
    /// for other learners.
    pub fn blend(linear: DurationModel, forest: DurationModel) -> Option<Self> {
        match (linear.learner, forest.learner) {
            (DurationLearner::Linear(score), DurationLearner::Forest(trees))
                if linear.baseline == forest.baseline && linear.clock == forest.clock =>
            {
                Some(Self {
                    baseline: linear.baseline,
                    learner: DurationLearner::Blend(score, trees),
                    clock: linear.clock,
                })
            }
            _ => None,
        }
    }

    /// Fits OLS on `log1p(hours)` of `clock`.
    pub fn fit_linear(
        baseline: Baseline,
        clock: Clock,
        x: &[f64],
        cols: usize,
        log_hours: &[f64],
    ) -> Result<Self, String> {
        let score = fit_ols(&baseline.augment(x, cols), cols + 1, log_hours)?;
        Ok(Self {
            baseline,
            learner: DurationLearner::Linear(score),
            clock,
        })
    }

    /// Fits a random forest on `log1p(hours)` of `clock`.
    pub fn fit_forest(
        baseline: Baseline,
        clock: Clock,
        x: &[f64],
        cols: usize,
        log_hours: &[f64],
        config: &ForestConfig,
    ) -> Result<Self, String> {
        let forest = Forest::fit(&baseline.augment(x, cols), cols + 1, log_hours, config)?;
        Ok(Self {
            baseline,
            learner: DurationLearner::Forest(forest),
            clock,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        vec!["assignee_log_overrun".into(), "estimate_hours".into()]
    }

    #[test]
    fn baseline_multiplies_the_estimate_by_the_historical_ratio() {
        let model = DurationModel::ratio(Baseline::from_names(&names()).unwrap(), Clock::Elapsed);
        // 10 h × e^{ln 1.5} = 15 h
        let log = model.predict_log(&[1.5_f64.ln(), 10.0], 2);
        assert!((hours_from_log(log[0]) - 15.0).abs() < 1e-9);
        // a missing estimate falls back to the default
        let log = model.predict_log(&[0.0, f64::NAN], 2);
        assert!((hours_from_log(log[0]) - DEFAULT_ESTIMATE_HOURS).abs() < 1e-9);
        assert_eq!(model.name(), "baseline");
    }

    #[test]
    fn baseline_adds_what_lacking_a_skill_costs_when_the_log_tells() {
        let mut with_gap = names();
        with_gap.push("assignee_skill_gap_log_overrun".into());
        let baseline = Baseline::from_names(&with_gap).unwrap();
        assert_eq!(baseline.skill_gap_col, Some(2));
        let model = DurationModel::ratio(baseline, Clock::Elapsed);
        // 10 h × e^{ln 1.5 + ln 2} = 30 h
        let log = model.predict_log(&[1.5_f64.ln(), 10.0, 2_f64.ln()], 3);
        assert!((hours_from_log(log[0]) - 30.0).abs() < 1e-9);
        // a model saved before the feature reads without it
        let old: Baseline =
            serde_json::from_str(r#"{"estimate_col": 1, "assignee_ratio_col": 0}"#).unwrap();
        assert_eq!(old.skill_gap_col, None);
    }

    #[test]
    fn baseline_needs_its_two_features() {
        let missing = vec!["estimate_hours".to_string()];
        assert_eq!(
            Baseline::from_names(&missing),
            Err(DatasetError::MissingFeature("assignee_log_overrun".into()))
        );
    }
}
