//! The fitted model as stored in the registry and used for serving: one duration model, its
//! residual distribution, one risk model, the feature schema, and the versions it was built with.

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::WorkingHours;
use crate::completion_scale::CompletionScale;
use crate::dataset::DatasetError;
use crate::duration::{Baseline, Clock, DEFAULT_ESTIMATE_HOURS, DurationModel};
use crate::factors::{batch_with_means, top_factors};
use crate::monte_carlo::{self, CompletionForecast, DurationSampler, ForecastError, ForecastInput};
use crate::residuals::ResidualDistribution;
use crate::risk::RiskModel;
use crate::scope::{self, ScopeGrowth};

pub use crate::factors::Factor;

/// Bumped whenever a stored field of [`FittedModel`] changes meaning or shape.
pub const MODEL_FORMAT: u32 = 4;
/// Versions of the crates whose serialised or numerical behaviour a stored model depends on.
/// A tidy test checks them against `Cargo.lock`.
pub const SMARTCORE_VERSION: &str = "0.7.0";
pub const LINFA_VERSION: &str = "0.8.1";
pub const RMP_SERDE_VERSION: &str = "1.3.1";
const MAGIC: &str = "foresight-model";
/// How many main factors a prediction names.
pub const FACTOR_COUNT: usize = 3;

/// The versions a model was built with; a model is loaded only by the same versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelVersions {
    pub format: u32,
    pub predictor: String,
    pub smartcore: String,
    pub linfa: String,
    pub rmp_serde: String,
}

impl ModelVersions {
    pub fn current() -> Self {
        Self {
            format: MODEL_FORMAT,
            predictor: env!("CARGO_PKG_VERSION").to_owned(),
            smartcore: SMARTCORE_VERSION.to_owned(),
            linfa: LINFA_VERSION.to_owned(),
            rmp_serde: RMP_SERDE_VERSION.to_owned(),
        }
    }
}

/// What a model predicts for one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub p50_hours: f64,
    pub p90_hours: f64,
    /// P(finish after due); `None` when the task has no due date.
    pub late_probability: Option<f64>,
    /// Up to three features that raise the late probability most; empty without a due date or
    /// for an untrained model (which has no training means to compare with).
    pub factors: Vec<Factor>,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum PredictError {
    #[error("feature row has {got} values, the model's schema has {expected}")]
    Width { got: usize, expected: usize },
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelLoadError {
    #[error("not a Foresight model: {0}")]
    NotAModel(String),
    #[error("model was built with {stored:?}, this build is {current:?}: retrain")]
    VersionMismatch {
        stored: Box<ModelVersions>,
        current: Box<ModelVersions>,
    },
    #[error(
        "model was trained on feature schema {stored}, the features are now {expected}: retrain"
    )]
    SchemaMismatch { stored: String, expected: String },
    #[error("model body cannot be decoded: {0}")]
    Decode(String),
}

#[derive(Debug, Clone, PartialEq, Error)]
#[error("encoding the model: {0}")]
pub struct ModelEncodeError(String);

/// Read first, so that a model from another version is refused before its body is decoded.
#[derive(Debug, Serialize, Deserialize)]
struct ModelHeader {
    magic: String,
    versions: ModelVersions,
    schema_hash: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct FittedModel {
    pub names: Vec<String>,
    pub schema_hash: String,
    pub versions: ModelVersions,
    pub duration: DurationModel,
    /// Log-space residuals of `duration` on its calibration slice.
    pub residuals: ResidualDistribution,
    pub risk: RiskModel,
    /// Training means of the features (the reference of the factors); `None` when untrained.
    pub feature_means: Option<Vec<f64>>,
    /// Tasks projects add as they age, learned from projects completed before the test
    /// period; empty (no growth) when untrained.
    #[serde(default)]
    pub scope_growth: ScopeGrowth,
    /// Calibration of the completion forecasts, learned on projects completed before the test
    /// period; `None` (as forecast) when untrained or with too few of them.
    #[serde(default)]
    pub completion_scale: Option<CompletionScale>,
}

impl FittedModel {
    /// The model of an installation that has not trained yet: baseline duration with a
    /// log-normal spread of sigma 0.5, risk from that distribution.
    pub fn baseline(names: Vec<String>, schema_hash: String) -> Result<Self, DatasetError> {
        let baseline = Baseline::from_names(&names)?;
        let clock = Clock::for_names(&names);
        Ok(Self {
            names,
            schema_hash,
            versions: ModelVersions::current(),
            duration: DurationModel::ratio(baseline, clock),
            residuals: ResidualDistribution::default_spread(),
            risk: RiskModel::Distribution,
            feature_means: None,
            scope_growth: ScopeGrowth::default(),
            completion_scale: None,
        })
    }

