//! The relay loop: hold the lock, read after the checkpoint, publish, await the acks, move
//! the checkpoint. Any failure drops the connection (and with it the lock) and starts over
//! from the checkpoint; JetStream drops what was published twice. A stream that lost what
//! the relay had published (deleted, purged, a server that lost its last writes) is created
//! again and gets it again.

use std::future::Future;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use async_nats::datetime::DateTime;
use async_nats::jetstream;
use bus::Subjects;
use futures::FutureExt;
use sqlx::postgres::PgListener;
use sqlx::{Connection, PgConnection, PgPool};
use store::{ConnectOptions, Position};

use crate::event_message;
use crate::message::position_of;

/// The relay's name in `checkpoints`.
const CHECKPOINT: &str = "relay";

#[derive(Debug, Clone)]
pub struct RelayConfig {
    pub batch_size: i64,
    /// The backstop when no NOTIFY arrives.
    pub poll_interval: Duration,
    /// How often a standby relay tries the lock.
    pub lock_retry: Duration,
    /// How often the relay's lag is measured against the log.
    pub lag_interval: Duration,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            batch_size: 2000,
            poll_interval: Duration::from_secs(1),
            lock_retry: Duration::from_millis(500),
            lag_interval: Duration::from_secs(1),
        }
    }
}

pub struct RelayContext {
    pub connect: ConnectOptions,
    /// For LISTEN and head reads; the lock and the reads use a connection of their own.
    pub pool: PgPool,
    pub nats: async_nats::Client,
    pub subjects: Subjects,
    pub metrics: telemetry::RelayMetrics,
    pub config: RelayConfig,
}

