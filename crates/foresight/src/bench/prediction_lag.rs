//! The prediction worker under load: a simulation played through the whole command path at full
//! speed while the handler, the relay, the feature worker and the prediction worker run in this
//! process; measured: how far the feature worker and the predictions fall behind during the
//! load, and how long after the last outcome both have caught up.

use std::time::{Duration, Instant};

use tokio::sync::watch;

use super::table::Table;
use crate::config::Config;

const SEED: u64 = 11;

pub async fn run(config: &Config, events: usize) -> anyhow::Result<Table> {
    let services = crate::roles::connect(config, "bench-lag").await?;
    let metrics = telemetry::Metrics::new();
    let (stop, stopped) = watch::channel(false);
    let signal = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    let consumer_context = consumer::ConsumerContext {
        connect: config.connect_options("features"),
        nats: services.nats.clone(),
        subjects: services.subjects.clone(),
        metrics: metrics.consumers.clone(),
        config: consumer::ConsumerConfig::default(),
    };
    let mut roles = vec![
        tokio::spawn(commands::run(
            commands::HandlerContext {
                pool: services.pool.clone(),
                nats: services.nats.clone(),
                subjects: services.subjects.clone(),
                metrics: metrics.commands.clone(),
                notifier: services.notifier.clone(),
                config: commands::HandlerConfig::default(),
            },
            signal(),
        )),
        tokio::spawn(relay::run(
            relay::RelayContext {
                connect: config.connect_options("relay"),
                pool: services.pool.clone(),
                nats: services.nats.clone(),
                subjects: services.subjects.clone(),
                metrics: metrics.relay.clone(),
                config: relay::RelayConfig::default(),
            },
            signal(),
        )),
        tokio::spawn(consumer::run(
            consumer_context,
            features::FeatureWorker::new(Some(services.nats.clone()), services.subjects.clone()),
            signal(),
        )),
    ];
    let context = crate::roles::predictor_context(config, &services, &metrics).await?;
    let feature_store = context.features.clone();
    roles.push(tokio::spawn(predictor::worker::run(context, signal())));

    // The load, with the lag sampled while it runs.
    let simulation = crate::simulate::generate(SEED, events);
    let (end_sampling, sampling_ended) = watch::channel(false);
    let sampling = {
        let pool = services.pool.clone();
        let predictions = metrics.predictions.clone();
        tokio::spawn(async move {
            let (mut features_max, mut predictor_max) = (0i64, 0i64);
            loop {
                let checkpoint = store::load_checkpoint(&pool, "features").await?;
                let (behind, _) = store::lag_after(&pool, checkpoint).await?;
                features_max = features_max.max(behind);
                predictor_max = predictor_max
                    .max(predictions.feature_head.get() - predictions.feature_seq.get());
                tokio::time::sleep(Duration::from_millis(100)).await;
                if *sampling_ended.borrow() {
                    return anyhow::Ok((features_max, predictor_max));
                }
            }
        })
    };
    let played = crate::simulate::play(&services.nats, &services.subjects, simulation).await?;
    let load_ended = Instant::now();
    let _ = end_sampling.send(true);

    // Caught up: the feature worker at the log's head, the predictions at the store's head.
    let deadline = Instant::now() + Duration::from_secs(300);
    let drained = loop {
        let checkpoint = store::load_checkpoint(&services.pool, "features").await?;
        let (behind, _) = store::lag_after(&services.pool, checkpoint).await?;
        let predictions = &metrics.predictions;
        let head = features::store::head_seq(&feature_store).await?;
        if behind == 0 && predictions.feature_seq.get() >= head {
            break Some(load_ended.elapsed().as_secs_f64());
        }
        if Instant::now() > deadline {
            break None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let (features_max, predictor_max) = sampling.await??;
    let _ = stop.send(true);
    for role in roles {
        role.await??;
    }
    services.pool.close().await;

    let commands = played.simulation.commands.len();
    let mut table = Table::new(&["measure", "value", "target"]);
    table.row(vec![
        "commands played through the whole path".into(),
        format!(
            "{commands} ({} accepted) at {:.0} /s",
            played.accepted,
            commands as f64 / played.seconds.max(1e-9)
        ),
        String::new(),
    ]);
    table.row(vec![
        "feature worker lag during the load, max events".into(),
        features_max.to_string(),
        String::new(),
    ]);
    table.row(vec![
        "prediction worker lag during the load, max feature rows".into(),
        predictor_max.max(0).to_string(),
        String::new(),
    ]);
    table.row(vec![
        "caught up after the last outcome, s".into(),
        drained.map_or_else(|| "not within 300 s".into(), |s| format!("{s:.2}")),
        "within seconds".into(),
    ]);
    table.row(vec![
        "predictions made (forecast / risk / assignment / project)".into(),
        ["forecast", "risk", "assignment", "project"]
            .iter()
            .map(|k| {
                metrics
                    .predictions
                    .made
                    .with_label_values(&[k])
                    .get()
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(" / "),
        String::new(),
    ]);
    Ok(table)
}
