//! The follow-the-log loop: one active instance per consumer name (advisory lock), batches
//! from a durable pull consumer, the chain checked against the checkpoint, the log read
//! from PostgreSQL when the broker's batch does not continue it.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use async_nats::jetstream::{self, AckKind, consumer::pull};
use bus::Subjects;
use futures::FutureExt;
use sqlx::{Connection, PgConnection, PgPool};
use store::{ConnectOptions, Position, RecordedEvent};

use crate::batch::{Incoming, plan_batch};
use crate::fetch::fetch;
use crate::{Projection, decode, ensure_schema, projection_schema};

#[derive(Debug, Clone)]
pub struct ConsumerConfig {
    /// Events per batch at most.
    pub batch_size: usize,
    /// How long a batch waits to fill.
    pub batch_wait: Duration,
    pub ack_wait: Duration,
    /// How often a standby instance tries the lock.
    pub lock_retry: Duration,
    /// How often lag is measured against the log.
    pub lag_interval: Duration,
    /// Attempts at an event that fails to apply before it is given up on as poison.
    pub max_attempts: u32,
    /// Fault injection, for tests only (`None` in every role): while the counter is above
    /// zero, a batch from the broker that commits ends the loop with an error before its
    /// messages are acknowledged, and counts down, as a crash between commit and ack would.
    /// The messages come again after the ack wait and are skipped.
    pub crash_after_commit: Option<Arc<AtomicU32>>,
}

impl Default for ConsumerConfig {
    fn default() -> Self {
        Self {
            batch_size: 500,
            batch_wait: Duration::from_millis(10),
            ack_wait: Duration::from_secs(30),
            lock_retry: Duration::from_millis(500),
            lag_interval: Duration::from_secs(1),
            max_attempts: 5,
            crash_after_commit: None,
        }
    }
}

pub struct ConsumerContext {
    /// For the namespace; the projection's schema is put first on the search path.
    pub connect: ConnectOptions,
    pub nats: async_nats::Client,
    pub subjects: Subjects,
    pub metrics: telemetry::ConsumerMetrics,
    pub config: ConsumerConfig,
}

