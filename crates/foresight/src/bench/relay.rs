//! The relay: catching up on a long log, and the lag it leaves under a steady append load.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use serde_json::json;
use uuid::Uuid;

use super::BenchOptions;
use super::table::Table;
use crate::config::Config;
use crate::roles;

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let mut connect = config.connect_options("bench");
    connect.max_connections = 12;
    let pool = store::connect(&connect).await?;
    let services = roles::connect(config, "bench-relay").await?;
    let metrics = telemetry::Metrics::new();

    // A long log first, written in bulk, with the relay not yet running.
    let written = fill(&pool, options.relay_events, 8).await?;

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let started = Instant::now();
    let relay = tokio::spawn(relay::run(
        relay::RelayContext {
            connect: config.connect_options("relay"),
            pool: services.pool.clone(),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.relay.clone(),
            config: relay::RelayConfig::default(),
        },
        async move {
            let mut stopped = stopped;
            let _ = stopped.wait_for(|s| *s).await;
        },
    ));
    relayed_all(&pool, Duration::from_secs(300)).await?;
    let catch_up = written as f64 / started.elapsed().as_secs_f64();

    // Then a steady load: 8 writers appending batches of 10; sample the lag every 10 ms.
    let load = tokio::spawn(steady_load(
        pool.clone(),
        Duration::from_secs(options.seconds),
    ));
    let mut lags = Vec::new();
    while !load.is_finished() {
        let checkpoint = store::load_checkpoint(&pool, "relay").await?;
        lags.push(store::lag_after(&pool, checkpoint).await?.0 as f64);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let steady_written = load.await.context("the load panicked")??;
    let ended = Instant::now();
    relayed_all(&pool, Duration::from_secs(60)).await?;
    let drained_ms = ended.elapsed().as_secs_f64() * 1000.0;
    let _ = stop.send(true);
    relay.await.context("the relay panicked")??;
    lags.sort_by(f64::total_cmp);

    let mut table = Table::new(&["measure", "value", "target"]);
    table.row(vec![
        "events in the log".into(),
        written.to_string(),
        String::new(),
    ]);
    table.row(vec![
        "catch-up events/s, log -> JetStream ack".into(),
        format!("{catch_up:.0}"),
        ">= 20000".into(),
    ]);
    table.row(vec![
        "steady load events/s".into(),
        format!("{:.0}", steady_written as f64 / options.seconds as f64),
        String::new(),
    ]);
    table.row(vec![
        "lag p50 / p99 / max (events)".into(),
        format!(
            "{} / {} / {}",
            super::quantile(&lags, 0.5),
            super::quantile(&lags, 0.99),
            lags.last().copied().unwrap_or(0.0)
        ),
        String::new(),
    ]);
    table.row(vec![
        "drained after the load ended (ms)".into(),
        format!("{drained_ms:.1}"),
        String::new(),
    ]);
    table.print("bench relay");
    pool.close().await;
    Ok(())
}

/// Waits until the relay's checkpoint has no event of the log after it. (Its last event in
/// commit order need not carry the highest position: writers commit out of position order.)
async fn relayed_all(pool: &sqlx::PgPool, limit: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        let checkpoint = store::load_checkpoint(pool, "relay").await?;
        if checkpoint.global_position > 0 && store::lag_after(pool, checkpoint).await?.0 == 0 {
            return Ok(());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the relay did not reach the head in {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn events(count: usize) -> Vec<store::NewEvent> {
    let task = Uuid::new_v4();
    (0..count)
        .map(|_| store::NewEvent {
            event_id: Uuid::new_v4(),
            event_type: "task.work_logged".into(),
            schema_version: 1,
            payload: json!({"task_id": task, "hours": 1.0}),
            metadata: json!({"actor": "bench", "project_id": Uuid::new_v4()}),
            occurred_at: Utc::now(),
        })
        .collect()
}

async fn append(pool: &sqlx::PgPool, count: usize) -> anyhow::Result<()> {
    let request = store::AppendRequest {
        command: None,
        streams: vec![store::StreamAppend {
            stream_id: format!("task-{}", Uuid::new_v4()),
            expected_version: 0,
            events: events(count),
        }],
    };
    store::append(pool, &request).await?;
    Ok(())
}

async fn fill(pool: &sqlx::PgPool, total: usize, writers: usize) -> anyhow::Result<usize> {
    let per_writer = total / writers;
    let mut tasks = Vec::new();
    for _ in 0..writers {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut done = 0;
            while done < per_writer {
                let n = (per_writer - done).min(1000);
                append(&pool, n).await?;
                done += n;
            }
            anyhow::Ok(done)
        }));
    }
    let mut written = 0;
    for task in tasks {
        written += task.await??;
    }
    Ok(written)
}

async fn steady_load(pool: sqlx::PgPool, duration: Duration) -> anyhow::Result<usize> {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut written = 0;
            while Instant::now() < deadline {
                append(&pool, 10).await?;
                written += 10;
            }
            anyhow::Ok(written)
        }));
    }
    let mut written = 0;
    for task in tasks {
        written += task.await??;
    }
    Ok(written)
}
