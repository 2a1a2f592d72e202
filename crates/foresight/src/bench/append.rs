//! Appends against a plain INSERT loop into an equivalent bare table, same batching.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use super::BenchOptions;
use super::table::Table;
use crate::config::Config;

// The design's events table (its columns and its keys, which the contract's DDL declares),
// without the commit-order index, the guard, the trigger or the command outcome: the
// equivalent bare table, inserted into as plainly as possible.
const KEYED_TABLE: &str = "CREATE TABLE keyed_events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL, stream_version int NOT NULL, event_id uuid NOT NULL UNIQUE,
    event_type text NOT NULL, schema_version smallint NOT NULL, payload jsonb NOT NULL,
    metadata jsonb NOT NULL, occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version))";

// The same columns with no key or index at all: what the keys themselves cost, for reference.
const PLAIN_TABLE: &str = "CREATE TABLE plain_events (
    global_position bigint GENERATED ALWAYS AS IDENTITY,
    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id text NOT NULL, stream_version int NOT NULL, event_id uuid NOT NULL,
    event_type text NOT NULL, schema_version smallint NOT NULL, payload jsonb NOT NULL,
    metadata jsonb NOT NULL, occurred_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())";

const KEYED_INSERT: &str = "INSERT INTO keyed_events
    (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, occurred_at)
    SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int2[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])";

const PLAIN_INSERT: &str = "INSERT INTO plain_events
    (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, occurred_at)
    SELECT * FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int2[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])";

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let mut connect = config.connect_options("bench");
    connect.max_connections = 16;
    let pool = store::connect(&connect).await?;
    sqlx::query(PLAIN_TABLE).execute(&pool).await?;
    sqlx::query(KEYED_TABLE).execute(&pool).await?;
    let seconds = Duration::from_secs(options.seconds);

    let mut table = Table::new(&[
        "writers",
        "events/tx",
        "append events/s",
        "equivalent table INSERT events/s",
        "ratio",
        "keyless table INSERT events/s",
        "ratio",
    ]);
    for (writers, batch) in [(1usize, 1usize), (1, 100), (8, 1), (8, 100)] {
        let append = measure(&pool, writers, batch, seconds, Target::Log).await?;
        let keyed = measure(&pool, writers, batch, seconds, Target::Keyed).await?;
        let plain = measure(&pool, writers, batch, seconds, Target::Plain).await?;
        table.row(vec![
            writers.to_string(),
            batch.to_string(),
            format!("{append:.0}"),
            format!("{keyed:.0}"),
            format!("{:.2}", append / keyed),
            format!("{plain:.0}"),
            format!("{:.2}", append / plain),
        ]);
    }
    table.print(&format!(
        "bench append: {} s per cell; an append is one transaction (guard, events, command outcome); \
         equivalent table = the design's events table (same columns, primary key, unique event id, unique stream and version) \
         without the commit-order index, guard or outcome, filled by a plain INSERT: target ratio >= 0.60; \
         keyless table = the same columns with no key at all, for reference",
        options.seconds
    ));
    pool.close().await;
    Ok(())
}

#[derive(Clone, Copy, PartialEq)]
enum Target {
    Log,
    Keyed,
    Plain,
}

async fn measure(
    pool: &PgPool,
    writers: usize,
    batch: usize,
    duration: Duration,
    target: Target,
) -> anyhow::Result<f64> {
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..writers {
        let (pool, stop, written) = (pool.clone(), stop.clone(), written.clone());
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let events = sample_events(batch);
                match target {
                    Target::Log => append_log(&pool, events).await?,
                    Target::Keyed => insert_plain(&pool, KEYED_INSERT, &events).await?,
                    Target::Plain => insert_plain(&pool, PLAIN_INSERT, &events).await?,
                }
                written.fetch_add(batch as u64, Ordering::Relaxed);
            }
            anyhow::Ok(())
        }));
    }
    tokio::time::sleep(duration).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await??;
    }
    Ok(written.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64())
}

fn sample_events(count: usize) -> Vec<store::NewEvent> {
    let task = Uuid::new_v4();
    (0..count)
        .map(|_| store::NewEvent {
            event_id: Uuid::new_v4(),
            event_type: "task.work_logged".into(),
            schema_version: 1,
            payload: json!({"task_id": task, "hours": 1.5, "member_id": Uuid::new_v4()}),
            metadata: json!({"command_id": Uuid::new_v4(), "actor": "bench", "project_id": Uuid::new_v4()}),
            occurred_at: Utc::now(),
        })
        .collect()
}

async fn append_log(pool: &PgPool, events: Vec<store::NewEvent>) -> anyhow::Result<()> {
    let request = store::AppendRequest {
        command: Some(store::CommandRecord {
            command_id: Uuid::new_v4(),
            command_type: "task.log_work".into(),
        }),
        streams: vec![store::StreamAppend {
            stream_id: format!("task-{}", Uuid::new_v4()),
            expected_version: 0,
            events,
        }],
    };
    store::append(pool, &request).await?;
    Ok(())
}

async fn insert_plain(
    pool: &PgPool,
    sql: &'static str,
    events: &[store::NewEvent],
) -> anyhow::Result<()> {
    let stream = format!("task-{}", Uuid::new_v4());
    sqlx::query(sql)
        .bind(vec![stream.as_str(); events.len()])
        .bind((1..=events.len() as i32).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.event_id).collect::<Vec<_>>())
        .bind(
            events
                .iter()
                .map(|e| e.event_type.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(events.iter().map(|e| e.schema_version).collect::<Vec<_>>())
        .bind(events.iter().map(|e| &e.payload).collect::<Vec<_>>())
        .bind(events.iter().map(|e| &e.metadata).collect::<Vec<_>>())
        .bind(events.iter().map(|e| e.occurred_at).collect::<Vec<_>>())
        .execute(pool)
        .await?;
    Ok(())
}
