//! `foresight bench soak --minutes N`: a mixed load at a steady rate through every role, each
//! a process of its own, while roles are killed (SIGKILL or SIGTERM) and restarted at random.
//! At the end, once everything has drained, it counts what went in and what came out:
//! commands sent, accepted and rejected, events in the log and in each projection, and the
//! duplicates and losses, which must be zero; and the peak lag and memory of each role.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use rand::Rng;
use uuid::Uuid;

use super::BenchOptions;
use super::fleet::{Fleet, scrape};
use super::soak_check::{Verdict, verify};
use super::table::Table;
use crate::config::Config;
use crate::workload::{self, Outgoing};

/// Project units the steady load works on.
const PROJECTS: usize = 20;
/// How long the drain may take once the load stops.
const DRAIN_LIMIT: Duration = Duration::from_secs(300);
/// How long the log must stand still, every reader at its head, before the drain is over: the
/// prediction worker appends after the projections have caught up (it reacts to the features
/// they wrote), so one moment at the head is not the end.
const QUIET_FOR: Duration = Duration::from_secs(5);

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let services = crate::roles::connect(config, "bench").await?;
    let fleet = Arc::new(Mutex::new(Fleet::start(config)?));
    let js = jetstream::new(services.nats.clone());
    let sent = Arc::new(Mutex::new(Vec::<Uuid>::new()));

    let mut fixtures = Vec::new();
    for _ in 0..PROJECTS {
        let (commands, fixture) = workload::project_unit_with_ids();
        for command in commands {
            publish(&js, config, &sent, command).await?;
        }
        fixtures.push(fixture);
    }

    let duration = Duration::from_secs(options.minutes * 60);
    let rate = options.soak_rate.max(1);
    println!(
        "soak: {} minutes, {rate} commands/s, roles killed and restarted at random",
        options.minutes
    );
    let started = Instant::now();
    let peaks = Arc::new(Mutex::new(BTreeMap::<String, f64>::new()));
    let monitor = tokio::spawn(watch(fleet.clone(), peaks.clone()));
    let chaos = tokio::spawn(chaos(fleet.clone(), started + duration));

    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
    let mut seed = 0usize;
    let mut in_flight = Vec::new();
    while started.elapsed() < duration {
        tick.tick().await;
        seed += 1;
        // One in fifty refers to a task nobody created: rejected as not_found.
        let command = if seed.is_multiple_of(50) {
            workload::unknown_task_start()
        } else {
            workload::independent(&fixtures, seed)
        };
        let (js, config, sent) = (js.clone(), config.clone(), sent.clone());
        in_flight.push(tokio::spawn(async move {
            publish(&js, &config, &sent, command).await
        }));
        if in_flight.len() >= 1000 {
            for task in in_flight.drain(..) {
                task.await??;
            }
        }
    }
    for task in in_flight {
        task.await??;
    }
    let kills = chaos.await??;
    println!(
        "load ended after {:.0} s with {kills} kills; draining",
        started.elapsed().as_secs_f64()
    );
    fleet_call(&fleet, |f| f.ensure_running()).await?;
    let sent: Vec<Uuid> = sent.lock().map_err(poisoned)?.clone();
    let drained = drain(&services.pool, &sent).await?;
    monitor.abort();
    fleet_call(&fleet, |f| f.stop()).await?;

    let verdict = verify(config, &services.pool, &services.nats, &sent).await?;
    let peaks = peaks.lock().map_err(poisoned)?.clone();
    let fleet = fleet.lock().map_err(poisoned)?;
    report(&verdict, &peaks, &fleet, drained);
    anyhow::ensure!(
        verdict.losses() == 0 && verdict.duplicates() == 0,
        "the soak lost or duplicated something"
    );
    Ok(())
}

