//! Every metric Foresight exports, named once, registered in one registry per process.

use prometheus::{
    Gauge, GaugeVec, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry,
};

/// The registry and the metric families of every role in this process.
#[derive(Clone)]
pub struct Metrics {
    pub registry: Registry,
    pub commands: CommandMetrics,
    pub relay: RelayMetrics,
    pub consumers: ConsumerMetrics,
    pub http: HttpMetrics,
    pub predictions: PredictionMetrics,
    pub database: DatabaseMetrics,
}

/// What the database itself says about the health of the log's readers.
#[derive(Clone)]
pub struct DatabaseMetrics {
    /// Age of the oldest transaction on the cluster holding a transaction id: it holds every
    /// commit-order reader back.
    pub oldest_transaction_age: Gauge,
}

/// The prediction worker's output and the model it uses.
#[derive(Clone)]
pub struct PredictionMetrics {
    /// Prediction events emitted, by kind (forecast, risk, assignment, project).
    pub made: IntCounterVec,
    /// Time to predict one task (duration, risk and factors).
    pub latency: Histogram,
    /// The registry version of the model in use; 0 for the untrained baseline.
    pub model_version: IntGauge,
    /// The feature store's sequence number the worker has predicted up to.
    pub feature_seq: IntGauge,
    /// The feature store's latest sequence number as the worker last saw it.
    pub feature_head: IntGauge,
    /// The active model's test metrics, as recorded when it was trained (0 for the baseline).
    pub model_mae_hours: Gauge,
    pub model_p90_coverage: Gauge,
    pub model_risk_auc: Gauge,
    pub model_risk_brier: Gauge,
}

/// The query API's requests, labelled by matched route (bounded), not by raw path.
#[derive(Clone)]
pub struct HttpMetrics {
    pub requests: IntCounterVec,
    pub duration: HistogramVec,
}

/// Per consumer (projection or worker), labelled `consumer`.
#[derive(Clone)]
pub struct ConsumerMetrics {
    /// Global position of the consumer's checkpoint.
    pub position: IntGaugeVec,
    /// Events in the log after the checkpoint.
    pub lag_events: IntGaugeVec,
    /// Age of the oldest event not yet applied.
    pub lag_seconds: GaugeVec,
    pub applied: IntCounterVec,
    pub batch_duration: HistogramVec,
    /// Errors by kind: `apply`, `decode`, `broker`, `database`.
    pub errors: IntCounterVec,
    /// Messages JetStream delivered more than once.
    pub redeliveries: IntCounterVec,
    /// Times the consumer read a missing range from PostgreSQL instead of the broker.
    pub catch_ups: IntCounterVec,
    /// Stream versions that did not arrive as last + 1.
    pub version_gaps: IntCounterVec,
    /// Poison events given up on after their last attempt and kept in `dead_letters`.
    pub dead_letters: IntCounterVec,
    /// 1 while this process holds the consumer's lock (0 for a standby).
    pub active: IntGaugeVec,
}

#[derive(Clone)]
pub struct CommandMetrics {
    /// Commands handled, by type and outcome (`accepted`, `rejected`, `duplicate`).
    pub handled: IntCounterVec,
    /// Rejections by code.
    pub rejections: IntCounterVec,
    /// Messages that could not be answered by command id, by error code.
    pub rejected_messages: IntCounterVec,
    /// From receipt to outcome.
    pub duration: HistogramVec,
    /// Events appended, by category.
    pub events_appended: IntCounterVec,
    /// Infrastructure failures retried with back-off.
    pub retries: IntCounter,
}

#[derive(Clone)]
pub struct RelayMetrics {
    /// The global position of the last event published and acknowledged.
    pub position: IntGauge,
    /// The log's head position as last seen by the relay.
    pub head: IntGauge,
    pub published: IntCounter,
    pub batch_duration: Histogram,
    pub errors: IntCounterVec,
    /// 1 while this process holds the relay lock.
    pub active: IntGauge,
    /// Events in the log after the relay's checkpoint.
    pub lag_events: IntGauge,
    /// Age of the oldest event the relay has not published.
    pub lag_seconds: Gauge,
}