    /// "duration/risk" candidate names, e.g. `forest/logistic`.
    pub fn describe(&self) -> String {
        format!("{}/{}", self.duration.name(), self.risk.name())
    }

    /// Duration p50 and p90, late probability and its main factors for one feature row.
    pub fn predict(
        &self,
        x: &[f64],
        hours_to_due: Option<f64>,
    ) -> Result<Prediction, PredictError> {
        self.check_width(x)?;
        let cols = self.names.len();
        let hours_to_due = hours_to_due.filter(|h| h.is_finite());
        let batch = match (hours_to_due, &self.feature_means) {
            (Some(_), Some(means)) => batch_with_means(x, means),
            _ => x.to_vec(),
        };
        let log_p50 = self.duration.predict_log(&batch, cols);
        let p50_hours = self.duration.elapsed_from_log(x, log_p50[0]);
        let p90_hours = self
            .duration
            .elapsed_from_log(x, log_p50[0] + self.residuals.p90_offset)
            .max(p50_hours);
        let (late_probability, factors) = match hours_to_due {
            None => (None, Vec::new()),
            Some(h) => {
                // On the model's clock: the factors' rows differ in their features, not in
                // the run's calendar.
                let h = self.duration.clock.from_elapsed(x, h);
                let hours = vec![h; log_p50.len()];
                let risks =
                    self.risk
                        .late_probabilities(&batch, cols, &log_p50, &hours, &self.residuals);
                (
                    Some(risks[0]),
                    top_factors(&self.names, &risks, FACTOR_COUNT),
                )
            }
        };
        Ok(Prediction {
            p50_hours,
            p90_hours,
            late_probability,
            factors,
        })
    }

    /// `log1p(p50)` of each row (one batch) on the duration model's clock.
    fn log_p50(&self, rows: &[Vec<f64>]) -> Result<Vec<f64>, PredictError> {
        let mut batch = Vec::with_capacity(rows.len() * self.names.len());
        for row in rows {
            self.check_width(row)?;
            batch.extend_from_slice(row);
        }
        Ok(self.duration.predict_log(&batch, self.names.len()))
    }

    /// A Monte Carlo sampler for the tasks whose feature rows are `rows` (task `i` of the
    /// forecast is `rows[i]`); each p50 is predicted once, each draw only adds a residual.
    pub fn duration_sampler(&self, rows: &[Vec<f64>]) -> Result<ModelDurations<'_>, PredictError> {
        Ok(ModelDurations {
            log_p50: self.log_p50(rows)?,
            residuals: &self.residuals,
        })
    }

    /// The scope growth to draw from for a project started on `start_date`, as of `as_of`
    /// ([`ForecastInput::scope_growth`]).
    pub fn scope_growth_at(&self, start_date: NaiveDate, as_of: DateTime<Utc>) -> Vec<f64> {
        self.scope_growth
            .ratios_at(scope::age_hours(start_date, as_of))
            .to_vec()
    }

    /// The Monte Carlo completion forecast of `input` (task `i` being `rows[i]`, as in
    /// [`Self::duration_sampler`]), calibrated by [`Self::completion_scale`].
    pub fn forecast_completion(
        &self,
        input: &ForecastInput,
        rows: &[Vec<f64>],
    ) -> Result<Result<CompletionForecast, ForecastError>, PredictError> {
        let sampler = self.duration_sampler(rows)?;
        Ok(monte_carlo::forecast(input, &sampler).map(|mut forecast| {
            if let Some(scale) = &self.completion_scale {
                scale.apply_to(&mut forecast);
            }
            forecast
        }))
    }

