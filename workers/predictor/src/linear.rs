//! Linear fits on standardised features through linfa (OLS for log durations, logistic
//! regression for lateness), stored as plain coefficients so that a model never depends on
//! linfa's serialised form.

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_linear::LinearRegression;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use crate::scaling::Standardiser;

/// `intercept + Σ weights[j] · standardised(x[j])`, each `x[j]` first brought into the range
/// it had in training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearScore {
    pub scaler: Standardiser,
    pub intercept: f64,
    /// One weight per input column; 0 for columns that did not vary in training.
    pub weights: Vec<f64>,
    /// Each column's lowest and highest value in training. A line fitted on tasks as they
    /// start would otherwise run on without bound for a task long under way or long waiting
    /// (an age, a load never seen), where a forest stays within what it saw.
    pub ranges: Vec<(f64, f64)>,
}

impl LinearScore {
    pub fn cols(&self) -> usize {
        self.weights.len()
    }

    /// The score of one row.
    pub fn score(&self, row: &[f64]) -> f64 {
        row.iter()
            .zip(&self.weights)
            .enumerate()
            .map(|(j, (&v, &w))| {
                let v = self
                    .ranges
                    .get(j)
                    .map_or(v, |&(low, high)| v.clamp(low, high));
                w * self.scaler.scale(j, v)
            })
            .sum::<f64>()
            + self.intercept
    }

    /// The scores of a row-major matrix.
    pub fn scores(&self, x: &[f64]) -> Vec<f64> {
        x.chunks_exact(self.cols()).map(|r| self.score(r)).collect()
    }
}

/// The ridge penalty per row of training data, on standardised columns.
const RIDGE_PER_ROW: f64 = 1e-3;

/// Least squares of `y` on the standardised columns of `x` with a light ridge penalty.
///
/// Some features are exact functions of others on the rows a model learns from (every run
/// starts on a weekday, so `hours_to_weekend` is a line in `start_weekday` and `start_hour`
/// there); plain OLS then picks weights of any size along that direction, which cancel on such
/// rows and explode on a row that breaks the relation (an unassigned task as of a Saturday: a
/// forecast of 10⁹ hours was seen). The penalty takes the smallest weights that fit. It is
/// fitted through linfa's OLS, without an intercept, on the rows (standardised columns, centred
/// targets) and `√λ·I` below them with targets 0; the intercept is then the targets' mean.
pub fn fit_ols(x: &[f64], cols: usize, y: &[f64]) -> Result<LinearScore, String> {
    let (scaler, kept, records) = standardised_records(x, cols, y.len())?;
    let mean = y.iter().sum::<f64>() / y.len() as f64;
    let k = kept.len();
    let penalty = (RIDGE_PER_ROW * y.len() as f64).sqrt();
    let mut augmented = records.into_raw_vec_and_offset().0;
    let mut targets: Vec<f64> = y.iter().map(|v| v - mean).collect();
    for j in 0..k {
        augmented.extend((0..k).map(|i| if i == j { penalty } else { 0.0 }));
        targets.push(0.0);
    }
    let records = Array2::from_shape_vec((y.len() + k, k), augmented).map_err(|e| e.to_string())?;
    let dataset = DatasetBase::new(records, Array1::from(targets));
    let fitted = LinearRegression::new()
        .with_intercept(false)
        .fit(&dataset)
        .map_err(|e| format!("least squares failed: {e}"))?;
    let params: Vec<f64> = fitted.params().to_vec();
    finish(scaler, ranges(x, cols), &kept, mean, &params)
}

/// L2-regularised logistic regression for P(`labels` is true).
///
/// linfa-logistic 0.8.1 treats the *more frequent* class as positive (rust-ml/linfa#393), so the
/// coefficients are oriented through `labels().pos.class` before they are stored.
pub fn fit_logistic(
    x: &[f64],
    cols: usize,
    labels: &[bool],
    alpha: f64,
) -> Result<LinearScore, String> {
    if labels.iter().all(|&l| l) || labels.iter().all(|&l| !l) {
        return Err("logistic regression needs both classes".into());
    }
    let (scaler, kept, records) = standardised_records(x, cols, labels.len())?;
    let dataset = DatasetBase::new(records, Array1::from(labels.to_vec()));
    let fitted = LogisticRegression::default()
        .alpha(alpha)
        .max_iterations(300)
        .fit(&dataset)
        .map_err(|e| format!("logistic regression failed: {e}"))?;
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    let params: Vec<f64> = fitted.params().iter().map(|w| sign * w).collect();
    finish(
        scaler,
        ranges(x, cols),
        &kept,
        sign * fitted.intercept(),
        &params,
    )
}