/// Publishes until JetStream acknowledges: a command that got its ack is never lost.
async fn publish(
    js: &jetstream::Context,
    config: &Config,
    sent: &Mutex<Vec<Uuid>>,
    command: Outgoing,
) -> anyhow::Result<()> {
    let subjects = bus::Subjects::new(&config.namespace);
    let body = serde_json::to_vec(&command.envelope)?;
    sent.lock().map_err(poisoned)?.push(command.command_id);
    for attempt in 0.. {
        let acked = async {
            js.publish(subjects.command(command.command_type), body.clone().into())
                .await?
                .await?;
            anyhow::Ok(())
        };
        match acked.await {
            Ok(()) => return Ok(()),
            Err(error) if attempt < 50 => {
                tracing::debug!(%error, "publishing a command failed; again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => return Err(error.context("publishing a command")),
        }
    }
    Ok(())
}

/// Kills a random role every 2 to 8 s (half of them with SIGKILL), restarts it 0.3 to 3 s
/// later; returns the number of kills.
async fn chaos(fleet: Arc<Mutex<Fleet>>, until: Instant) -> anyhow::Result<u32> {
    let mut kills = 0;
    while Instant::now() < until {
        let (pause, down, gently, index) = {
            let mut rng = rand::rng();
            let roles = fleet.lock().map_err(poisoned)?.members.len();
            (
                rng.random_range(2.0..8.0),
                rng.random_range(0.3..3.0),
                rng.random_bool(0.5),
                rng.random_range(0..roles),
            )
        };
        tokio::time::sleep(Duration::from_secs_f64(pause)).await;
        if Instant::now() >= until {
            break;
        }
        fleet_call(&fleet, move |f| f.kill(index, gently)).await?;
        kills += 1;
        tokio::time::sleep(Duration::from_secs_f64(down)).await;
        fleet_call(&fleet, move |f| f.restart(index)).await?;
    }
    Ok(kills)
}

/// Every second, each running role's memory and every lag series, keeping the peaks.
async fn watch(fleet: Arc<Mutex<Fleet>>, peaks: Arc<Mutex<BTreeMap<String, f64>>>) {
    loop {
        let targets: Vec<(usize, std::net::SocketAddr)> = match fleet.lock() {
            Ok(f) => (0..f.members.len())
                .filter(|i| f.is_running(*i))
                .map(|i| (i, f.members[i].addr))
                .collect(),
            Err(_) => return,
        };
        for (index, addr) in targets {
            let Ok(samples) = scrape(addr).await else {
                continue;
            };
            if let (Some(rss), Ok(mut f)) =
                (samples.get("process_resident_memory_bytes"), fleet.lock())
            {
                let member = &mut f.members[index];
                member.peak_rss_bytes = member.peak_rss_bytes.max(*rss);
            }
            if let Ok(mut peaks) = peaks.lock() {
                for (series, value) in samples {
                    if series.starts_with("foresight_consumer_lag_")
                        || series.starts_with("foresight_relay_lag_")
                    {
                        let peak = peaks.entry(series).or_insert(0.0);
                        *peak = peak.max(value);
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Waits until every sent command has its outcome and every reader of the log has stayed at
/// its head, the head unmoved, for [`QUIET_FOR`]; the seconds it took until the last move.
async fn drain(pool: &sqlx::PgPool, sent: &[Uuid]) -> anyhow::Result<f64> {
    let started = Instant::now();
    let mut quiet_since: Option<(i64, Instant)> = None;
    while started.elapsed() < DRAIN_LIMIT {
        let answered: i64 =
            sqlx::query_scalar("SELECT count(*) FROM command_results WHERE command_id = ANY($1)")
                .bind(sent)
                .fetch_one(pool)
                .await?;
        let mut behind = 0;
        for (_, checkpoint) in store::all_checkpoints(pool).await? {
            behind += store::lag_after(pool, checkpoint).await?.0;
        }
        let head = store::head_position(pool).await?;
        if answered as usize == sent.len() && behind == 0 {
            match quiet_since {
                Some((at, since)) if at == head => {
                    if since.elapsed() >= QUIET_FOR {
                        return Ok((since - started).as_secs_f64());
                    }
                }
                _ => quiet_since = Some((head, Instant::now())),
            }
        } else {
            quiet_since = None;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(started.elapsed().as_secs_f64())
}

async fn fleet_call<T: Send + 'static>(
    fleet: &Arc<Mutex<Fleet>>,
    call: impl FnOnce(&mut Fleet) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let fleet = fleet.clone();
    tokio::task::spawn_blocking(move || call(&mut *fleet.lock().map_err(poisoned)?)).await?
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> anyhow::Error {
    anyhow::anyhow!("a soak thread panicked")
}

fn report(verdict: &Verdict, peaks: &BTreeMap<String, f64>, fleet: &Fleet, drained: f64) {
    let mut counts = Table::new(&["what", "count"]);
    for (what, count) in verdict.rows() {
        counts.row(vec![what, count.to_string()]);
    }
    counts.row(vec![
        "seconds to drain after the load".into(),
        format!("{drained:.1}"),
    ]);
    counts.print("what went in and what came out (duplicates and losses must be 0)");

    let mut roles = Table::new(&["role", "kills", "peak memory MiB"]);
    for member in &fleet.members {
        roles.row(vec![
            member.role.name(),
            member.kills.to_string(),
            format!("{:.1}", member.peak_rss_bytes / (1024.0 * 1024.0)),
        ]);
    }
    roles.print("roles");

    let mut lags = Table::new(&["series", "peak"]);
    for (series, peak) in peaks {
        lags.row(vec![series.clone(), format!("{peak:.1}")]);
    }
    lags.print("peak lag (events, seconds) as the roles and the API reported it");
}