    /// The working calendar the model's durations are measured on; `None` for elapsed hours.
    /// A Monte Carlo forecast with its samples runs on this clock.
    pub fn working_hours(&self) -> Option<WorkingHours> {
        match self.duration.clock {
            Clock::Working { hours, .. } => Some(hours),
            Clock::Elapsed => None,
        }
    }

    /// The hours of the model's clock in the `elapsed` hours since the start of the run that
    /// `row` describes: how long a started task has run, as the Monte Carlo counts it.
    pub fn hours_run(&self, row: &[f64], elapsed: f64) -> f64 {
        self.duration.clock.from_elapsed(row, elapsed.max(0.0))
    }

    /// One duration (elapsed hours) drawn from the predictive distribution of row `x`.
    pub fn sample_duration<R: Rng + ?Sized>(
        &self,
        x: &[f64],
        rng: &mut R,
    ) -> Result<f64, PredictError> {
        self.check_width(x)?;
        let log_p50 = self.duration.predict_log(x, self.names.len())[0];
        Ok(self
            .duration
            .elapsed_from_log(x, log_p50 + self.residuals.sample(rng)))
    }

    /// Encodes as MessagePack: a header (versions, schema hash), then the model.
    pub fn to_bytes(&self) -> Result<Vec<u8>, ModelEncodeError> {
        let header = ModelHeader {
            magic: MAGIC.to_owned(),
            versions: self.versions.clone(),
            schema_hash: self.schema_hash.clone(),
        };
        let mut bytes = rmp_serde::to_vec(&header).map_err(|e| ModelEncodeError(e.to_string()))?;
        rmp_serde::encode::write(&mut bytes, self).map_err(|e| ModelEncodeError(e.to_string()))?;
        Ok(bytes)
    }

    /// Decodes a model, refusing one built by other crate versions or for another feature schema.
    pub fn from_bytes(bytes: &[u8], expected_schema_hash: &str) -> Result<Self, ModelLoadError> {
        let mut reader = bytes;
        let header: ModelHeader = rmp_serde::from_read(&mut reader)
            .map_err(|e| ModelLoadError::NotAModel(e.to_string()))?;
        if header.magic != MAGIC {
            return Err(ModelLoadError::NotAModel(format!(
                "magic `{}`",
                header.magic
            )));
        }
        let current = ModelVersions::current();
        if header.versions != current {
            return Err(ModelLoadError::VersionMismatch {
                stored: Box::new(header.versions),
                current: Box::new(current),
            });
        }
        if header.schema_hash != expected_schema_hash {
            return Err(ModelLoadError::SchemaMismatch {
                stored: header.schema_hash,
                expected: expected_schema_hash.to_owned(),
            });
        }
        let model: FittedModel =
            rmp_serde::from_read(&mut reader).map_err(|e| ModelLoadError::Decode(e.to_string()))?;
        if model.schema_hash != header.schema_hash || model.versions != header.versions {
            return Err(ModelLoadError::Decode("header and body disagree".into()));
        }
        Ok(model)
    }

    fn check_width(&self, x: &[f64]) -> Result<(), PredictError> {
        if x.len() == self.names.len() {
            Ok(())
        } else {
            Err(PredictError::Width {
                got: x.len(),
                expected: self.names.len(),
            })
        }
    }
}

/// Draws task durations from a model's predictive distribution, in hours of the model's clock
/// ([`FittedModel::working_hours`]).
#[derive(Debug, Clone)]
pub struct ModelDurations<'a> {
    log_p50: Vec<f64>,
    residuals: &'a ResidualDistribution,
}