/// The standardiser, the varying columns, and the standardised matrix of those columns.
fn standardised_records(
    x: &[f64],
    cols: usize,
    rows: usize,
) -> Result<(Standardiser, Vec<usize>, Array2<f64>), String> {
    if rows == 0 || x.len() != rows * cols {
        return Err(format!("need a non-empty {rows}×{cols} matrix"));
    }
    let scaler = Standardiser::fit(x, cols);
    let kept: Vec<usize> = (0..cols).filter(|&j| scaler.varies(j)).collect();
    let mut values = Vec::with_capacity(rows * kept.len());
    for row in x.chunks_exact(cols) {
        values.extend(kept.iter().map(|&j| scaler.scale(j, row[j])));
    }
    let records = Array2::from_shape_vec((rows, kept.len()), values).map_err(|e| e.to_string())?;
    Ok((scaler, kept, records))
}

/// Each column's lowest and highest value.
fn ranges(x: &[f64], cols: usize) -> Vec<(f64, f64)> {
    let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); cols];
    for row in x.chunks_exact(cols) {
        for (range, &v) in ranges.iter_mut().zip(row) {
            *range = (range.0.min(v), range.1.max(v));
        }
    }
    ranges
}

fn finish(
    scaler: Standardiser,
    ranges: Vec<(f64, f64)>,
    kept: &[usize],
    intercept: f64,
    params: &[f64],
) -> Result<LinearScore, String> {
    let mut weights = vec![0.0; ranges.len()];
    for (&j, &w) in kept.iter().zip(params) {
        weights[j] = w;
    }
    if !intercept.is_finite() || weights.iter().any(|w| !w.is_finite()) {
        return Err("the fit produced non-finite coefficients".into());
    }
    Ok(LinearScore {
        scaler,
        intercept,
        weights,
        ranges,
    })
}

/// The logistic function.
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::roc_auc;

    #[test]
    fn ols_recovers_a_line_and_ignores_a_constant_column() {
        // y = 3 + 2·x0, x1 constant
        let x: Vec<f64> = (0..20).flat_map(|i| [f64::from(i), 7.0]).collect();
        let y: Vec<f64> = (0..20).map(|i| 3.0 + 2.0 * f64::from(i)).collect();
        let fit = fit_ols(&x, 2, &y).unwrap();
        assert_eq!(fit.weights[1], 0.0);
        // The ridge penalty shrinks a little: 0.1% of the data's weight.
        assert!((fit.score(&[10.0, 7.0]) - 23.0).abs() < 0.01);
        assert!((fit.score(&[10.0, 0.0]) - 23.0).abs() < 0.01);
    }

    #[test]
    fn collinear_columns_share_small_weights_instead_of_cancelling_large_ones() {
        // x2 = x0 + x1 on every training row: OLS alone may weigh them anyhow.
        let x: Vec<f64> = (0..200)
            .flat_map(|i| {
                let (a, b) = (f64::from(i % 7), f64::from(i % 11));
                [a, b, a + b]
            })
            .collect();
        let y: Vec<f64> = x.chunks_exact(3).map(|r| 1.0 + r[2]).collect();
        let fit = fit_ols(&x, 3, &y).unwrap();
        assert!(
            fit.weights.iter().all(|w| w.abs() < 10.0),
            "{:?}",
            fit.weights
        );
        // A row that breaks the relation, within each column's range, stays moderate.
        let odd = fit.score(&[6.0, 0.0, 16.0]);
        assert!(odd.abs() < 50.0, "{odd}");
        assert!((fit.score(&[3.0, 4.0, 7.0]) - 8.0).abs() < 0.05);
    }

    #[test]
    fn a_line_does_not_run_on_past_the_training_range() {
        // x0 was 0..=19 in training: beyond, the score stays at the ends' scores.
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let y: Vec<f64> = (0..20).map(|i| 3.0 + 2.0 * f64::from(i)).collect();
        let fit = fit_ols(&x, 1, &y).unwrap();
        assert!((fit.score(&[-1.0]) - 3.0).abs() < 0.05);
        assert!((fit.score(&[1_000.0]) - 41.0).abs() < 0.05);
    }

    /// The positive class (late) is the minority here, which 0.8.1 gets backwards unless the
    /// coefficients are oriented by `labels().pos.class`.
    #[test]
    fn logistic_probability_is_for_the_minority_positive_class() {
        let mut x = Vec::new();
        let mut labels = Vec::new();
        for i in 0..400 {
            let v = f64::from(i) / 400.0;
            x.push(v);
            // late only in the top ~20%, with a little overlap
            labels.push(v > 0.8 || (i % 37 == 0));
        }
        let share = labels.iter().filter(|&&l| l).count() as f64 / 400.0;
        assert!(share < 0.3, "positive class must be the minority");
        let fit = fit_logistic(&x, 1, &labels, 1.0).unwrap();
        let p: Vec<f64> = fit.scores(&x).into_iter().map(sigmoid).collect();
        assert!(p[399] > 0.5, "high x is late: {}", p[399]);
        assert!(p[0] < 0.2, "low x is on time: {}", p[0]);
        let mean = p.iter().sum::<f64>() / p.len() as f64;
        assert!((mean - share).abs() < 0.05, "mean {mean} vs share {share}");
        assert!(roc_auc(&labels, &p).unwrap() > 0.8);
    }

    #[test]
    fn logistic_needs_both_classes() {
        assert!(fit_logistic(&[1.0, 2.0], 1, &[true, true], 1.0).is_err());
    }
}
