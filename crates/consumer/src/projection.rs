//! What a projection implements, and the events it receives.

use std::future::Future;

use sqlx::PgConnection;

/// An event from the log with its decoded (and upcast) domain form.
#[derive(Debug, Clone)]
pub struct LoggedEvent {
    pub recorded: store::RecordedEvent,
    pub event: domain::Event,
}

/// A read model fed from the log. `apply` gets a whole batch inside the transaction that
/// also moves the checkpoint: fold it in memory and write set-wise, not row by row.
pub trait Projection: Send + Sync + 'static {
    /// The consumer name: checkpoint key, durable consumer name, metric label.
    fn name(&self) -> &'static str;
    /// Idempotent DDL of the projection's tables, run in the projection's own schema.
    fn schema_sql(&self) -> &'static str;
    fn apply(
        &self,
        conn: &mut PgConnection,
        events: &[LoggedEvent],
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
    /// Every row of the projection's tables in a canonical order, for comparing a live
    /// projection with a rebuilt one.
    fn dump(
        &self,
        conn: &mut PgConnection,
    ) -> impl Future<Output = anyhow::Result<serde_json::Value>> + Send;
}

/// Decodes (and upcasts) recorded events; the one place consumers turn rows into events.
pub fn decode(recorded: Vec<store::RecordedEvent>) -> anyhow::Result<Vec<LoggedEvent>> {
    recorded
        .into_iter()
        .map(|recorded| {
            let event = domain::Event::from_stored(
                &recorded.event_type,
                recorded.schema_version,
                &recorded.payload,
            )
            .map_err(|e| {
                anyhow::anyhow!(
                    "event {} at {} cannot be read: {e:?}",
                    recorded.event_id,
                    recorded.global_position
                )
            })?;
            Ok(LoggedEvent { recorded, event })
        })
        .collect()
}