/// Relays until `shutdown` completes; the batch in hand is finished first.
pub async fn run(ctx: RelayContext, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let js = jetstream::new(ctx.nats.clone());
    tokio::pin!(shutdown);
    loop {
        match relay_while_holding_lock(&ctx, &js, &mut shutdown).await {
            Ok(()) => return Ok(()),
            Err(error) => {
                ctx.metrics.active.set(0);
                ctx.metrics.errors.with_label_values(&["relay"]).inc();
                tracing::warn!(error = %format!("{error:#}"), "relay interrupted; starting over from the checkpoint");
                tokio::select! {
                    _ = &mut shutdown => return Ok(()),
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

async fn relay_while_holding_lock(
    ctx: &RelayContext,
    js: &jetstream::Context,
    shutdown: &mut (impl Future<Output = ()> + Unpin),
) -> anyhow::Result<()> {
    let mut conn = PgConnection::connect_with(&ctx.connect.pg_options()?)
        .await
        .context("connecting the relay")?;
    let lock_name = format!("{}.relay", ctx.subjects.namespace());
    loop {
        let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))")
            .bind(&lock_name)
            .fetch_one(&mut conn)
            .await?;
        if locked {
            break;
        }
        tokio::select! {
            _ = &mut *shutdown => return Ok(()),
            _ = tokio::time::sleep(ctx.config.lock_retry) => {}
        }
    }
    ctx.metrics.active.set(1);
    tracing::info!(namespace = %ctx.subjects.namespace(), "relay holds the lock");
    bus::ensure_events_stream(js, &ctx.subjects).await?;

    let mut listener = PgListener::connect_with(&ctx.pool)
        .await
        .context("listening for the log")?;
    listener
        .listen(&store::notify_channel(ctx.subjects.namespace()))
        .await?;
    // After (re)connecting, the log is re-read from the checkpoint: NOTIFY is only a hint.
    let published = store::load_checkpoint(&mut conn, CHECKPOINT).await?;
    let (mut checkpoint, created) = resume_point(ctx, js, &mut conn, published).await?;
    let mut lag_measured = Instant::now() - ctx.config.lag_interval;
    loop {
        if (&mut *shutdown).now_or_never().is_some() {
            return Ok(());
        }
        if lag_measured.elapsed() >= ctx.config.lag_interval {
            measure_lag(ctx, checkpoint).await?;
            // Idle too, a lost stream is noticed (and comes back) within the interval.
            same_stream(ctx, js, created).await?;
            lag_measured = Instant::now();
        }
        let batch = store::read_after(&mut conn, checkpoint, ctx.config.batch_size).await?;
        if let Some(last) = batch.last() {
            let started = Instant::now();
            same_stream(ctx, js, created).await?;
            publish(ctx, js, checkpoint, &batch).await?;
            store::save_checkpoint(&mut conn, CHECKPOINT, last.position()).await?;
            checkpoint = last.position();
            ctx.metrics.published.inc_by(batch.len() as u64);
            ctx.metrics.position.set(last.global_position);
            ctx.metrics
                .batch_duration
                .observe(started.elapsed().as_secs_f64());
            continue;
        }
        ctx.metrics.head.set(store::head_position(&ctx.pool).await?);
        // Committed events held back by an older open transaction: look again soon.
        let wait = if store::has_events_after(&mut conn, checkpoint).await? {
            Duration::from_millis(5)
        } else {
            ctx.config.poll_interval
        };
        tokio::select! {
            _ = &mut *shutdown => return Ok(()),
            notification = listener.recv() => { notification.context("listening for the log")?; }
            _ = tokio::time::sleep(wait) => {}
        }
    }
}

/// Where publishing resumes, and when the events stream was created. From the checkpoint,
/// unless the stream lost what the relay published before (deleted and created again, purged
/// while the relay was away, a server that lost its last writes): then from the newest event
/// the stream still holds or, when it holds none, from the first event recorded within the
/// stream's retention, so that it holds again what its retention promises to any reader.
/// Foresight's consumers do not need it (they read a gap from the log) and skip what they
/// had. The saved checkpoint stays where it is.
async fn resume_point(
    ctx: &RelayContext,
    js: &jetstream::Context,
    conn: &mut PgConnection,
    checkpoint: Position,
) -> anyhow::Result<(Position, DateTime)> {
    let mut stream = js
        .get_stream(ctx.subjects.events_stream())
        .await
        .context("opening the events stream")?;
    let info = stream
        .info()
        .await
        .context("reading the events stream's state")?
        .clone();
    if checkpoint == Position::START {
        return Ok((checkpoint, info.created));
    }
    let resume = if info.state.messages > 0 {
        let newest = stream
            .get_last_raw_message_by_subject(&ctx.subjects.events_filter())
            .await
            .context("reading the newest message of the events stream")?;
        // A message that is not one of ours says nothing about what the stream lost.
        position_of(&newest.headers).unwrap_or(checkpoint)
    } else if info.config.max_age.is_zero() {
        Position::START
    } else {
        store::last_recorded_before(&mut *conn, info.config.max_age).await?
    };
    if resume >= checkpoint {
        return Ok((checkpoint, info.created));
    }
    tracing::warn!(
        stream = %ctx.subjects.events_stream(),
        checkpoint = checkpoint.global_position,
        from = resume.global_position,
        "the events stream lost events the relay had published; publishing them again"
    );
    Ok((resume, info.created))
}

/// Fails unless the events stream is still the one the relay found when it took the lock.
/// Deleted, or deleted and created again (by a process starting, or a consumer), it lost what
/// the relay had published: the relay starts over, which creates it and publishes that again.
async fn same_stream(
    ctx: &RelayContext,
    js: &jetstream::Context,
    created: DateTime,
) -> anyhow::Result<()> {
    let stream = js
        .get_stream(ctx.subjects.events_stream())
        .await
        .context("checking the events stream")?;
    anyhow::ensure!(
        stream.cached_info().created == created,
        "the events stream was deleted and created again"
    );
    Ok(())
}

/// Lag against the log, as every consumer measures it, so a stalled relay shows.
async fn measure_lag(ctx: &RelayContext, checkpoint: store::Position) -> anyhow::Result<()> {
    let (events, seconds) = store::lag_after(&ctx.pool, checkpoint).await?;
    ctx.metrics.lag_events.set(events);
    ctx.metrics.lag_seconds.set(seconds);
    ctx.metrics.position.set(checkpoint.global_position);
    Ok(())
}

async fn publish(
    ctx: &RelayContext,
    js: &jetstream::Context,
    checkpoint: store::Position,
    batch: &[store::RecordedEvent],
) -> anyhow::Result<()> {
    let mut acks = Vec::with_capacity(batch.len());
    let mut previous = checkpoint;
    for event in batch {
        let (subject, headers, body) = event_message(&ctx.subjects, event, previous);
        previous = event.position();
        // Sent back to back; the acks are awaited together below.
        acks.push(
            js.publish_with_headers(subject, headers, body)
                .await
                .context("publishing an event")?,
        );
    }
    for ack in acks {
        ack.await.context("awaiting a publish ack")?;
    }
    Ok(())
}
