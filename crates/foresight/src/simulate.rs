//! `foresight simulate`: a seeded, realistic history played through the command path, with the
//! truth (each task's true expected duration) written out so that a model's error can be
//! compared with the best error possible.
//!
//! Two ways in: through NATS and the command handler (the default: the real path, every
//! outcome awaited), or `--direct`, which decides each command with the domain and appends the
//! events in large batches straight to the log, for benchmark logs of millions of events.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use async_nats::jetstream;
use chrono::Utc;
use domain::{Command, CommandEnvelope, References, State, StreamId};
use futures::StreamExt;
use serde::Deserialize;
use sqlx::PgPool;

use crate::config::Config;

#[derive(clap::Args, Debug, Clone)]
pub struct SimulateArgs {
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// About how many events to make (each command appends about one).
    #[arg(long, default_value_t = 5_000)]
    pub events: usize,
    /// Write each started task's true expected and actual duration here, as CSV.
    #[arg(long)]
    pub truth_file: Option<std::path::PathBuf>,
    /// Decide and append straight to the log, without the broker (benchmark logs).
    #[arg(long)]
    pub direct: bool,
}

/// What a played simulation did.
pub struct Played {
    pub simulation: simulate::Simulation,
    pub accepted: usize,
    pub rejected: usize,
    pub seconds: f64,
}

pub fn generate(seed: u64, events: usize) -> simulate::Simulation {
    let present = Utc::now();
    simulate::simulate(&simulate::SimConfig::new(seed, events, present))
}

pub async fn run(config: &Config, args: &SimulateArgs) -> anyhow::Result<()> {
    let simulation = generate(args.seed, args.events);
    if let Some(path) = &args.truth_file {
        std::fs::write(path, simulation.truth_csv())
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let played = if args.direct {
        let pool = store::connect(&config.connect_options("simulate")).await?;
        let played = play_direct(&pool, simulation).await?;
        pool.close().await;
        played
    } else {
        let services = crate::roles::connect(config, "simulate").await?;
        play(&services.nats, &services.subjects, simulation).await?
    };
    println!(
        "simulated {} commands ({} accepted, {} rejected) in {:.1} s: {:.0} commands/s; {} tasks started",
        played.simulation.commands.len(),
        played.accepted,
        played.rejected,
        played.seconds,
        played.simulation.commands.len() as f64 / played.seconds.max(1e-9),
        played.simulation.truth.len()
    );
    Ok(())
}

/// Publishes every command in order and waits for every outcome.
pub async fn play(
    nats: &async_nats::Client,
    subjects: &bus::Subjects,
    simulation: simulate::Simulation,
) -> anyhow::Result<Played> {
    let started = Instant::now();
    let mut outcomes = nats.subscribe(subjects.results_filter()).await?;
    let js = jetstream::new(nats.clone());
    // Acks awaited in windows: the context refuses to run too far ahead of them.
    let mut pending = Vec::new();
    for command in &simulation.commands {
        let ack = js
            .publish(
                subjects.command(command.command_type),
                serde_json::to_vec(&command.envelope)?.into(),
            )
            .await?;
        pending.push(ack);
        if pending.len() >= 2_000 {
            for ack in pending.drain(..) {
                ack.await
                    .context("the commands stream did not acknowledge a command")?;
            }
        }
    }
    for ack in pending {
        ack.await
            .context("the commands stream did not acknowledge a command")?;
    }
    let (mut accepted, mut rejected) = (0, 0);
    while accepted + rejected < simulation.commands.len() {
        let message = tokio::time::timeout(Duration::from_secs(60), outcomes.next())
            .await
            .context("the outcomes stopped coming")?
            .context("the outcome subscription ended")?;
        let outcome: serde_json::Value = serde_json::from_slice(&message.payload)?;
        if outcome["status"] == "accepted" {
            accepted += 1;
        } else {
            rejected += 1;
            tracing::debug!(%outcome, "a simulated command was rejected");
        }
    }
    Ok(Played {
        simulation,
        accepted,
        rejected,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Events appended per statement on the direct path.
const DIRECT_BATCH: usize = 2_000;

/// Decides every command with the domain against states kept in memory and appends the
/// events in batches, each with its command's outcome, as the handler would.
pub async fn play_direct(
    pool: &PgPool,
    simulation: simulate::Simulation,
) -> anyhow::Result<Played> {
    let started = Instant::now();
    let mut states: HashMap<StreamId, (State, i32)> = HashMap::new();
    let mut batch: Vec<store::AppendRequest> = Vec::new();
    let mut in_batch = 0;
    let (mut accepted, mut rejected) = (0, 0);
    for sim in &simulation.commands {
        let Ok(envelope) = CommandEnvelope::deserialize(&sim.envelope) else {
            rejected += 1;
            continue;
        };
        let command = match Command::parse(sim.command_type, &envelope.payload) {
            Ok(command) => command,
            Err(_) => {
                rejected += 1;
                continue;
            }
        };
        let target = command.target();
        let (current, version) = match states.get(&target) {
            Some((state, version)) => (Some(state.clone()), *version),
            None => (None, 0),
        };
        let mut refs = References::new();
        for stream in command.references(current.as_ref()) {
            if let Some((state, _)) = states.get(&stream) {
                refs.insert(stream, state.clone());
            }
        }
        let events = match domain::decide(&command, current.as_ref(), &refs) {
            Ok(events) if !events.is_empty() => events,
            _ => {
                rejected += 1;
                continue;
            }
        };
        accepted += 1;
        in_batch += events.len();
        batch.push(commands::append_request(
            &envelope,
            sim.command_type,
            &target,
            version,
            current.as_ref(),
            &events,
        ));
        let new_version = version + events.len() as i32;
        let mut state = current;
        for event in &events {
            state = domain::evolve(state, event);
        }
        if let Some(state) = state {
            states.insert(target, (state, new_version));
        }
        if in_batch >= DIRECT_BATCH {
            flush(pool, &mut batch).await?;
            in_batch = 0;
        }
    }
    flush(pool, &mut batch).await?;
    Ok(Played {
        simulation,
        accepted,
        rejected,
        seconds: started.elapsed().as_secs_f64(),
    })
}

async fn flush(pool: &PgPool, batch: &mut Vec<store::AppendRequest>) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let requests: Vec<&store::AppendRequest> = batch.iter().collect();
    store::append_many(pool, &requests)
        .await
        .map_err(|e| anyhow::anyhow!("appending simulated events: {e}"))?;
    batch.clear();
    Ok(())
}
