//! The role's loop: a durable pull consumer on `<NS>_COMMANDS`, commands decoded in arrival
//! order and executed concurrently where they touch different streams.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use async_nats::jetstream::{self, AckKind, consumer::pull};
use bus::Subjects;
use futures::StreamExt;
use sqlx::PgPool;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tokio::task::JoinSet;

use crate::intake::{Intake, decode};
use crate::ordering::{Ordering, Turn};
use crate::strict_json::printable_within;
use crate::{Appender, SchemaCheck, StateCache, execute, outcome};

#[derive(Debug, Clone)]
pub struct HandlerConfig {
    /// Durable consumer name; every handler instance of a namespace shares it.
    pub consumer_name: String,
    /// Commands in hand at once, most of them waiting their turn behind an earlier command on
    /// the same stream; the database work is bounded by the pool, not by this.
    pub max_in_flight: usize,
    /// Larger commands are rejected as `payload_too_large`.
    pub max_payload_bytes: usize,
    pub ack_wait: Duration,
}

impl Default for HandlerConfig {
    fn default() -> Self {
        Self {
            consumer_name: "commands".into(),
            max_in_flight: 1024,
            max_payload_bytes: 256 * 1024,
            ack_wait: Duration::from_secs(30),
        }
    }
}

pub struct HandlerContext {
    pub pool: PgPool,
    pub nats: async_nats::Client,
    pub subjects: Subjects,
    pub metrics: telemetry::CommandMetrics,
    pub notifier: store::Notifier,
    pub config: HandlerConfig,
}

pub(crate) struct Shared {
    pub pool: PgPool,
    pub nats: async_nats::Client,
    pub subjects: Subjects,
    pub metrics: telemetry::CommandMetrics,
    pub notifier: store::Notifier,
    pub schemas: SchemaCheck,
    pub cache: StateCache,
    pub appender: Appender,
    pub config: HandlerConfig,
    pub stopping: watch::Receiver<bool>,
}

/// Handles commands until `shutdown` completes, then finishes the ones in hand.
pub async fn run(ctx: HandlerContext, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let js = jetstream::new(ctx.nats.clone());
    let stream_name = ctx.subjects.commands_stream();
    let stream = js
        .get_stream(&stream_name)
        .await
        .with_context(|| format!("opening stream {stream_name}"))?;
    let consumer = stream
        .get_or_create_consumer(
            &ctx.config.consumer_name,
            pull::Config {
                durable_name: Some(ctx.config.consumer_name.clone()),
                filter_subject: ctx.subjects.commands_filter(),
                ack_policy: jetstream::consumer::AckPolicy::Explicit,
                ack_wait: ctx.config.ack_wait,
                max_ack_pending: 10_000,
                ..Default::default()
            },
        )
        .await
        .context("creating the commands consumer")?;
    let mut messages = consumer
        .stream()
        .max_messages_per_batch(512)
        .messages()
        .await
        .context("pulling commands")?;

    let server_max = ctx.nats.server_info().max_payload;
    if server_max < ctx.config.max_payload_bytes {
        // The client's publish fails for those: they are never on the stream to be answered.
        tracing::warn!(
            server_max,
            limit = ctx.config.max_payload_bytes,
            "the NATS max_payload is below the command size limit: larger commands fail at publish"
        );
    }
    let (stop, stopping) = watch::channel(false);
    let shared = Arc::new(Shared {
        schemas: SchemaCheck::new()?,
        cache: StateCache::default(),
        appender: Appender::batched(ctx.pool.clone()),
        pool: ctx.pool,
        nats: ctx.nats,
        subjects: ctx.subjects,
        metrics: ctx.metrics,
        notifier: ctx.notifier,
        config: ctx.config,
        stopping,
    });
    let slots = Arc::new(Semaphore::new(shared.config.max_in_flight));
    let mut ordering = Ordering::default();
    let mut tasks = JoinSet::new();
    tracing::info!(stream = %stream_name, "command handler started");

    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            next = messages.next() => match next {
                Some(Ok(message)) => {
                    let slot = slots.clone().acquire_owned().await.context("slots closed")?;
                    let started = Instant::now();
                    let command_type = shared.subjects.command_type_of(&message.subject).map(str::to_owned);
                    let intake = decode(&message.payload, command_type.as_deref(), shared.config.max_payload_bytes, &shared.schemas, chrono::Utc::now());
                    let (writes, reads) = ordering_keys(&intake);
                    let turn = ordering.enter(&writes, &reads);
                    tasks.spawn(handle(shared.clone(), message, intake, turn, slot, started));
                }
                Some(Err(error)) => tracing::warn!(%error, "pulling commands failed; the consumer retries"),
                None => anyhow::bail!("the commands consumer ended"),
            },
        }
    }
    tracing::info!(
        in_hand = tasks.len(),
        "command handler stopping after the commands in hand"
    );
    let _ = stop.send(true);
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// The ordering key every `task.add_dependency` writes (no stream id has a space): two new
/// dependencies decided side by side could close a cycle through tasks that neither command
/// names, which neither would see. The command is rare, so one line for all costs little.
const NEW_DEPENDENCIES: &str = "new dependencies";

