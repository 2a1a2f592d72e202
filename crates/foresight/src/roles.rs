//! Starting roles: `up` runs every one in this process, `run <role>` just one.

use anyhow::Context;
use async_nats::jetstream;
use bus::Subjects;
use futures::future::{select_all, try_join_all};
use telemetry::{Metrics, Readiness};
use tokio::net::TcpListener;

use crate::cli::Role;
use crate::config::Config;
use crate::shutdown::Shutdown;

/// Every role built so far, in one process.
pub async fn up(config: &Config, demo: bool) -> anyhow::Result<()> {
    start(config, Role::ALL, demo).await
}

pub async fn run_one(config: &Config, role: Role) -> anyhow::Result<()> {
    start(config, &[role], false).await
}

/// Connections and streams every role needs.
pub struct Services {
    pub pool: sqlx::PgPool,
    pub nats: async_nats::Client,
    pub subjects: Subjects,
    pub notifier: store::Notifier,
}

pub async fn connect(config: &Config, role: &str) -> anyhow::Result<Services> {
    let pool = store::connect(&config.connect_options(role)).await?;
    let nats = bus::connect(&config.nats_options(role)).await?;
    let subjects = Subjects::new(&config.namespace);
    bus::ensure_streams(&jetstream::new(nats.clone()), &subjects, &config.streams).await?;
    let notifier = store::Notifier::spawn(pool.clone(), &config.namespace);
    Ok(Services {
        pool,
        nats,
        subjects,
        notifier,
    })
}

/// The prediction worker reads the feature store through a pool of its own.
pub async fn predictor_context(
    config: &Config,
    services: &Services,
    metrics: &Metrics,
) -> anyhow::Result<predictor::worker::PredictorContext> {
    let mut options = config.connect_options("predictor");
    options.max_connections = 4;
    let features = features::store::connect(options).await?;
    Ok(predictor::worker::PredictorContext {
        pool: services.pool.clone(),
        features,
        nats: Some(services.nats.clone()),
        subjects: services.subjects.clone(),
        metrics: metrics.predictions.clone(),
        config: predictor::worker::PredictorConfig::default(),
    })
}

async fn start(config: &Config, roles: &[Role], demo: bool) -> anyhow::Result<()> {
    let shutdown = Shutdown::from_signals();
    let metrics = Metrics::new();
    let readiness = Readiness::default();
    let services = connect(config, "up").await?;

    let listener = TcpListener::bind(config.http_addr)
        .await
        .with_context(|| format!("binding {}", config.http_addr))?;
    tracing::info!(addr = %config.http_addr, namespace = %config.namespace, ?roles, "foresight is starting");
    // The API role serves the query API beside the ops endpoints; other roles only the latter.
    let router = if roles.contains(&Role::Api) {
        let pool = store::connect(&api::ApiState::connect_options(
            config.connect_options("api"),
        ))
        .await?;
        api::ensure_projection_schemas(&pool, &config.namespace).await?;

        let authenticator = config.api.authenticator(config.http_addr, true)?;
        api::router(
            api::ApiState::new(
                pool,
                config.namespace.clone(),
                metrics.clone(),
                readiness.clone(),
            )
            .with_security(authenticator, config.api.limits()),
        )
    } else {
        let authenticator = config.api.authenticator(config.http_addr, false)?;
        api::ops_router(metrics.clone(), readiness.clone(), authenticator)
    };
    let http = tokio::spawn(telemetry::serve(listener, router, shutdown.clone().wait()));

    let mut running = Vec::new();
    for role in roles {
        let stop = shutdown.clone().wait();
        let consumer_context = |name: &str| consumer::ConsumerContext {
            connect: config.connect_options(name),
            nats: services.nats.clone(),
            subjects: services.subjects.clone(),
            metrics: metrics.consumers.clone(),
            config: config.consumer_config(),
        };
        running.push(match role {
            Role::Commands => tokio::spawn(commands::run(
                commands::HandlerContext {
                    pool: services.pool.clone(),
                    nats: services.nats.clone(),
                    subjects: services.subjects.clone(),
                    metrics: metrics.commands.clone(),
                    notifier: services.notifier.clone(),
                    config: config.handler_config(),
                },
                stop,
            )),
            Role::Relay => tokio::spawn(relay::run(
                relay::RelayContext {
                    connect: config.connect_options("relay"),
                    pool: services.pool.clone(),
                    nats: services.nats.clone(),
                    subjects: services.subjects.clone(),
                    metrics: metrics.relay.clone(),
                    config: relay::RelayConfig::default(),
                },
                stop,
            )),
            Role::Boards => tokio::spawn(consumer::run(
                consumer_context("boards"),
                boards::Boards,
                stop,
            )),
            Role::Schedules => tokio::spawn(consumer::run(
                consumer_context("schedules"),
                schedules::Schedules,
                stop,
            )),
            Role::Analytics => tokio::spawn(consumer::run(
                consumer_context("analytics"),
                analytics::Analytics,
                stop,
            )),
            Role::Features => tokio::spawn(consumer::run(
                consumer_context("features"),
                features::FeatureWorker::new(
                    Some(services.nats.clone()),
                    services.subjects.clone(),
                ),
                stop,
            )),
            Role::Predictor => {
                let context = predictor_context(config, &services, &metrics).await?;
                tokio::spawn(predictor::worker::run(context, stop))
            }
            // The API role also watches every consumer's checkpoint, so a consumer that died
            // still shows as lagging.
            Role::Api => {
                let monitor = consumer::LagMonitor {
                    pool: services.pool.clone(),
                    expected: Role::CONSUMERS.iter().map(|r| r.name()).collect(),
                    consumers: metrics.consumers.clone(),
                    relay: metrics.relay.clone(),
                    database: metrics.database.clone(),
                    interval: config.lag_interval,
                };
                tokio::spawn(async move {
                    monitor.run(stop).await;
                    Ok(())
                })
            }
        });
    }
    readiness.set_ready();
    if demo {
        let (nats, subjects) = (services.nats.clone(), services.subjects.clone());
        let config = config.clone();
        tokio::spawn(async move {
            if let Err(error) = crate::demo::play(&config, &nats, &subjects).await {
                tracing::warn!(error = %format!("{error:#}"), "the demo workload failed");
            }
        });
    }
    // A role that fails takes the process down, so that its supervisor restarts all of it.
    let (first, _, rest) = select_all(running).await;
    first.context("a role panicked")??;
    for result in try_join_all(rest).await.context("a role panicked")? {
        result?;
    }
    http.await.context("the HTTP server panicked")??;
    tracing::info!("foresight stopped");
    Ok(())
}
