//! The demo workload of `foresight up --demo`: a simulated history of a few projects played
//! through the real command path, then a model trained on it by replaying the log and
//! promoted, which the running prediction worker picks up without a restart.

use crate::config::Config;

/// About this many events: a few projects with weeks of history, played in seconds.
const DEMO_EVENTS: usize = 3_000;

pub async fn play(
    config: &Config,
    nats: &async_nats::Client,
    subjects: &bus::Subjects,
) -> anyhow::Result<()> {
    let simulation = crate::simulate::generate(1, DEMO_EVENTS);
    let played = crate::simulate::play(nats, subjects, simulation).await?;
    tracing::info!(
        commands = played.simulation.commands.len(),
        accepted = played.accepted,
        rejected = played.rejected,
        seconds = played.seconds,
        "demo history played; training a model on it"
    );
    let pool = store::connect(&config.connect_options("train")).await?;
    let trained = crate::train::train(&pool).await?;
    pool.close().await;
    tracing::info!(
        version = trained.version,
        kind = %trained.report.chosen.describe(),
        runs = trained.dataset.rows,
        mae_hours = trained.candidate_mae,
        promoted = trained.promoted,
        "demo model trained; see `foresight models`, the API's /v1/projects and each task's forecast"
    );
    Ok(())
}
