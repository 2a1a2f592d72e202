//! Tracing set-up, the Prometheus registry and every metric name.

mod logging;
mod metrics;
mod ops;

pub use logging::{LogFormat, init_logging};
pub use metrics::{
    CommandMetrics, ConsumerMetrics, DatabaseMetrics, HttpMetrics, Metrics, PredictionMetrics,
    RelayMetrics,
};
pub use ops::{Readiness, ops_router, serve};
