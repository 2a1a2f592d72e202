//! The events stream purged, then deleted, under running consumers, on a long log. After the
//! purge a brand-new consumer starts: the stream has nothing of the log before it, so it
//! catches up from PostgreSQL. Right after the deletion another brand-new consumer starts and
//! creates the stream again, empty; the relay finds it is not the stream it published to,
//! starts over, and publishes again what the stream lost (everything recorded within the
//! stream's retention), while the consumers, whose durable consumers went with the stream,
//! create them again and skip what they had.

use std::time::{Duration, Instant};

use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use testkit::TestEnv;

use crate::broker::{start_audited, wait_drained};
use crate::process::simulate_direct;

async fn events(env: &TestEnv) -> u64 {
    count(env, "SELECT count(*) FROM events").await as u64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purged_then_deleted_stream_is_caught_up_from_the_log_and_published_again() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    let boards = start_audited(&env, &metrics, boards::Boards).await;
    simulate_direct(&env, 61, 5000).await;
    wait_for_messages(&env, events(&env).await).await;
    wait_caught_up(&env, "boards", Duration::from_secs(60)).await;

    // Purged: a brand-new consumer on the long log reads it from PostgreSQL.
    let stream = env
        .js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream");
    stream.purge().await.expect("purge");
    let started = Instant::now();
    let analytics = start_audited(&env, &metrics, analytics::Analytics).await;
    wait_caught_up(&env, "analytics", Duration::from_secs(60)).await;
    let caught_up = started.elapsed();
    assert!(
        metrics
            .consumers
            .catch_ups
            .with_label_values(&["analytics"])
            .get()
            >= 1,
        "the new consumer read the log"
    );

    // Deleted: another brand-new consumer, started at once, creates the stream again, empty;
    // the relay finds it is not the stream it published to, and publishes what it lost.
    env.js
        .delete_stream(env.subjects.events_stream())
        .await
        .expect("delete the stream");
    let schedules = start_audited(&env, &metrics, schedules::Schedules).await;
    simulate_direct(&env, 62, 300).await;
    let head = events(&env).await;
    wait_for_messages(&env, head).await;
    eprintln!(
        "stream lost: a new consumer caught up {} events from the log in {:.1} s; the relay published all {head} again after the deletion",
        head - 300,
        caught_up.as_secs_f64()
    );
    assert!(
        metrics.relay.errors.with_label_values(&["relay"]).get() >= 1,
        "the relay noticed the stream was gone"
    );
    // The consumers follow the broker again, through new durable consumers, and the events
    // published again were delivered to them and skipped.
    wait_drained(&env, "boards", || 0, 0).await;
    wait_drained(&env, "analytics", || 0, 0).await;
    wait_drained(&env, "schedules", || 0, 0).await;
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards, Consumer::Analytics, Consumer::Schedules],
            metrics: &[&metrics],
            ..Default::default()
        },
    )
    .await;
    boards.stop().await;
    analytics.stop().await;
    schedules.stop().await;
    relay.stop().await;
}
