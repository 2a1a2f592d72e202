//! Projections: publish-to-visible latency through the API, rebuild rates over a long log,
//! and a consumer catching up from far behind.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use async_nats::jetstream;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures::StreamExt;
use serde_json::json;
use tower::ServiceExt;
use uuid::Uuid;

use super::table::Table;
use super::{BenchOptions, bulk_log, quantile};
use crate::config::Config;
use crate::roles;

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    visible_latency(config, options).await?;
    rebuild_and_catch_up(config, options).await
}

fn stop_signal() -> (
    tokio::sync::watch::Sender<bool>,
    impl Future<Output = ()> + Send + 'static,
) {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    (stop, async move {
        let _ = stopped.wait_for(|s| *s).await;
    })
}

/// From publishing a command to its change being visible through the API, at a fixed rate.
async fn visible_latency(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let services = roles::connect(config, "bench").await?;
    let metrics = telemetry::Metrics::new();
    let (stop, _) = stop_signal();
    let mut running = Vec::new();
    let signal = |stop: &tokio::sync::watch::Sender<bool>| {
        let mut stopped = stop.subscribe();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    running.push(tokio::spawn(commands::run(
        commands::HandlerContext {
            pool: services.pool.clone(),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.commands.clone(),
            notifier: services.notifier.clone(),
            config: commands::HandlerConfig::default(),
        },
        signal(&stop),
    )));
    running.push(tokio::spawn(relay::run(
        relay::RelayContext {
            connect: config.connect_options("relay"),
            pool: services.pool.clone(),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.relay.clone(),
            config: relay::RelayConfig::default(),
        },
        signal(&stop),
    )));
    running.push(tokio::spawn(consumer::run(
        consumer::ConsumerContext {
            connect: config.connect_options("boards"),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.consumers.clone(),
            config: consumer::ConsumerConfig::default(),
        },
        boards::Boards,
        signal(&stop),
    )));
    let pool = store::connect(&api::ApiState::connect_options(
        config.connect_options("api"),
    ))
    .await?;
    api::ensure_projection_schemas(&pool, &config.namespace).await?;

    let router = api::router(api::ApiState::new(
        pool,
        config.namespace.clone(),
        metrics.clone(),
        telemetry::Readiness::default(),
    ));

    let project = Uuid::new_v4();
    let js = jetstream::new(services.nats.clone());
    let client = Arc::new((services.nats.clone(), js, services.subjects.clone(), router));
    let create = json!({"project_id": project, "name": "Latency", "start_date": "2026-01-05"});
    send_and_read(&client, "project.create", create, Read::Board(project)).await?;

    let rate = 200.0;
    let total = (rate as u64 * options.seconds.max(5)) as usize;
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / rate));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut probes = Vec::with_capacity(total);
    for i in 0..total {
        ticker.tick().await;
        let client = client.clone();
        let task = Uuid::new_v4();
        let payload = json!({"task_id": task, "project_id": project, "title": format!("T{i}"), "estimate_hours": 3,
                             "priority": 2, "labels": [], "skills": [], "depends_on": []});
        probes.push(tokio::spawn(async move {
            send_and_read(&client, "task.create", payload, Read::Task(task)).await
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for probe in probes {
        latencies.push(probe.await??);
    }
    latencies.sort_by(f64::total_cmp);
    let _ = stop.send(true);
    for role in running {
        role.await.context("a role panicked")??;
    }
    let mut table = Table::new(&["measure", "value", "target"]);
    table.row(vec![
        "commands at 200/s".into(),
        total.to_string(),
        String::new(),
    ]);
    table.row(vec![
        "publish -> visible p50 ms".into(),
        format!("{:.2}", quantile(&latencies, 0.5)),
        String::new(),
    ]);
    table.row(vec![
        "publish -> visible p99 ms".into(),
        format!("{:.2}", quantile(&latencies, 0.99)),
        "< 50".into(),
    ]);
    table.print("bench projections: a task.create published, then GET /v1/tasks/{id}?min_position=…&wait_ms=5000 (boards projection)");
    services.pool.close().await;
    Ok(())
}

type Client = (
    async_nats::Client,
    jetstream::Context,
    bus::Subjects,
    axum::Router,
);

/// What to read back through the API after a command.
enum Read {
    Board(Uuid),
    Task(Uuid),
}

/// Publishes, waits for the outcome, reads at the outcome's position; ms taken.
async fn send_and_read(
    client: &Client,
    command_type: &str,
    payload: serde_json::Value,
    read: Read,
) -> anyhow::Result<f64> {
    let (nats, js, subjects, router) = client;
    let command_id = Uuid::new_v4();
    let envelope = json!({"command_id": command_id, "type": command_type, "actor": "bench", "payload": payload});
    let started = Instant::now();
    let mut outcome = nats.subscribe(subjects.result(command_id)).await?;
    js.publish(
        subjects.command(command_type),
        serde_json::to_vec(&envelope)?.into(),
    )
    .await?
    .await?;
    let message = tokio::time::timeout(Duration::from_secs(30), outcome.next())
        .await?
        .context("no outcome")?;
    let outcome: serde_json::Value = serde_json::from_slice(&message.payload)?;
    let position = outcome["positions"][0]
        .as_i64()
        .with_context(|| format!("rejected: {outcome}"))?;
    let uri = match read {
        Read::Board(project) => {
            format!("/v1/projects/{project}/board?min_position={position}&wait_ms=5000")
        }
        Read::Task(task) => format!("/v1/tasks/{task}?min_position={position}&wait_ms=5000"),
    };
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty())?)
        .await?;
    anyhow::ensure!(
        response.status() == StatusCode::OK,
        "the board answered {}",
        response.status()
    );
    Ok(started.elapsed().as_secs_f64() * 1000.0)
}

/// Rebuild rates over a long log, then a consumer that starts that far behind.
async fn rebuild_and_catch_up(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let mut connect = config.connect_options("bench");
    connect.max_connections = 8;
    let pool = store::connect(&connect).await?;
    let (written, write_rate) = bulk_log::write(&pool, options.log_events, 4).await?;
    let connect = config.connect_options("replay");
    let mut table = Table::new(&["projection", "events", "seconds", "events/s", "target"]);
    let mut total = (0u64, 0.0f64);
    let reports = [
        (
            "boards",
            consumer::replay(&connect, &boards::Boards, 20_000).await?,
            ">= 50000",
        ),
        (
            "schedules",
            consumer::replay(&connect, &schedules::Schedules, 20_000).await?,
            "",
        ),
        (
            "analytics",
            consumer::replay(&connect, &analytics::Analytics, 20_000).await?,
            "",
        ),
    ];
    for (name, report, target) in reports {
        total.0 += report.events;
        total.1 += report.seconds;
        table.row(vec![
            name.into(),
            report.events.to_string(),
            format!("{:.2}", report.seconds),
            format!("{:.0}", report.events as f64 / report.seconds),
            target.into(),
        ]);
    }
    table.row(vec![
        "all".into(),
        total.0.to_string(),
        format!("{:.2}", total.1),
        format!("{:.0}", total.0 as f64 / total.1),
        String::new(),
    ]);
    table.print(&format!("bench projections: rebuild by replay over a log of {written} events (written in bulk at {write_rate:.0} events/s)"));

    // A consumer with no checkpoint, the whole log behind it, and nothing on the broker.
    sqlx::query("DELETE FROM checkpoints WHERE consumer = 'boards'")
        .execute(&pool)
        .await?;
    let services = roles::connect(config, "bench-catch-up").await?;
    let metrics = telemetry::Metrics::new();
    let (stop, signal) = stop_signal();
    let started = Instant::now();
    let follower = tokio::spawn(consumer::run(
        consumer::ConsumerContext {
            connect: config.connect_options("boards"),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.consumers.clone(),
            config: consumer::ConsumerConfig::default(),
        },
        boards::Boards,
        signal,
    ));
    let head = store::head_position(&pool).await?;
    let deadline = Instant::now() + Duration::from_secs(600);
    loop {
        let checkpoint = store::load_checkpoint(&pool, "boards").await?;
        if checkpoint.global_position > 0 && store::lag_after(&pool, checkpoint).await?.0 == 0 {
            break;
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "the consumer did not catch up in time"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    let _ = stop.send(true);
    follower.await.context("the consumer panicked")??;
    let mut table = Table::new(&["measure", "value"]);
    table.row(vec!["events behind at start".into(), head.to_string()]);
    table.row(vec![
        "seconds to reach the head".into(),
        format!("{seconds:.2}"),
    ]);
    table.row(vec![
        "catch-up events/s".into(),
        format!("{:.0}", written as f64 / seconds),
    ]);
    table.print("bench projections: the live boards consumer from no checkpoint, the whole log behind it and nothing on the broker");
    pool.close().await;
    Ok(())
}
