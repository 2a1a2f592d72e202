//! Every consumer's lag, and the relay's, measured from the checkpoints table by a process
//! other than the consumer: a consumer that died (taking its `/metrics` with it) or hangs
//! still shows as lagging, and its alert fires.

use std::future::Future;
use std::time::Duration;

use sqlx::PgPool;
use store::Position;

/// The relay's name in `checkpoints`.
const RELAY: &str = "relay";

pub struct LagMonitor {
    pub pool: PgPool,
    /// Consumers reported even before they ever saved a checkpoint (their lag is the log).
    pub expected: Vec<String>,
    pub consumers: telemetry::ConsumerMetrics,
    pub relay: telemetry::RelayMetrics,
    pub database: telemetry::DatabaseMetrics,
    pub interval: Duration,
}

impl LagMonitor {
    /// Measures every `interval` until `shutdown`; a failed measurement is logged and retried.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            if let Err(error) = self.measure().await {
                tracing::warn!(error = %format!("{error:#}"), "measuring consumer lag failed; retrying");
            }
            tokio::select! {
                _ = &mut shutdown => return,
                _ = tokio::time::sleep(self.interval) => {}
            }
        }
    }

    /// One measurement of every checkpoint, the log's head and the oldest transaction.
    pub async fn measure(&self) -> anyhow::Result<()> {
        let mut checkpoints = store::all_checkpoints(&self.pool).await?;
        for name in &self.expected {
            if !checkpoints.iter().any(|(known, _)| known == name) {
                checkpoints.push((name.clone(), Position::START));
            }
        }
        for (name, checkpoint) in checkpoints {
            let (events, seconds) = store::lag_after(&self.pool, checkpoint).await?;
            if name == RELAY {
                self.relay.lag_events.set(events);
                self.relay.lag_seconds.set(seconds);
                self.relay.position.set(checkpoint.global_position);
                continue;
            }
            let label = [name.as_str()];
            self.consumers
                .lag_events
                .with_label_values(&label)
                .set(events);
            self.consumers
                .lag_seconds
                .with_label_values(&label)
                .set(seconds);
            self.consumers
                .position
                .with_label_values(&label)
                .set(checkpoint.global_position);
        }
        self.relay.head.set(store::head_position(&self.pool).await?);
        self.database
            .oldest_transaction_age
            .set(store::oldest_transaction_age_seconds(&self.pool).await?);
        Ok(())
    }
}
