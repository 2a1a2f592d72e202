//! The soak's final count: what the clients sent against what the log, the events stream and
//! every projection hold once everything has drained.

use anyhow::Context;
use async_nats::jetstream;
use consumer::Projection;
use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

use crate::config::Config;

pub struct Verdict {
    pub sent: i64,
    pub accepted: i64,
    pub rejected: i64,
    /// Sent and acknowledged by JetStream, yet without an outcome.
    pub unanswered: i64,
    pub events: i64,
    /// Positions an accepted outcome names that are not in the log.
    pub accepted_events_missing: i64,
    pub stream_messages: i64,
    /// Per projection: events at or below its checkpoint, events after it, and whether its
    /// tables differ from a rebuild from the log.
    pub projections: Vec<(String, i64, i64, bool)>,
    pub dead_letters: i64,
}

impl Verdict {
    pub fn losses(&self) -> i64 {
        self.unanswered
            + self.accepted_events_missing
            + (self.events - self.stream_messages).max(0)
            + self.projections.iter().map(|p| p.2).sum::<i64>()
            + self.differing()
            + self.dead_letters
    }

    pub fn duplicates(&self) -> i64 {
        (self.stream_messages - self.events).max(0) + self.differing()
    }

    fn differing(&self) -> i64 {
        self.projections.iter().filter(|p| p.3).count() as i64
    }

    pub fn rows(&self) -> Vec<(String, i64)> {
        let mut rows = vec![
            (
                "commands sent (acknowledged by JetStream)".into(),
                self.sent,
            ),
            ("accepted".into(), self.accepted),
            ("rejected".into(), self.rejected),
            ("LOST: sent but never answered".into(), self.unanswered),
            ("events in the log".into(), self.events),
            (
                "LOST: events of accepted commands missing from the log".into(),
                self.accepted_events_missing,
            ),
            ("messages in the events stream".into(), self.stream_messages),
            (
                "DUPLICATE messages in the events stream".into(),
                (self.stream_messages - self.events).max(0),
            ),
            (
                "LOST: events never published".into(),
                (self.events - self.stream_messages).max(0),
            ),
        ];
        for (name, applied, behind, differs) in &self.projections {
            rows.push((format!("events in {name}"), *applied));
            rows.push((format!("LOST: events {name} did not apply"), *behind));
            rows.push((
                format!("{name} differs from a rebuild (duplicate or lost)"),
                i64::from(*differs),
            ));
        }
        rows.push(("events given up on as poison".into(), self.dead_letters));
        rows.push(("total losses".into(), self.losses()));
        rows.push(("total duplicates".into(), self.duplicates()));
        rows
    }
}

pub async fn verify(
    config: &Config,
    pool: &PgPool,
    nats: &async_nats::Client,
    sent: &[Uuid],
) -> anyhow::Result<Verdict> {
    let (accepted, rejected): (i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE status = 'accepted'), count(*) FILTER (WHERE status = 'rejected') \
         FROM command_results WHERE command_id = ANY($1)",
    )
    .bind(sent)
    .fetch_one(pool)
    .await?;
    let accepted_events_missing: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM command_results r, jsonb_array_elements(r.outcome -> 'positions') p \
         WHERE r.command_id = ANY($1) AND r.status = 'accepted' \
           AND NOT EXISTS (SELECT 1 FROM events e WHERE e.global_position = p::bigint \
                           AND e.metadata ->> 'command_id' = r.command_id::text)",
    )
    .bind(sent)
    .fetch_one(pool)
    .await?;
    let events: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(pool)
        .await?;
    let dead_letters: i64 = sqlx::query_scalar("SELECT count(*) FROM dead_letters")
        .fetch_one(pool)
        .await?;
    let subjects = bus::Subjects::new(&config.namespace);
    let stream_messages = jetstream::new(nats.clone())
        .get_stream(subjects.events_stream())
        .await?
        .info()
        .await?
        .state
        .messages as i64;

    let features = features::FeatureWorker::new(None, subjects);
    let projections = vec![
        against_rebuild(config, pool, &boards::Boards).await?,
        against_rebuild(config, pool, &schedules::Schedules).await?,
        against_rebuild(config, pool, &analytics::Analytics).await?,
        against_rebuild(config, pool, &features).await?,
    ];
    Ok(Verdict {
        sent: sent.len() as i64,
        accepted,
        rejected,
        unanswered: sent.len() as i64 - accepted - rejected,
        events,
        accepted_events_missing,
        stream_messages,
        projections,
        dead_letters,
    })
}

/// A projection's applied and missing events, and whether a rebuild from the log changes it.
async fn against_rebuild<P: Projection>(
    config: &Config,
    pool: &PgPool,
    projection: &P,
) -> anyhow::Result<(String, i64, i64, bool)> {
    let name = projection.name();
    let checkpoint = store::load_checkpoint(pool, name).await?;
    let (behind, _) = store::lag_after(pool, checkpoint).await?;
    let applied: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events WHERE (transaction_id, global_position) <= ($1::text::xid8, $2)",
    )
    .bind(checkpoint.transaction_id.to_string())
    .bind(checkpoint.global_position)
    .fetch_one(pool)
    .await?;
    let live = dump(config, projection).await?;
    consumer::replay(&config.connect_options("soak"), projection, 20_000)
        .await
        .with_context(|| format!("rebuilding {name}"))?;
    let rebuilt = dump(config, projection).await?;
    Ok((name.to_owned(), applied, behind, live != rebuilt))
}

async fn dump<P: Projection>(config: &Config, projection: &P) -> anyhow::Result<serde_json::Value> {
    let mut options = config.connect_options("soak");
    options.schemas_first = vec![consumer::projection_schema(
        &config.namespace,
        projection.name(),
    )];
    let mut conn = PgConnection::connect_with(&options.pg_options()?).await?;
    projection.dump(&mut conn).await
}
