//! Training: split by time, fit the duration candidates, measure them on the test part, choose
//! by MAE; then fit the risk candidates on top of the chosen duration model and choose by AUC.
//!
//! Parts of the split: models are fitted on the earliest rows, the calibration slice (end of the
//! training period) yields the conformal residuals and trains the risk models (whose slack column
//! needs duration predictions the duration model did not see in fitting), and the test part
//! (latest rows) compares the candidates.

use std::time::Instant;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::dataset::{Dataset, DatasetError, TimeSplit};
use crate::duration::{Baseline, Clock, DurationKind, DurationModel, hours_from_log};
use crate::forest::ForestConfig;
use crate::metrics::{brier_score, coverage, log_loss, mae, rmse, roc_auc};
use crate::model::{FittedModel, ModelVersions};
use crate::residuals::ResidualDistribution;
use crate::risk::{RiskKind, RiskModel};
use crate::scaling::Standardiser;
use crate::scope::ScopeGrowth;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// Share of the latest rows held out for testing.
    pub test_share: f64,
    /// Share of the training rows, taken from their end, for calibration and the risk models.
    pub calibration_share: f64,
    pub duration_forest: ForestConfig,
    pub risk_forest: ForestConfig,
    /// L2 penalty of the logistic risk model.
    pub logistic_alpha: f64,
    /// Below this many rows to fit on, a learned model is not tried.
    pub min_rows: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            test_share: 0.2,
            calibration_share: 0.25,
            duration_forest: ForestConfig::duration(),
            risk_forest: ForestConfig::risk(),
            logistic_alpha: 1.0,
            min_rows: 50,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CandidateKind {
    Duration,
    Risk,
}

/// Test-part metrics of one candidate. Duration metrics are in hours; the risk ones are `None`
/// for duration candidates and the other way round. A metric is `None` when the test part had
/// nothing to measure it on (e.g. no late task).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateReport {
    pub name: String,
    pub kind: CandidateKind,
    pub mae: Option<f64>,
    pub rmse: Option<f64>,
    pub p90_coverage: Option<f64>,
    pub risk_auc: Option<f64>,
    pub risk_brier: Option<f64>,
    pub risk_log_loss: Option<f64>,
    pub train_seconds: f64,
    /// Why the candidate could not be fitted, if it could not.
    pub failure: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SplitSizes {
    pub fit: usize,
    pub calibration: usize,
    pub test: usize,
}

