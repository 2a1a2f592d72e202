//! A worker paused: `foresight run boards` stopped with SIGSTOP, holding messages it was
//! delivered, for twice its ack wait (2 s, set by `FORESIGHT_CONSUMER_ACK_WAIT`), while
//! commands keep coming. The API role (`foresight run api`, measuring every 200 ms by
//! `FORESIGHT_LAG_INTERVAL`) shows the consumer-lag alert's condition turn true; resumed with
//! SIGCONT, the worker finds its ack wait long expired: the messages it held come again (or
//! its late acks are taken), it drains its backlog to zero, and applies nothing twice.

use std::time::{Duration, Instant};

use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use foresight_tests::load::history;
use testkit::TestEnv;
use tokio::task::JoinSet;

use crate::activity::writing;
use crate::process::{RoleProcess, series};

const ACK_WAIT: Duration = Duration::from_secs(2);

/// The consumer-lag alert's condition on one scrape of the API role's `/metrics`: the
/// consumer is behind the log, in events and in the age of the oldest event it has not
/// applied. The one place the tests evaluate it: a promtool evaluation of the rule in
/// `monitoring/` over the same scrapes can stand beside it.
pub fn lag_alert_holds(scrape: &str, consumer: &str) -> bool {
    let value = |name: &str| series(scrape, &format!("{name}{{consumer=\"{consumer}\"}}"));
    value("foresight_consumer_lag_events").is_some_and(|events| events > 0.0)
        && value("foresight_consumer_lag_seconds").is_some_and(|seconds| seconds > 0.0)
}

fn lag_seconds(scrape: &str, consumer: &str) -> f64 {
    series(
        scrape,
        &format!("foresight_consumer_lag_seconds{{consumer=\"{consumer}\"}}"),
    )
    .unwrap_or(0.0)
}

/// Scrapes `api` until `check` holds (within 30 s); returns the scrape.
async fn wait_scrape(api: &RoleProcess, what: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let scrape = api.metrics().await;
        if check(&scrape) {
            return scrape;
        }
        assert!(
            Instant::now() < deadline,
            "the API's /metrics never showed {what}: {:?}",
            scrape
                .lines()
                .filter(|l| l.contains("consumer=\"boards\"") && l.contains("lag"))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Messages delivered to `consumer` and not yet acknowledged.
async fn unacknowledged(env: &TestEnv, consumer: &str) -> u64 {
    let stream = env
        .js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream");
    stream
        .consumer_info(consumer)
        .await
        .map(|info| info.num_ack_pending as u64)
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_paused_for_twice_its_ack_wait_lags_then_drains_applying_nothing_twice() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    let ack_wait = format!("{}ms", ACK_WAIT.as_millis());
    let boards = RoleProcess::start(
        &env,
        "boards",
        &[("FORESIGHT_CONSUMER_ACK_WAIT", &ack_wait)],
    )
    .await;
    let api = RoleProcess::start(&env, "api", &[("FORESIGHT_LAG_INTERVAL", "200ms")]).await;

    // Commands keep coming, one by one, from before the pause until after it.
    let pool = env.pool.clone();
    let (stop_load, load_stopped) = tokio::sync::watch::channel(false);
    let mut load = JoinSet::new();
    load.spawn(async move {
        for command in history(71, 3000) {
            if *load_stopped.borrow() {
                break;
            }
            testkit::execute(
                &pool,
                command.command_type,
                command.envelope["payload"].clone(),
                Some(command.occurred_at),
            )
            .await;
        }
    });
    wait_caught_up(&env, "boards", Duration::from_secs(30)).await;

    // Paused, preferably with messages in hand, but never inside a transaction that has
    // written: one that holds a transaction id would hold back every commit-order reader on
    // the cluster for the whole pause.
    let mut attempts = 0;
    let held = loop {
        boards.pause();
        if !writing(&env, "boards").await {
            let held = unacknowledged(&env, "boards").await;
            if held > 0 || attempts >= 200 {
                break held;
            }
        }
        boards.resume();
        attempts += 1;
        assert!(
            attempts < 1000,
            "boards was never paused outside a transaction"
        );
        tokio::time::sleep(Duration::from_millis(7)).await;
    };
    let paused = Instant::now();
    let first = wait_scrape(&api, "the lag alert's condition", |s| {
        lag_alert_holds(s, "boards")
    })
    .await;
    let rising = lag_seconds(&first, "boards");
    wait_scrape(&api, "lag seconds rising", |s| {
        lag_seconds(s, "boards") > rising
    })
    .await;
    let seen = paused.elapsed();
    tokio::time::sleep((2 * ACK_WAIT).saturating_sub(paused.elapsed())).await;
    boards.resume();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let _ = stop_load.send(true);
    tokio::time::timeout(Duration::from_secs(60), load.join_next())
        .await
        .expect("the load ends in time")
        .expect("the load")
        .expect("the load did not panic");
    let resumed = Instant::now();
    wait_scrape(&api, "the lag drained to zero", |s| {
        !lag_alert_holds(s, "boards")
            && series(s, "foresight_consumer_lag_events{consumer=\"boards\"}") == Some(0.0)
    })
    .await;
    let scraped = [boards.metrics().await];
    let redelivered = series(
        &scraped[0],
        "foresight_consumer_redeliveries_total{consumer=\"boards\"}",
    )
    .unwrap_or(0.0);
    eprintln!(
        "paused {:.1} s holding {held} messages: the lag alert's condition held on the API after {:.1} s; once the load ended, drained in {:.1} s; {redelivered} messages came again after the ack wait",
        (2 * ACK_WAIT).as_secs_f64(),
        seen.as_secs_f64(),
        resumed.elapsed().as_secs_f64()
    );
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards],
            metrics: &[&metrics],
            scraped: &scraped,
            ..Default::default()
        },
    )
    .await;
    relay.stop().await;
}
