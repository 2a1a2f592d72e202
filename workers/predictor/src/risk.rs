//! Late-risk models: P(a task finishes after its due date).
//!
//! - Distribution: P(duration > hours to due) under the duration model's residual distribution.
//! - Logistic: logistic regression on the standardised features plus the slack column.
//! - Forest: a random-forest regressor on the 0/1 label (smartcore's classifier has no
//!   probabilities; the regressor's leaf means are the share of late tasks).
//!
//! The slack column is `log1p(max(hours_to_due, 0)) − log1p(p50)`: how much room the due date
//! leaves compared with the predicted duration, in log space.

use serde::{Deserialize, Serialize};

use crate::forest::{Forest, ForestConfig};
use crate::linear::{LinearScore, fit_logistic, sigmoid};
use crate::residuals::ResidualDistribution;

/// The slack column of the learned risk models.
pub fn slack(hours_to_due: f64, log_p50: f64) -> f64 {
    hours_to_due.max(0.0).ln_1p() - log_p50
}

/// P(duration > hours_to_due) when `log1p(duration) = log_p50 + residual`.
pub fn distribution_probability(
    log_p50: f64,
    hours_to_due: f64,
    residuals: &ResidualDistribution,
) -> f64 {
    1.0 - residuals.cdf(slack(hours_to_due, log_p50))
}

#[derive(Debug, Serialize, Deserialize)]
pub enum RiskModel {
    Distribution,
    Logistic(LinearScore),
    Forest(Forest),
}

/// The risk candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskKind {
    Distribution,
    Logistic,
    Forest,
}

impl RiskKind {
    /// Candidate name, as reported in training.
    pub fn name(self) -> &'static str {
        match self {
            RiskKind::Distribution => "distribution",
            RiskKind::Logistic => "logistic",
            RiskKind::Forest => "forest",
        }
    }
}

impl RiskModel {
    pub fn kind(&self) -> RiskKind {
        match self {
            RiskModel::Distribution => RiskKind::Distribution,
            RiskModel::Logistic(_) => RiskKind::Logistic,
            RiskModel::Forest(_) => RiskKind::Forest,
        }
    }

    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// P(late) for every row of a row-major `x`, given each row's `log1p(p50)` and hours to due.
    pub fn late_probabilities(
        &self,
        x: &[f64],
        cols: usize,
        log_p50: &[f64],
        hours_to_due: &[f64],
        residuals: &ResidualDistribution,
    ) -> Vec<f64> {
        let probabilities = match self {
            RiskModel::Distribution => log_p50
                .iter()
                .zip(hours_to_due)
                .map(|(&l, &h)| distribution_probability(l, h, residuals))
                .collect(),
            RiskModel::Logistic(score) => score
                .scores(&with_slack(x, cols, log_p50, hours_to_due))
                .into_iter()
                .map(sigmoid)
                .collect(),
            RiskModel::Forest(forest) => {
                forest.predict(&with_slack(x, cols, log_p50, hours_to_due))
            }
        };
        probabilities
            .into_iter()
            .map(|p: f64| if p.is_nan() { 0.5 } else { p.clamp(0.0, 1.0) })
            .collect()
    }

    /// Fits the logistic model; `labels[i]` is whether row `i` was late.
    pub fn fit_logistic(
        x: &[f64],
        cols: usize,
        log_p50: &[f64],
        hours_to_due: &[f64],
        labels: &[bool],
        alpha: f64,
    ) -> Result<Self, String> {
        let augmented = with_slack(x, cols, log_p50, hours_to_due);
        fit_logistic(&augmented, cols + 1, labels, alpha).map(RiskModel::Logistic)
    }

    /// Fits the forest on the 0/1 label.
    pub fn fit_forest(
        x: &[f64],
        cols: usize,
        log_p50: &[f64],
        hours_to_due: &[f64],
        labels: &[bool],
        config: &ForestConfig,
    ) -> Result<Self, String> {
        if labels.iter().all(|&l| l) || labels.iter().all(|&l| !l) {
            return Err("the risk forest needs both classes".into());
        }
        let augmented = with_slack(x, cols, log_p50, hours_to_due);
        let y: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
        Forest::fit(&augmented, cols + 1, &y, config).map(RiskModel::Forest)
    }
}

fn with_slack(x: &[f64], cols: usize, log_p50: &[f64], hours_to_due: &[f64]) -> Vec<f64> {
    let mut out = Vec::with_capacity(log_p50.len() * (cols + 1));
    for ((row, &l), &h) in x.chunks_exact(cols).zip(log_p50).zip(hours_to_due) {
        out.extend_from_slice(row);
        out.push(slack(h, l));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forest::SplitFeatures;

    #[test]
    fn distribution_risk_is_the_tail_beyond_the_due_date() {
        let residuals = ResidualDistribution::default_spread();
        let log_p50 = 10.0_f64.ln_1p();
        // due exactly at the p50: half the mass is later
        assert!((distribution_probability(log_p50, 10.0, &residuals) - 0.5).abs() < 0.01);
        // due at the p90: one in ten is later
        let p90 = (log_p50 + residuals.p90_offset).exp_m1();
        assert!((distribution_probability(log_p50, p90, &residuals) - 0.1).abs() < 0.01);
        // already overdue at the start: almost surely late
        assert!(distribution_probability(log_p50, -5.0, &residuals) > 0.99);
    }

    #[test]
    fn learned_risk_models_use_the_slack() {
        // one uninformative feature; late exactly when the due date leaves no slack
        let n = 300;
        let x = vec![1.0; n];
        let log_p50 = vec![10.0_f64.ln_1p(); n];
        let hours: Vec<f64> = (0..n).map(|i| i as f64 / 10.0).collect();
        let labels: Vec<bool> = hours.iter().map(|&h| h < 10.0).collect();
        let logistic = RiskModel::fit_logistic(&x, 1, &log_p50, &hours, &labels, 0.1).unwrap();
        let forest = RiskModel::fit_forest(
            &x,
            1,
            &log_p50,
            &hours,
            &labels,
            &ForestConfig {
                min_samples_leaf: 5,
                // with √2 ≈ 1 feature per split, half the nodes would see only the constant one
                features_per_split: SplitFeatures::All,
                ..ForestConfig::risk()
            },
        )
        .unwrap();
        let residuals = ResidualDistribution::default_spread();
        for model in [&logistic, &forest] {
            let p = model.late_probabilities(
                &[1.0, 1.0],
                1,
                &[log_p50[0], log_p50[0]],
                &[1.0, 25.0],
                &residuals,
            );
            assert!(p[0] > 0.8 && p[1] < 0.2, "{}: {p:?}", model.name());
        }
    }
}
