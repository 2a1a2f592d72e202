//! The prediction worker's models and role. Pure modelling code (datasets, duration and risk
//! models, training and model encoding, Monte Carlo completion forecasts, assignment ranking)
//! sits apart from the I/O: the model registry ([`registry`]) and the worker loop ([`worker`]).

pub mod assignment;
pub mod backtest;
pub mod calendar;
pub mod completion_scale;
pub mod dataset;
pub mod duration;
pub mod emit;
pub mod evaluation;
pub mod factors;
pub mod forest;
pub mod linear;
pub mod metrics;
pub mod model;
pub mod monte_carlo;
pub mod project_backtest;
pub mod registry;
pub mod residuals;
pub mod risk;
pub mod scaling;
pub mod scope;
pub mod synthetic;
pub mod training;
pub mod worker;

pub use assignment::{
    AssignmentCandidate, AssignmentRequest, QueuedWork, Recommendation, hours_at_capacity,
    rank_members,
};
pub use backtest::{BacktestCase, BacktestReport, backtest};
pub use dataset::{Dataset, DatasetError, TimeSplit};
pub use model::{
    Factor, FittedModel, ModelDurations, ModelLoadError, ModelVersions, PredictError, Prediction,
};
pub use monte_carlo::{
    CompletionForecast, DurationSampler, ForecastError, ForecastInput, Health, Member, Milestone,
    MilestoneForecast, Percentiles, RemainingTask, forecast,
};
pub use training::{
    CandidateKind, CandidateReport, SplitSizes, TrainConfig, TrainError, TrainingReport, train,
};
