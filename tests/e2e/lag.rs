//! Consumer lag as operators see it: with the roles running, one consumer stops; under load
//! its lag rises on the API role's `/metrics` (measured from the checkpoints table, since the
//! stopped consumer's own `/metrics` is gone) and a real Prometheus, scraping both processes
//! with `monitoring/`'s rules at 60 times their speed, fires the lag alerts; restarted, the
//! consumer drains to zero, the alerts resolve, and nothing was lost.

use std::time::{Duration, Instant};

use futures::future::join_all;
use serde_json::json;
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;
use crate::prometheus::Prometheus;

/// Serves `router` on a port of its own until the test ends; its host:port.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    tokio::spawn(telemetry::serve(listener, router, std::future::pending()));
    addr
}

/// Waits until Prometheus reports `alert` firing (or resolved, when `firing` is false);
/// the seconds since `since`.
async fn wait_alert(prometheus: &Prometheus, alert: &str, firing: bool, since: Instant) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let now = prometheus.firing().await;
        if now.iter().any(|a| a == alert) == firing {
            return since.elapsed().as_secs_f64();
        }
        assert!(
            Instant::now() < deadline,
            "{alert} never {}; firing: {now:?}",
            if firing { "fired" } else { "resolved" }
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The value of the series `name{consumer="<consumer>"}` in a text exposition.
fn consumer_series(text: &str, name: &str, consumer: &str) -> Option<f64> {
    let prefix = format!("{name}{{consumer=\"{consumer}\"}} ");
    text.lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|value| value.trim().parse().ok())
}

async fn scrape(router: &axum::Router) -> String {
    let (status, text) = get_text(router, "/metrics").await;
    assert!(status.is_success());
    text
}

/// Scrapes until `name` of `consumer` satisfies `check`; the last value and when it was seen.
async fn wait_series(
    router: &axum::Router,
    name: &str,
    consumer: &str,
    check: impl Fn(f64) -> bool,
) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let value = consumer_series(&scrape(router).await, name, consumer);
        if let Some(value) = value.filter(|v| check(*v)) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "{name}{{consumer=\"{consumer}\"}} is {value:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn register_members(env: &TestEnv, count: usize) {
    for chunk in (0..count).collect::<Vec<_>>().chunks(50) {
        join_all(chunk.iter().map(|i| {
            accepted(
                env,
                "member.register",
                json!({"member_id": Uuid::new_v4(), "name": format!("m{i}"), "skills": [], "capacity_hours_per_week": 20}),
            )
        }))
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_consumer_lags_on_the_api_metrics_then_drains_to_zero_losing_nothing() {
    let env = TestEnv::new().await;
    // The API is a process of its own: its registry is not the consumers'.
    let (roles, api) = (telemetry::Metrics::new(), telemetry::Metrics::new());
    let commands = start_commands(&env, &roles);
    let relay = start_relay(&env, &roles);
    let boards = start_projection(&env, &roles, boards::Boards);
    let analytics = start_projection(&env, &roles, analytics::Analytics);
    let router = api_router(&env, &api).await;
    let monitor = start_lag_monitor(&env, &api, &["boards", "analytics"]);
    let targets = [
        serve(router.clone()).await,
        serve(telemetry::ops_router(
            roles.clone(),
            telemetry::Readiness::default(),
        ))
        .await,
    ];
    let prometheus = Prometheus::start(&targets);
    let watched = Instant::now();

    register_members(&env, 20).await;
    wait_caught_up(&env, "boards", Duration::from_secs(30)).await;
    wait_series(&router, "foresight_consumer_lag_events", "boards", |v| {
        v == 0.0
    })
    .await;
    // The stall rule compares with the window before: let a full (scaled) window pass.
    tokio::time::sleep(Duration::from_secs(12).saturating_sub(watched.elapsed())).await;
    assert!(
        prometheus.firing().await.is_empty(),
        "nothing fires while all is well"
    );

    boards.stop().await;
    let stopped = Instant::now();
    register_members(&env, 300).await;
    let peak = wait_series(&router, "foresight_consumer_lag_events", "boards", |v| {
        v >= 300.0
    })
    .await;
    let seconds = wait_series(&router, "foresight_consumer_lag_seconds", "boards", |v| {
        v > 0.0
    })
    .await;
    eprintln!(
        "boards stopped: lag {peak} events, {seconds:.2} s old, seen on the API's /metrics {:.2} s after the stop",
        stopped.elapsed().as_secs_f64()
    );
    // The consumer still running is not reported behind.
    wait_caught_up(&env, "analytics", Duration::from_secs(30)).await;
    wait_series(&router, "foresight_consumer_lag_events", "analytics", |v| {
        v == 0.0
    })
    .await;

    let lag_high = wait_alert(&prometheus, "ForesightConsumerLagHigh", true, stopped).await;
    let stalled = wait_alert(&prometheus, "ForesightConsumerStalled", true, stopped).await;
    let fired = prometheus.firing().await;
    eprintln!(
        "alerts firing with boards stopped: {fired:?}; ForesightConsumerLagHigh {lag_high:.1} s and ForesightConsumerStalled {stalled:.1} s after the stop (rules at 60x: 5 min and 10 min in production)"
    );
    assert!(
        !fired.iter().any(|a| a == "ForesightRelayStalled"),
        "the relay kept going: {fired:?}"
    );

    let restarted = Instant::now();
    let boards = start_projection(&env, &roles, boards::Boards);
    wait_series(&router, "foresight_consumer_lag_events", "boards", |v| {
        v == 0.0
    })
    .await;
    wait_series(&router, "foresight_consumer_lag_seconds", "boards", |v| {
        v == 0.0
    })
    .await;
    eprintln!(
        "boards restarted: lag back to zero on the API's /metrics after {:.2} s",
        restarted.elapsed().as_secs_f64()
    );

    let resolved = wait_alert(&prometheus, "ForesightConsumerStalled", false, restarted).await;
    let lag_resolved = wait_alert(&prometheus, "ForesightConsumerLagHigh", false, restarted).await;
    eprintln!(
        "alerts resolved after the restart: ForesightConsumerStalled {resolved:.1} s, ForesightConsumerLagHigh {lag_resolved:.1} s"
    );

    // Nothing lost, nothing applied twice: the board equals a rebuild from the log.
    let schema = consumer::projection_schema(&env.namespace, "boards");
    let members = count(
        &env,
        &format!("SELECT count(*) FROM {schema}.boards_members"),
    )
    .await;
    assert_eq!(members, 320);
    boards.stop().await;
    analytics.stop().await;
    let live = dump(&env, &boards::Boards).await;
    consumer::replay(&env.connect_options(), &boards::Boards, 1000)
        .await
        .expect("rebuild");
    assert_eq!(dump(&env, &boards::Boards).await, live);
    monitor.stop().await;
    relay.stop().await;
    commands.stop().await;
}
