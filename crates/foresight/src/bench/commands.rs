//! Commands through the whole path: publish, handle, append, outcome received.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use async_nats::jetstream;
use futures::StreamExt;
use tokio::sync::mpsc;
use uuid::Uuid;

use super::table::Table;
use super::{BenchOptions, quantile};
use crate::config::Config;
use crate::roles;
use crate::workload::{Outgoing, independent, project_unit_with_ids};

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let services = roles::connect(config, "bench").await?;
    let metrics = telemetry::Metrics::new();
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let handler = tokio::spawn(commands::run(
        commands::HandlerContext {
            pool: services.pool.clone(),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.commands.clone(),
            notifier: services.notifier.clone(),
            config: commands::HandlerConfig::default(),
        },
        async move {
            let mut stopped = stopped;
            let _ = stopped.wait_for(|s| *s).await;
        },
    ));

    // Every outcome, with the instant it arrived.
    let mut results = services
        .nats
        .subscribe(services.subjects.results_filter())
        .await?;
    let (arrived_tx, mut arrived) = mpsc::unbounded_channel::<(Uuid, bool, Instant)>();
    let collector = tokio::spawn(async move {
        while let Some(message) = results.next().await {
            let at = Instant::now();
            let Ok(outcome) = serde_json::from_slice::<serde_json::Value>(&message.payload) else {
                continue;
            };
            let Some(id) = outcome["command_id"]
                .as_str()
                .and_then(|s| Uuid::parse_str(s).ok())
            else {
                continue;
            };
            if arrived_tx
                .send((id, outcome["status"] == "accepted", at))
                .is_err()
            {
                break;
            }
        }
    });
    let js = jetstream::new(services.nats.clone());

    // Full speed: publish everything with acks pipelined, then wait for every outcome.
    let mut fixtures = Vec::new();
    let mut batch: Vec<Outgoing> = Vec::with_capacity(options.commands + 16);
    while batch.len() < options.commands {
        let (unit, fixture) = project_unit_with_ids();
        batch.extend(unit);
        fixtures.push(fixture);
    }
    let started = Instant::now();
    let mut acks = Vec::with_capacity(1000);
    for command in &batch {
        acks.push(
            js.publish(
                services.subjects.command(command.command_type),
                serde_json::to_vec(&command.envelope)?.into(),
            )
            .await?,
        );
        if acks.len() == 1000 {
            for ack in acks.drain(..) {
                ack.await?;
            }
        }
    }
    for ack in acks.drain(..) {
        ack.await?;
    }
    let (accepted, rejected) = await_outcomes(
        &mut arrived,
        batch.len(),
        Duration::from_secs(120),
        |_, _| {},
    )
    .await?;
    let full_speed = batch.len() as f64 / started.elapsed().as_secs_f64();

    // Independent commands at full speed: nothing waits for another command's turn.
    let independent_batch: Vec<Outgoing> = (0..options.commands)
        .map(|i| independent(&fixtures, i + 1_000_000))
        .collect();
    let started = Instant::now();
    for chunk in independent_batch.chunks(1000) {
        let mut acks = Vec::with_capacity(chunk.len());
        for command in chunk {
            acks.push(
                js.publish(
                    services.subjects.command(command.command_type),
                    serde_json::to_vec(&command.envelope)?.into(),
                )
                .await?,
            );
        }
        for ack in acks {
            ack.await?;
        }
    }
    await_outcomes(
        &mut arrived,
        independent_batch.len(),
        Duration::from_secs(120),
        |_, _| {},
    )
    .await?;
    let independent_speed = independent_batch.len() as f64 / started.elapsed().as_secs_f64();
    // The bursts above leave the database and the broker work to finish (WAL, deletions);
    // the fixed rate is measured in steady state.
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Fixed rate: one command every 1/rate s, latency from publish to outcome.
    let total = (options.rate * options.seconds.max(5) * 2) as usize;
    let paced: Vec<Outgoing> = (0..total).map(|i| independent(&fixtures, i)).collect();
    let mut sent_at: HashMap<Uuid, Instant> = HashMap::with_capacity(total);
    let mut ticker = tokio::time::interval(Duration::from_secs_f64(1.0 / options.rate as f64));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut pending_acks = Vec::new();
    for command in &paced {
        ticker.tick().await;
        sent_at.insert(command.command_id, Instant::now());
        let ack = js
            .publish(
                services.subjects.command(command.command_type),
                serde_json::to_vec(&command.envelope)?.into(),
            )
            .await?;
        // Awaited aside: the client allows only so many unawaited acks before it blocks.
        pending_acks.push(tokio::spawn(ack.into_future()));
    }
    for ack in pending_acks {
        ack.await??;
    }
    let mut latencies = Vec::with_capacity(total);
    let (paced_accepted, paced_rejected) = await_outcomes(
        &mut arrived,
        paced.len(),
        Duration::from_secs(60),
        |id, at| {
            if let Some(sent) = sent_at.get(&id) {
                latencies.push(at.duration_since(*sent).as_secs_f64() * 1000.0);
            }
        },
    )
    .await?;
    latencies.sort_by(f64::total_cmp);

    let _ = stop.send(true);
    handler.await.context("the handler panicked")??;
    collector.abort();

    let mut table = Table::new(&["measure", "value", "target"]);
    table.row(vec![
        "commands sent at full speed".into(),
        batch.len().to_string(),
        String::new(),
    ]);
    table.row(vec![
        "accepted / rejected".into(),
        format!("{accepted} / {rejected}"),
        "all accepted".into(),
    ]);
    table.row(vec![
        "independent commands/s at full speed".into(),
        format!("{independent_speed:.0}"),
        ">= 3000".into(),
    ]);
    table.row(vec![
        "dependent commands/s, publish to outcome".into(),
        format!("{full_speed:.0}"),
        ">= 3000".into(),
    ]);
    table.row(vec![
        format!("commands at {} /s", options.rate),
        paced.len().to_string(),
        String::new(),
    ]);
    table.row(vec![
        "accepted / rejected".into(),
        format!("{paced_accepted} / {paced_rejected}"),
        "all accepted".into(),
    ]);
    table.row(vec![
        "latency p50 ms".into(),
        format!("{:.2}", quantile(&latencies, 0.50)),
        String::new(),
    ]);
    table.row(vec![
        "latency p99 ms".into(),
        format!("{:.2}", quantile(&latencies, 0.99)),
        "< 25".into(),
    ]);
    table.row(vec![
        "latency max ms".into(),
        format!("{:.2}", latencies.last().copied().unwrap_or(f64::NAN)),
        String::new(),
    ]);
    // Inside the handler: from receipt to outcome, over both phases.
    let (sum, count) = [
        "task.log_work",
        "task.change_estimate",
        "task.create",
        "member.register",
    ]
    .iter()
    .map(|t| metrics.commands.duration.with_label_values(&[t]))
    .fold((0.0, 0u64), |(s, c), h| {
        (s + h.get_sample_sum(), c + h.get_sample_count())
    });
    table.row(vec![
        "in the handler, mean ms (receipt to outcome)".into(),
        format!("{:.2}", 1000.0 * sum / count.max(1) as f64),
        String::new(),
    ]);
    table.print(
        "bench commands: publish -> handle -> append -> outcome; full speed: projects of 16 commands that build on each other, \
         published without waiting; fixed rate: work logged, estimates changed, tasks and members added, on the projects made before",
    );
    services.pool.close().await;
    Ok(())
}

/// Waits for `count` outcomes; returns (accepted, rejected).
async fn await_outcomes(
    arrived: &mut mpsc::UnboundedReceiver<(Uuid, bool, Instant)>,
    count: usize,
    limit: Duration,
    mut each: impl FnMut(Uuid, Instant),
) -> anyhow::Result<(usize, usize)> {
    let deadline = Instant::now() + limit;
    let (mut accepted, mut rejected) = (0, 0);
    while accepted + rejected < count {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let (id, ok, at) = tokio::time::timeout(remaining, arrived.recv())
            .await
            .with_context(|| format!("only {} of {count} outcomes arrived", accepted + rejected))?
            .context("the outcome subscription ended")?;
        if ok {
            accepted += 1
        } else {
            rejected += 1
        }
        each(id, at);
    }
    Ok((accepted, rejected))
}