const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let commands = CommandMetrics {
            handled: counter_vec(
                &registry,
                "foresight_commands_total",
                "Commands handled, by type and outcome.",
                &["type", "outcome"],
            ),
            rejections: counter_vec(
                &registry,
                "foresight_command_rejections_total",
                "Commands rejected, by code.",
                &["code"],
            ),
            rejected_messages: counter_vec(
                &registry,
                "foresight_rejected_messages_total",
                "Command messages that could not be answered by id (kept in rejected_messages).",
                &["code"],
            ),
            duration: histogram_vec(
                &registry,
                "foresight_command_duration_seconds",
                "From receipt to outcome.",
                &["type"],
            ),
            events_appended: counter_vec(
                &registry,
                "foresight_events_appended_total",
                "Events appended, by category.",
                &["category"],
            ),
            retries: counter(
                &registry,
                "foresight_command_retries_total",
                "Infrastructure failures retried with back-off.",
            ),
        };
        let relay = RelayMetrics {
            position: gauge(
                &registry,
                "foresight_relay_position",
                "Global position of the last event the relay published.",
            ),
            head: gauge(
                &registry,
                "foresight_log_head_position",
                "Highest global position in the log.",
            ),
            published: counter(
                &registry,
                "foresight_relay_published_total",
                "Events published by the relay.",
            ),
            batch_duration: histogram(
                &registry,
                "foresight_relay_batch_duration_seconds",
                "Time to publish one batch and get its acks.",
            ),
            errors: counter_vec(
                &registry,
                "foresight_relay_errors_total",
                "Relay errors, by kind.",
                &["kind"],
            ),
            active: gauge(
                &registry,
                "foresight_relay_active",
                "1 while this process holds the relay lock.",
            ),
            lag_events: gauge(
                &registry,
                "foresight_relay_lag_events",
                "Events in the log after the relay's checkpoint.",
            ),
            lag_seconds: float_gauge(
                &registry,
                "foresight_relay_lag_seconds",
                "Age of the oldest event the relay has not published.",
            ),
        };
        let consumer = &["consumer"];
        let consumers = ConsumerMetrics {
            position: gauge_vec(
                &registry,
                "foresight_consumer_position",
                "Global position of the consumer's checkpoint.",
                consumer,
            ),
            lag_events: gauge_vec(
                &registry,
                "foresight_consumer_lag_events",
                "Events in the log after the consumer's checkpoint.",
                consumer,
            ),
            lag_seconds: float_gauge_vec(
                &registry,
                "foresight_consumer_lag_seconds",
                "Age of the oldest event the consumer has not applied.",
                consumer,
            ),
            applied: counter_vec(
                &registry,
                "foresight_consumer_events_applied_total",
                "Events applied.",
                consumer,
            ),
            batch_duration: histogram_vec(
                &registry,
                "foresight_consumer_batch_duration_seconds",
                "Time to apply and commit one batch.",
                consumer,
            ),
            errors: counter_vec(
                &registry,
                "foresight_consumer_errors_total",
                "Consumer errors, by kind.",
                &["consumer", "kind"],
            ),
            redeliveries: counter_vec(
                &registry,
                "foresight_consumer_redeliveries_total",
                "Messages delivered more than once.",
                consumer,
            ),
            catch_ups: counter_vec(
                &registry,
                "foresight_consumer_catch_ups_total",
                "Ranges read from PostgreSQL instead of the broker.",
                consumer,
            ),
            version_gaps: counter_vec(
                &registry,
                "foresight_consumer_version_gaps_total",
                "Stream versions that did not arrive as last + 1.",
                consumer,
            ),
            dead_letters: counter_vec(
                &registry,
                "foresight_consumer_dead_letters_total",
                "Poison events given up on after their last attempt and kept in dead_letters.",
                consumer,
            ),
            active: gauge_vec(
                &registry,
                "foresight_consumer_active",
                "1 while this process holds the consumer's lock.",
                consumer,
            ),
        };
        let http = HttpMetrics {
            requests: counter_vec(
                &registry,
                "foresight_http_requests_total",
                "HTTP requests, by route and status.",
                &["route", "status"],
            ),
            duration: histogram_vec(
                &registry,
                "foresight_http_request_duration_seconds",
                "HTTP request latency, by route.",
                &["route"],
            ),
        };
        let predictions = PredictionMetrics {
            made: counter_vec(
                &registry,
                "foresight_predictions_total",
                "Prediction events emitted, by kind.",
                &["kind"],
            ),
            latency: histogram(
                &registry,
                "foresight_prediction_duration_seconds",
                "Time to predict one task: duration, risk and its factors.",
            ),
            model_version: gauge(
                &registry,
                "foresight_model_active_version",
                "Registry version of the model in use; 0 for the untrained baseline.",
            ),
            feature_seq: gauge(
                &registry,
                "foresight_predictor_feature_seq",
                "Feature-store sequence number the prediction worker has predicted up to.",
            ),
            feature_head: gauge(
                &registry,
                "foresight_predictor_feature_head",
                "Latest feature-store sequence number the prediction worker has seen.",
            ),
            model_mae_hours: float_gauge(
                &registry,
                "foresight_model_duration_mae_hours",
                "Test MAE of the active model's duration forecast, in hours (0 for the baseline).",
            ),
            model_p90_coverage: float_gauge(
                &registry,
                "foresight_model_duration_p90_coverage",
                "Share of test durations at or under the active model's p90 (0 for the baseline).",
            ),
            model_risk_auc: float_gauge(
                &registry,
                "foresight_model_risk_auc",
                "Test AUC of the active model's late risk (0 for the baseline).",
            ),
            model_risk_brier: float_gauge(
                &registry,
                "foresight_model_risk_brier",
                "Test Brier score of the active model's late risk (0 for the baseline).",
            ),
        };
        let database = DatabaseMetrics {
            oldest_transaction_age: float_gauge(
                &registry,
                "foresight_database_oldest_transaction_age_seconds",
                "Age of the oldest transaction on the cluster holding a transaction id.",
            ),
        };
        #[cfg(target_os = "linux")]
        let _ = registry.register(Box::new(
            prometheus::process_collector::ProcessCollector::for_self(),
        ));
        Self {
            registry,
            commands,
            relay,
            consumers,
            http,
            predictions,
            database,
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let encoder = prometheus::TextEncoder::new();
        encoder
            .encode_to_string(&self.registry.gather())
            .unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

// Registration only fails for a duplicate or malformed name, which the tests of this module catch.
fn register<C: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    collector: C,
) -> C {
    registry
        .register(Box::new(collector.clone()))
        .expect("metric names are unique and valid");
    collector
}

