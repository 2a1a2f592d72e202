//! `foresight bench …`: measurements against the local services, each in a namespace of its
//! own that is removed afterwards, printed as tables.

mod api;
mod append;
mod assignment;
mod bulk_log;
mod commands;
mod fleet;
mod http_load;
mod ml;
mod prediction_lag;
mod projections;
mod relay;
mod soak;
mod soak_check;
mod table;

use std::time::{SystemTime, UNIX_EPOCH};

use async_nats::jetstream;
use bus::Subjects;
use clap::{Args, ValueEnum};
use domain::Namespace;

use crate::config::Config;

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bench {
    /// Appended events/s against a plain INSERT loop, 1 and 8 writers, batches of 1 and 100.
    Append,
    /// Commands/s through the whole path, latency at a fixed rate, and the relay.
    Commands,
    /// The relay alone: events/s from the log to JetStream acks.
    Relay,
    /// Publish-to-visible latency, rebuild rates over a long log, consumer catch-up.
    Projections,
    /// The query API under 32 connections against direct SQL.
    Api,
    /// The models on a simulated log: error against the floor and scikit-learn, calibration,
    /// retraining time, prediction latency.
    Ml,
    /// Assignment on replay alone: the simulated planner, balanced workload and the product's
    /// recommendation on `bench ml`'s workload (`--log-events`), lateness and load spread.
    Assign,
    /// Every role as a process, a steady mixed load, roles killed and restarted at random;
    /// then commands, events, duplicates and losses counted, peak lag and memory per role.
    Soak,
}

#[derive(Args, Debug, Clone)]
pub struct BenchOptions {
    /// Seconds per measured configuration.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// Commands sent at full speed.
    #[arg(long, default_value_t = 20_000)]
    pub commands: usize,
    /// The fixed rate for the latency measurement, in commands/s.
    #[arg(long, default_value_t = 500)]
    pub rate: u64,
    /// Events in the log the relay catches up on.
    #[arg(long, default_value_t = 200_000)]
    pub relay_events: usize,
    /// Events in the log the rebuild and catch-up measurements run over.
    #[arg(long, default_value_t = 1_000_000)]
    pub log_events: usize,
    /// `bench assign`'s workload seeds: one replay per seed, e.g. `--seeds 1,2,3`.
    #[arg(long, value_delimiter = ',', default_values_t = [assignment::STANDALONE_SEED])]
    pub seeds: Vec<u64>,
    /// How long the soak's load runs, in minutes.
    #[arg(long, default_value_t = 10)]
    pub minutes: u64,
    /// The soak's steady load, in commands/s.
    #[arg(long, default_value_t = 200)]
    pub soak_rate: u64,
    /// Keep the benchmark's namespace instead of removing it.
    #[arg(long)]
    pub keep: bool,
}

pub async fn run(config: &Config, what: Bench, options: BenchOptions) -> anyhow::Result<()> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let namespace = Namespace::new(&format!(
        "bench_{secs}_{:06x}",
        rand::random::<u32>() & 0xff_ffff
    ))
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let config = config.with_namespace(namespace);
    println!(
        "namespace {} (removed afterwards unless --keep)",
        config.namespace
    );
    let result = match what {
        Bench::Append => append::run(&config, &options).await,
        Bench::Commands => {
            async {
                commands::run(&config, &options).await?;
                relay::run(&config, &options).await
            }
            .await
        }
        Bench::Relay => relay::run(&config, &options).await,
        Bench::Projections => projections::run(&config, &options).await,
        Bench::Api => api::run(&config, &options).await,
        Bench::Ml => ml::run(&config, &options).await,
        Bench::Assign => assignment::run_seeds(&options.seeds, options.log_events),
        Bench::Soak => soak::run(&config, &options).await,
    };
    if !options.keep {
        remove_namespace(&config).await?;
    }
    result
}

async fn remove_namespace(config: &Config) -> anyhow::Result<()> {
    let pool = sqlx::PgPool::connect(&config.database_url).await?;
    store::drop_namespace(&pool, &config.namespace).await?;

    let nats = bus::connect(&config.nats_options("bench")).await?;
    bus::delete_streams(&jetstream::new(nats), &Subjects::new(&config.namespace)).await
}

/// The value at quantile `q` (0..=1) of `sorted`.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