/// Follows the log until `shutdown`; the batch in hand is finished first.
pub async fn run<P: Projection>(
    ctx: ConsumerContext,
    projection: P,
    shutdown: impl Future<Output = ()>,
) -> anyhow::Result<()> {
    tokio::pin!(shutdown);
    // Failed attempts per event outlive a restart of the loop, so that poison is given up on.
    let mut attempts = HashMap::new();
    loop {
        match follow(&ctx, &projection, &mut attempts, &mut shutdown).await {
            Ok(()) => {
                ctx.metrics
                    .active
                    .with_label_values(&[projection.name()])
                    .set(0);
                return Ok(());
            }
            Err(error) => {
                ctx.metrics
                    .active
                    .with_label_values(&[projection.name()])
                    .set(0);
                ctx.metrics
                    .errors
                    .with_label_values(&[projection.name(), "restart"])
                    .inc();
                tracing::warn!(consumer = projection.name(), error = %format!("{error:#}"), "consumer interrupted; resuming from its checkpoint");
                tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

pub(crate) struct Follower<'a, P> {
    pub(crate) ctx: &'a ConsumerContext,
    pub(crate) projection: &'a P,
    pub(crate) pool: PgPool,
    pub(crate) checkpoint: Position,
    /// Last version seen per stream, to report versions that do not arrive as last + 1.
    versions: HashMap<String, i32>,
    /// The last read of the log came back full: read it again before asking the broker.
    behind: bool,
    /// Failed attempts at applying an event, by its position.
    pub(crate) attempts: &'a mut HashMap<Position, u32>,
}

/// Events read from the log at once when a consumer is far behind it.
const CATCH_UP_BATCH: i64 = 5000;

async fn follow<P: Projection>(
    ctx: &ConsumerContext,
    projection: &P,
    attempts: &mut HashMap<Position, u32>,
    shutdown: &mut (impl Future<Output = ()> + Unpin),
) -> anyhow::Result<()> {
    let name = projection.name();
    let schema = projection_schema(ctx.subjects.namespace(), name);
    let mut connect = ctx.connect.clone();
    connect.schemas_first = vec![schema.clone()];
    connect.max_connections = 3;
    connect.set_role(name);
    let pool = store::connect(&connect).await?;
    ensure_schema(&pool, &schema, projection.schema_sql()).await?;

    // Single active: the lock lives as long as this connection.
    let mut lock = PgConnection::connect_with(&connect.pg_options()?).await?;
    let lock_name = format!("{}.consumer.{name}", ctx.subjects.namespace());
    while !sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock(hashtext($1))")
        .bind(&lock_name)
        .fetch_one(&mut lock)
        .await?
    {
        tokio::select! {
            _ = &mut *shutdown => return Ok(()),
            _ = tokio::time::sleep(ctx.config.lock_retry) => {}
        }
    }
    tracing::info!(consumer = name, "consumer holds its lock");
    ctx.metrics.active.with_label_values(&[name]).set(1);

    // A deleted stream comes back here or in the relay, whichever restarts first.
    let js = jetstream::new(ctx.nats.clone());
    bus::ensure_events_stream(&js, &ctx.subjects).await?;
    let stream = js.get_stream(ctx.subjects.events_stream()).await?;
    let consumer = stream
        .get_or_create_consumer(
            name,
            pull::Config {
                durable_name: Some(name.to_owned()),
                filter_subject: ctx.subjects.events_filter(),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: ctx.config.ack_wait,
                max_ack_pending: 50_000,
                ..Default::default()
            },
        )
        .await
        .with_context(|| format!("creating the durable consumer {name}"))?;

    let checkpoint = store::load_checkpoint(&pool, name).await?;
    let mut follower = Follower {
        ctx,
        projection,
        pool,
        checkpoint,
        versions: HashMap::new(),
        behind: false,
        attempts,
    };
    let mut lag_measured = Instant::now() - ctx.config.lag_interval;
    loop {
        if (&mut *shutdown).now_or_never().is_some() {
            return Ok(());
        }
        // The lock connection must stay alive: if it died, another instance may be running.
        sqlx::query("SELECT 1")
            .execute(&mut lock)
            .await
            .context("the consumer lock connection")?;
        // Far behind, the log is read at database speed; the broker only once caught up.
        let messages = if follower.behind {
            Vec::new()
        } else {
            fetch(&consumer, &ctx.config).await?
        };
        follower.handle(&messages).await?;
        if lag_measured.elapsed() >= ctx.config.lag_interval {
            follower.measure_lag().await?;
            lag_measured = Instant::now();
        }
    }
}

impl<P: Projection> Follower<'_, P> {
    async fn handle(&mut self, messages: &[jetstream::Message]) -> anyhow::Result<()> {
        let name = self.projection.name();
        let mut events = Vec::with_capacity(messages.len());
        let mut incoming = Vec::with_capacity(messages.len());
        for message in messages {
            if message.info().is_ok_and(|info| info.delivered > 1) {
                self.ctx
                    .metrics
                    .redeliveries
                    .with_label_values(&[name])
                    .inc();
            }
            match serde_json::from_slice::<RecordedEvent>(&message.payload) {
                Ok(event) => {
                    let previous = message
                        .headers
                        .as_ref()
                        .and_then(|h| h.get(bus::PREVIOUS_HEADER))
                        .and_then(|v| bus::parse_position(v.as_str()))
                        .map(|(tx, pos)| Position::new(tx, pos));
                    incoming.push(Incoming {
                        position: event.position(),
                        previous,
                    });
                    events.push(Some(event));
                }
                Err(error) => {
                    // Not one of ours: the log is read instead, so nothing is lost.
                    self.ctx
                        .metrics
                        .errors
                        .with_label_values(&[name, "decode"])
                        .inc();
                    tracing::warn!(consumer = name, %error, "an event message that cannot be read");
                    incoming.push(Incoming {
                        position: Position::new(i64::MAX, i64::MAX),
                        previous: None,
                    });
                    events.push(None);
                }
            }
        }
        let before = self.checkpoint;
        let (applicable, gap) = plan_batch(self.checkpoint, &incoming);
        let chained: Vec<RecordedEvent> = applicable
            .iter()
            .filter_map(|&i| events[i].clone())
            .collect();
        if !chained.is_empty() {
            self.apply(chained).await?;
        }
        let nothing_came = messages.is_empty();
        if gap || (nothing_came && store::has_events_after(&self.pool, self.checkpoint).await?) {
            // The broker's batch does not continue the checkpoint (or the broker is behind):
            // the log itself is read, a batch at a time, until it has nothing more.
            self.ctx.metrics.catch_ups.with_label_values(&[name]).inc();
            let from_log = store::read_after(&self.pool, self.checkpoint, CATCH_UP_BATCH).await?;
            self.behind = from_log.len() as i64 == CATCH_UP_BATCH;
            if !from_log.is_empty() {
                self.apply(from_log).await?;
            }
        }
        if !messages.is_empty() && self.checkpoint > before {
            self.crash_if_asked()?;
        }
        for (message, seen) in messages.iter().zip(&incoming) {
            let kind = if seen.position <= self.checkpoint {
                AckKind::Ack
            } else {
                AckKind::Nak(None)
            };
            if let Err(error) = message.ack_with(kind).await {
                tracing::debug!(consumer = name, %error, "acknowledging failed; the message will come again and be skipped");
            }
        }
        Ok(())
    }

    /// The fault-injection hook of `ConsumerConfig::crash_after_commit`.
    fn crash_if_asked(&self) -> anyhow::Result<()> {
        let Some(crashes) = &self.ctx.config.crash_after_commit else {
            return Ok(());
        };
        if crashes
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            anyhow::bail!("fault injection: a crash after the commit, before the acknowledgements");
        }
        Ok(())
    }

    /// One transaction: the projection's writes and the checkpoint, or neither.
    pub(crate) async fn apply_batch(&mut self, recorded: Vec<RecordedEvent>) -> anyhow::Result<()> {
        let name = self.projection.name();
        let started = Instant::now();
        let mut tx = self.pool.begin().await?;
        // Excludes a rebuild's swap, which moves the checkpoint under us.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(apply_lock(self.ctx.subjects.namespace(), name))
            .execute(&mut *tx)
            .await?;
        let stored = store::load_checkpoint(&mut *tx, name).await?;
        if stored > self.checkpoint {
            self.checkpoint = stored;
        }
        let fresh: Vec<RecordedEvent> = recorded
            .into_iter()
            .filter(|e| e.position() > self.checkpoint)
            .collect();
        let Some(last) = fresh.last().map(RecordedEvent::position) else {
            // Ended explicitly: a dropped transaction would keep its lock until the
            // connection is next used.
            tx.commit().await?;
            return Ok(());
        };
        let events = decode(fresh).inspect_err(|_| {
            self.ctx
                .metrics
                .errors
                .with_label_values(&[name, "decode"])
                .inc();
        })?;
        self.projection
            .apply(&mut tx, &events)
            .await
            .inspect_err(|_| {
                self.ctx
                    .metrics
                    .errors
                    .with_label_values(&[name, "apply"])
                    .inc();
            })?;
        store::save_checkpoint(&mut *tx, name, last).await?;
        tx.commit().await?;
        self.checkpoint = last;
        // Only what committed counts: a batch that rolled back comes again, maybe split.
        self.check_versions(events.iter().map(|e| &e.recorded));
        self.ctx
            .metrics
            .applied
            .with_label_values(&[name])
            .inc_by(events.len() as u64);
        self.ctx
            .metrics
            .position
            .with_label_values(&[name])
            .set(last.global_position);
        self.ctx
            .metrics
            .batch_duration
            .with_label_values(&[name])
            .observe(started.elapsed().as_secs_f64());
        Ok(())
    }

    fn check_versions<'e>(&mut self, events: impl Iterator<Item = &'e RecordedEvent>) {
        for event in events {
            if let Some(last) = self
                .versions
                .insert(event.stream_id.clone(), event.stream_version)
                && event.stream_version != last + 1
            {
                self.ctx
                    .metrics
                    .version_gaps
                    .with_label_values(&[self.projection.name()])
                    .inc();
                tracing::error!(
                    consumer = self.projection.name(),
                    stream = %event.stream_id,
                    last,
                    got = event.stream_version,
                    "a stream's versions did not arrive as last + 1"
                );
            }
        }
    }

    async fn measure_lag(&self) -> anyhow::Result<()> {
        let name = self.projection.name();
        let (events, seconds) = store::lag_after(&self.pool, self.checkpoint).await?;
        self.ctx
            .metrics
            .lag_events
            .with_label_values(&[name])
            .set(events);
        self.ctx
            .metrics
            .lag_seconds
            .with_label_values(&[name])
            .set(seconds);
        self.ctx
            .metrics
            .position
            .with_label_values(&[name])
            .set(self.checkpoint.global_position);
        Ok(())
    }
}

/// The lock a consumer's batch and a rebuild's swap both take.
pub(crate) fn apply_lock(namespace: &domain::Namespace, projection: &str) -> String {
    format!("{}.apply.{projection}", namespace.as_str())
}