fn counter(registry: &Registry, name: &str, help: &str) -> IntCounter {
    register(registry, IntCounter::new(name, help).expect("valid metric"))
}

fn counter_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    register(
        registry,
        IntCounterVec::new(Opts::new(name, help), labels).expect("valid metric"),
    )
}

fn gauge(registry: &Registry, name: &str, help: &str) -> IntGauge {
    register(registry, IntGauge::new(name, help).expect("valid metric"))
}

fn float_gauge(registry: &Registry, name: &str, help: &str) -> Gauge {
    register(registry, Gauge::new(name, help).expect("valid metric"))
}

fn gauge_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
    register(
        registry,
        IntGaugeVec::new(Opts::new(name, help), labels).expect("valid metric"),
    )
}

fn float_gauge_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> GaugeVec {
    register(
        registry,
        GaugeVec::new(Opts::new(name, help), labels).expect("valid metric"),
    )
}

fn histogram(registry: &Registry, name: &str, help: &str) -> Histogram {
    let opts = HistogramOpts::new(name, help).buckets(LATENCY_BUCKETS.to_vec());
    register(registry, Histogram::with_opts(opts).expect("valid metric"))
}

fn histogram_vec(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> HistogramVec {
    let opts = HistogramOpts::new(name, help).buckets(LATENCY_BUCKETS.to_vec());
    register(
        registry,
        HistogramVec::new(opts, labels).expect("valid metric"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_follows_the_naming_practice() {
        let metrics = Metrics::new();
        metrics
            .commands
            .handled
            .with_label_values(&["task.start", "accepted"])
            .inc();
        metrics
            .commands
            .duration
            .with_label_values(&["task.start"])
            .observe(0.01);
        metrics
            .commands
            .rejections
            .with_label_values(&["not_found"])
            .inc();
        metrics
            .commands
            .rejected_messages
            .with_label_values(&["invalid_json"])
            .inc();
        metrics
            .commands
            .events_appended
            .with_label_values(&["task"])
            .inc();
        metrics.relay.errors.with_label_values(&["publish"]).inc();
        let families = metrics.registry.gather();
        assert!(families.len() >= 12, "families: {}", families.len());
        for family in families {
            let name = family.name();
            assert!(
                name.starts_with("foresight_") || name.starts_with("process_"),
                "{name}"
            );
            if family.get_field_type() == prometheus::proto::MetricType::COUNTER {
                assert!(
                    name.ends_with("_total"),
                    "counter {name} must end in _total"
                );
            }
        }
        assert!(
            metrics
                .render()
                .contains("foresight_commands_total{outcome=\"accepted\",type=\"task.start\"} 1")
        );
    }
}