#[derive(Debug)]
pub struct TrainingReport {
    pub split: SplitSizes,
    pub candidates: Vec<CandidateReport>,
    pub chosen: FittedModel,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum TrainError {
    #[error("invalid dataset: {0}")]
    Dataset(#[from] DatasetError),
}

/// Trains and compares all candidates. Works on any number of rows, zero included (then the
/// untrained baseline comes back).
pub fn train(dataset: &Dataset, config: &TrainConfig) -> Result<TrainingReport, TrainError> {
    dataset.validate()?;
    let baseline = Baseline::from_names(&dataset.names)?;
    let split = dataset.time_split(config.test_share, config.calibration_share);
    let parts = Parts::new(dataset, &split);

    let mut candidates = Vec::new();
    let mut fits: Vec<(f64, DurationFit)> = Vec::new();
    for kind in [
        DurationKind::Baseline,
        DurationKind::Linear,
        DurationKind::Forest,
    ] {
        let (report, fitted) = duration_candidate(kind, baseline, &parts, config);
        let mae = report.mae.unwrap_or(f64::INFINITY);
        candidates.push(report);
        if let Some(fit) = fitted {
            fits.push((mae, fit));
        }
    }
    let blend = blend_candidate(&fits, &parts, &candidates);
    if let Some((report, _)) = &blend {
        candidates.push(report.clone());
    }
    // Lowest test MAE; the baseline (first) stays when nothing could be measured.
    let best = fits
        .iter()
        .enumerate()
        .min_by(|(i, a), (j, b)| a.0.total_cmp(&b.0).then(i.cmp(j)))
        .map(|(i, (mae, _))| (i, *mae));
    let chosen = match (best, blend) {
        (Some((_, best)), Some((report, residuals)))
            if report.mae.unwrap_or(f64::INFINITY) < best =>
        {
            let model = take_blend(&mut fits);
            model.map(|model| (model, residuals))
        }
        (Some((i, _)), _) => Some(fits.swap_remove(i).1),
        (None, _) => None,
    };
    let (duration, residuals) = chosen.unwrap_or_else(|| {
        let model = DurationModel::ratio(baseline, Clock::for_names(&dataset.names));
        (model, ResidualDistribution::default_spread())
    });

    let (risk_reports, risk) = risk_candidates(&duration, &residuals, &parts, config);
    candidates.extend(risk_reports);

    let feature_means =
        (!parts.fit.rows.is_empty()).then(|| Standardiser::fit(&parts.fit.x, dataset.cols).means);
    Ok(TrainingReport {
        split: SplitSizes {
            fit: split.fit.len(),
            calibration: split.calibration.len(),
            test: split.test.len(),
        },
        candidates,
        chosen: FittedModel {
            names: dataset.names.clone(),
            schema_hash: dataset.schema_hash.clone(),
            versions: ModelVersions::current(),
            duration,
            residuals,
            risk,
            feature_means,
            // Learned from the events, not the rows: the caller that replays the log sets them.
            scope_growth: ScopeGrowth::default(),
            completion_scale: None,
        },
    })
}

/// The rows of one part of the split, gathered once.
struct Part {
    rows: Vec<usize>,
    x: Vec<f64>,
    /// Elapsed hours.
    hours: Vec<f64>,
}

impl Part {
    /// `log1p` of each row's duration on `clock`: the target of a model on that clock.
    fn log_hours(&self, clock: &Clock, cols: usize) -> Vec<f64> {
        self.x
            .chunks_exact(cols)
            .zip(&self.hours)
            .map(|(row, &h)| clock.from_elapsed(row, h).max(0.0).ln_1p())
            .collect()
    }
}

struct Parts<'a> {
    dataset: &'a Dataset,
    fit: Part,
    calibration: Part,
    test: Part,
}

impl<'a> Parts<'a> {
    fn new(dataset: &'a Dataset, split: &TimeSplit) -> Self {
        let part = |rows: &[usize]| Part {
            rows: rows.to_vec(),
            x: dataset.gather(rows),
            hours: rows.iter().map(|&i| dataset.duration_hours[i]).collect(),
        };
        Self {
            dataset,
            fit: part(&split.fit),
            calibration: part(&split.calibration),
            test: part(&split.test),
        }
    }
}

type DurationFit = (DurationModel, ResidualDistribution);

fn duration_candidate(
    kind: DurationKind,
    baseline: Baseline,
    parts: &Parts,
    config: &TrainConfig,
) -> (CandidateReport, Option<DurationFit>) {
    let cols = parts.dataset.cols;
    let fit = &parts.fit;
    let started = Instant::now();
    // Working time when the rows carry their calendar.
    let clock = Clock::for_names(&parts.dataset.names);
    let fitted = match kind {
        DurationKind::Baseline => Ok(DurationModel::ratio(baseline, clock)),
        _ if fit.rows.len() < config.min_rows => Err(format!(
            "{} rows to fit on, at least {} needed",
            fit.rows.len(),
            config.min_rows
        )),
        DurationKind::Linear => {
            DurationModel::fit_linear(baseline, clock, &fit.x, cols, &fit.log_hours(&clock, cols))
        }
        DurationKind::Forest => DurationModel::fit_forest(
            baseline,
            clock,
            &fit.x,
            cols,
            &fit.log_hours(&clock, cols),
            &config.duration_forest,
        ),
        DurationKind::Blend => Err("a blend is made of the fitted linear model and forest".into()),
    };
    let mut report = empty_report(kind.name(), CandidateKind::Duration);
    report.train_seconds = started.elapsed().as_secs_f64();
    let model = match fitted {
        Ok(model) => model,
        Err(failure) => {
            report.failure = Some(failure);
            return (report, None);
        }
    };
    let cols = parts.dataset.cols;
    let predictions = Predictions {
        calibration: model.predict_log(&parts.calibration.x, cols),
        test: model.predict_log(&parts.test.x, cols),
    };
    let residuals = measure(&mut report, &predictions, &model.clock, parts);
    (report, Some((model, residuals)))
}

/// A duration candidate's `log1p(hours)` on the calibration slice and on the test part.
struct Predictions {
    calibration: Vec<f64>,
    test: Vec<f64>,
}

/// Fills the report's test metrics; returns the residuals of the calibration slice.
fn measure(
    report: &mut CandidateReport,
    predictions: &Predictions,
    clock: &Clock,
    parts: &Parts,
) -> ResidualDistribution {
    let cols = parts.dataset.cols;
    let residuals: Vec<f64> = parts
        .calibration
        .log_hours(clock, cols)
        .iter()
        .zip(&predictions.calibration)
        .map(|(y, p)| y - p)
        .collect();
    let residuals = ResidualDistribution::from_residuals(&residuals);
    let test = &parts.test;
    let rows = || test.x.chunks_exact(cols).zip(&predictions.test);
    let elapsed = |row: &[f64], log: f64| clock.to_elapsed(row, hours_from_log(log));
    let p50: Vec<f64> = rows().map(|(row, &l)| elapsed(row, l)).collect();
    let p90: Vec<f64> = rows()
        .map(|(row, &l)| elapsed(row, l + residuals.p90_offset))
        .collect();
    report.mae = mae(&test.hours, &p50);
    report.rmse = rmse(&test.hours, &p50);
    report.p90_coverage = coverage(&test.hours, &p90);
    residuals
}

/// The mean of the linear model and the forest in `log1p(hours)`, measured like the others
/// when both were fitted. A line and axis-aligned splits err in different places, so their
/// mean is often better than either.
fn blend_candidate(
    fits: &[(f64, DurationFit)],
    parts: &Parts,
    reports: &[CandidateReport],
) -> Option<(CandidateReport, ResidualDistribution)> {
    let model = |kind| fits.iter().map(|(_, (m, _))| m).find(|m| m.kind() == kind);
    let (linear, forest) = (model(DurationKind::Linear)?, model(DurationKind::Forest)?);
    let cols = parts.dataset.cols;
    let mean = |x: &[f64]| -> Vec<f64> {
        let (a, b) = (linear.predict_log(x, cols), forest.predict_log(x, cols));
        a.iter().zip(&b).map(|(a, b)| 0.5 * (a + b)).collect()
    };
    let predictions = Predictions {
        calibration: mean(&parts.calibration.x),
        test: mean(&parts.test.x),
    };
    let mut report = empty_report(DurationKind::Blend.name(), CandidateKind::Duration);
    report.train_seconds = reports
        .iter()
        .filter(|r| r.name == DurationKind::Linear.name() || r.name == DurationKind::Forest.name())
        .map(|r| r.train_seconds)
        .sum();
    let residuals = measure(&mut report, &predictions, &linear.clock, parts);
    Some((report, residuals))
}

/// The blend of the fitted linear model and forest, taken out of `fits`.
fn take_blend(fits: &mut Vec<(f64, DurationFit)>) -> Option<DurationModel> {
    let position =
        |fits: &Vec<(f64, DurationFit)>, kind| fits.iter().position(|(_, (m, _))| m.kind() == kind);
    let linear = fits.swap_remove(position(fits, DurationKind::Linear)?).1.0;
    let forest = fits.swap_remove(position(fits, DurationKind::Forest)?).1.0;
    DurationModel::blend(linear, forest)
}

/// Rows of a part that have a due date and a known outcome; the hours to the due date on the
/// duration model's clock.
struct RiskRows {
    x: Vec<f64>,
    log_p50: Vec<f64>,
    hours_to_due: Vec<f64>,
    late: Vec<bool>,
}

impl RiskRows {
    fn new(dataset: &Dataset, part: &Part, duration: &DurationModel) -> Self {
        let mut rows = Vec::new();
        let mut hours_to_due = Vec::new();
        let mut late = Vec::new();
        for &i in &part.rows {
            if let (Some(l), Some(h)) = (dataset.late[i], dataset.hours_to_due[i])
                && h.is_finite()
            {
                rows.push(i);
                hours_to_due.push(h);
                late.push(l);
            }
        }
        let x = dataset.gather(&rows);
        let log_p50 = duration.predict_log(&x, dataset.cols);
        let hours_to_due = x
            .chunks_exact(dataset.cols)
            .zip(hours_to_due)
            .map(|(row, h)| duration.clock.from_elapsed(row, h))
            .collect();
        Self {
            x,
            log_p50,
            hours_to_due,
            late,
        }
    }
}

fn risk_candidates(
    duration: &DurationModel,
    residuals: &ResidualDistribution,
    parts: &Parts,
    config: &TrainConfig,
) -> (Vec<CandidateReport>, RiskModel) {
    let dataset = parts.dataset;
    let cols = dataset.cols;
    let train = RiskRows::new(dataset, &parts.calibration, duration);
    let test = RiskRows::new(dataset, &parts.test, duration);

    let mut reports = Vec::new();
    let mut best: Option<(f64, RiskModel)> = None;
    for kind in [RiskKind::Distribution, RiskKind::Logistic, RiskKind::Forest] {
        let started = Instant::now();
        let fitted = match kind {
            RiskKind::Distribution => Ok(RiskModel::Distribution),
            _ if train.late.len() < config.min_rows => Err(format!(
                "{} rows with a due date to fit on, at least {} needed",
                train.late.len(),
                config.min_rows
            )),
            RiskKind::Logistic => RiskModel::fit_logistic(
                &train.x,
                cols,
                &train.log_p50,
                &train.hours_to_due,
                &train.late,
                config.logistic_alpha,
            ),
            RiskKind::Forest => RiskModel::fit_forest(
                &train.x,
                cols,
                &train.log_p50,
                &train.hours_to_due,
                &train.late,
                &config.risk_forest,
            ),
        };
        let mut report = empty_report(kind.name(), CandidateKind::Risk);
        report.train_seconds = started.elapsed().as_secs_f64();
        let model = match fitted {
            Ok(model) => model,
            Err(failure) => {
                report.failure = Some(failure);
                reports.push(report);
                continue;
            }
        };
        let p =
            model.late_probabilities(&test.x, cols, &test.log_p50, &test.hours_to_due, residuals);
        report.risk_auc = roc_auc(&test.late, &p);
        report.risk_brier = brier_score(&test.late, &p);
        report.risk_log_loss = log_loss(&test.late, &p);
        // Highest AUC; the simpler candidate (earlier) wins ties and unmeasurable cases.
        let auc = report.risk_auc.unwrap_or(f64::NEG_INFINITY);
        if best.as_ref().is_none_or(|(b, _)| auc > *b) {
            best = Some((auc, model));
        }
        reports.push(report);
    }
    let risk = best.map_or(RiskModel::Distribution, |(_, m)| m);
    (reports, risk)
}

fn empty_report(name: &str, kind: CandidateKind) -> CandidateReport {
    CandidateReport {
        name: name.to_owned(),
        kind,
        mae: None,
        rmse: None,
        p90_coverage: None,
        risk_auc: None,
        risk_brier: None,
        risk_log_loss: None,
        train_seconds: 0.0,
        failure: None,
    }
}

#[cfg(test)]
mod tests;