/// The stream a command writes and the streams it reads, known before deciding.
fn ordering_keys(intake: &Intake) -> (Vec<String>, Vec<String>) {
    match intake {
        Intake::Valid { command, .. } => {
            let mut writes = vec![command.target().as_str().to_owned()];
            if matches!(**command, domain::Command::AddDependency(_)) {
                writes.push(NEW_DEPENDENCIES.to_owned());
            }
            let reads = command
                .references(None)
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect();
            (writes, reads)
        }
        _ => (Vec::new(), Vec::new()),
    }
}

async fn handle(
    shared: Arc<Shared>,
    message: jetstream::Message,
    intake: Intake,
    mut turn: Turn,
    _slot: OwnedSemaphorePermit,
    started: Instant,
) {
    turn.wait().await;
    let mut backoff = Duration::from_millis(50);
    let answer = loop {
        match answer(&shared, &message, &intake).await {
            Ok(answer) => break answer,
            Err(error) => {
                shared.metrics.retries.inc();
                tracing::warn!(error = %format!("{error:#}"), retry_in_ms = backoff.as_millis() as u64, "command not handled yet, retrying");
                if *shared.stopping.borrow() {
                    // Left unacknowledged: JetStream delivers it again after the restart.
                    return;
                }
                let _ = message.ack_with(AckKind::Progress).await;
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    };
    if let Some((command_id, command_type, outcome, first_time)) = answer {
        let label = if first_time {
            outcome::status(&outcome).to_owned()
        } else {
            "duplicate".to_owned()
        };
        // A label per type the client made up would let anyone grow the metrics without end.
        let command_type =
            domain::CommandType::parse(&command_type).map_or("unknown", |known| known.as_str());
        shared
            .metrics
            .handled
            .with_label_values(&[command_type, label.as_str()])
            .inc();
        if let Some(code) = outcome.pointer("/error/code").and_then(|c| c.as_str()) {
            shared.metrics.rejections.with_label_values(&[code]).inc();
        }
        shared
            .metrics
            .duration
            .with_label_values(&[command_type])
            .observe(started.elapsed().as_secs_f64());
        let body = serde_json::to_vec(&outcome).unwrap_or_default();
        if let Err(error) = shared
            .nats
            .publish(shared.subjects.result(command_id), body.into())
            .await
        {
            // The outcome is recorded; a client that missed it reads it over the API.
            tracing::warn!(%error, %command_id, "publishing an outcome failed");
        }
    }
    if let Err(error) = message.ack().await {
        tracing::warn!(%error, "acknowledging a command failed; it will come again and get its first outcome");
    }
    drop(turn);
}

type Answer = Option<(uuid::Uuid, String, serde_json::Value, bool)>;

/// The outcome to send, with whether it was decided now; `None` for unanswerable messages.
async fn answer(
    shared: &Shared,
    message: &jetstream::Message,
    intake: &Intake,
) -> anyhow::Result<Answer> {
    match intake {
        Intake::Unanswerable { code, error } => {
            // The subject is the sender's text too: kept printable, so that keeping it cannot fail.
            store::record_rejected_message(
                &shared.pool,
                &printable_within(&message.subject, 1024),
                &message.payload,
                code.as_str(),
                &printable_within(error, 4096),
            )
            .await?;
            shared
                .metrics
                .rejected_messages
                .with_label_values(&[code.as_str()])
                .inc();
            tracing::info!(subject = %message.subject, code = code.as_str(), %error, "kept an unanswerable command message");
            Ok(None)
        }
        Intake::Rejected {
            command_id,
            command_type,
            rejection,
        } => {
            // A resend of a command that was handled before gets its first outcome back.
            let executed =
                execute::rejected(&shared.pool, *command_id, command_type, rejection).await?;
            Ok(Some((
                *command_id,
                command_type.clone(),
                executed.outcome,
                executed.first_time,
            )))
        }
        Intake::Valid { envelope, command } => {
            let command_type = command.command_type().as_str().to_owned();
            // No look-up of an earlier outcome first: the append (or the rejection record)
            // finds it, in the same round trip.
            let executed = execute::execute(
                &shared.pool,
                &shared.cache,
                &shared.appender,
                envelope,
                command,
            )
            .await?;
            if !executed.appended.is_empty() {
                shared.notifier.wake();
                for category in &executed.appended {
                    shared
                        .metrics
                        .events_appended
                        .with_label_values(&[category])
                        .inc();
                }
            }
            Ok(Some((
                envelope.command_id,
                command_type,
                executed.outcome,
                executed.first_time,
            )))
        }
    }
}