impl DurationSampler for ModelDurations<'_> {
    fn sample_hours(&self, index: usize, rng: &mut StdRng) -> f64 {
        let log_p50 = self
            .log_p50
            .get(index)
            .copied()
            .unwrap_or(DEFAULT_ESTIMATE_HOURS.ln_1p());
        crate::duration::hours_from_log(log_p50 + self.residuals.sample(rng))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn names() -> Vec<String> {
        ["estimate_hours", "assignee_log_overrun", "has_due_date"]
            .map(String::from)
            .to_vec()
    }

    #[test]
    fn untrained_baseline_predicts_from_the_estimate() {
        let model = FittedModel::baseline(names(), "schema-1".into()).unwrap();
        let p = model.predict(&[10.0, 0.0, 1.0], Some(10.0)).unwrap();
        assert!((p.p50_hours - 10.0).abs() < 1e-9);
        // p90 = (1 + 10)·e^{0.5·1.2816} − 1
        let expected = 11.0 * (0.5 * 1.281_551_566_f64).exp() - 1.0;
        assert!((p.p90_hours - expected).abs() < 1e-3, "{}", p.p90_hours);
        assert!((p.late_probability.unwrap() - 0.5).abs() < 0.01);
        assert!(p.factors.is_empty());
        assert_eq!(
            model
                .predict(&[10.0, 0.0, 1.0], None)
                .unwrap()
                .late_probability,
            None
        );
        assert!(model.predict(&[1.0], None).is_err());
    }

    #[test]
    fn bytes_round_trip_and_refuse_another_schema() {
        let model = FittedModel::baseline(names(), "schema-1".into()).unwrap();
        let bytes = model.to_bytes().unwrap();
        let back = FittedModel::from_bytes(&bytes, "schema-1").unwrap();
        assert_eq!(back.names, model.names);
        assert_eq!(back.residuals, model.residuals);
        let x = [6.0, 0.3, 1.0];
        assert_eq!(back.predict(&x, Some(4.0)), model.predict(&x, Some(4.0)));
        match FittedModel::from_bytes(&bytes, "schema-2") {
            Err(ModelLoadError::SchemaMismatch { stored, expected }) => {
                assert_eq!(
                    (stored.as_str(), expected.as_str()),
                    ("schema-1", "schema-2")
                );
            }
            other => panic!("expected a schema mismatch, got {other:?}"),
        }
    }

    #[test]
    fn refuses_a_model_from_other_versions_and_garbage() {
        let mut model = FittedModel::baseline(names(), "s".into()).unwrap();
        model.versions.smartcore = "0.6.0".into();
        let bytes = model.to_bytes().unwrap();
        let err = FittedModel::from_bytes(&bytes, "s").unwrap_err();
        assert!(matches!(err, ModelLoadError::VersionMismatch { .. }));
        assert!(err.to_string().contains("retrain"));
        assert!(matches!(
            FittedModel::from_bytes(b"\x01\x02", "s"),
            Err(ModelLoadError::NotAModel(_))
        ));
    }

    #[test]
    fn samples_spread_around_the_p50() {
        let model = FittedModel::baseline(names(), "s".into()).unwrap();
        let mut rng = StdRng::seed_from_u64(3);
        let draws: Vec<f64> = (0..4000)
            .map(|_| model.sample_duration(&[20.0, 0.0, 0.0], &mut rng).unwrap())
            .collect();
        let median = crate::metrics::median(&draws).unwrap();
        assert!((median - 20.0).abs() < 1.5, "{median}");
        assert!(draws.iter().all(|&d| d > 0.0));
    }

    /// The recorded crate versions must be the ones the build uses.
    #[test]
    fn recorded_versions_match_cargo_lock() {
        let lock_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../Cargo.lock");
        let lock = std::fs::read_to_string(lock_path).unwrap();
        for (name, version) in [
            ("smartcore", SMARTCORE_VERSION),
            ("linfa", LINFA_VERSION),
            ("linfa-linear", LINFA_VERSION),
            ("linfa-logistic", LINFA_VERSION),
            ("rmp-serde", RMP_SERDE_VERSION),
        ] {
            let entry = format!("name = \"{name}\"\nversion = \"{version}\"");
            assert!(lock.contains(&entry), "Cargo.lock has no {name} {version}");
        }
    }
}
