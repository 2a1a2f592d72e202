//! Old messages on the broker again: copies of every event message already applied,
//! republished in reverse order (some twice) without their `Nats-Msg-Id`, so that JetStream
//! keeps them; then new events that a rogue instance of a consumer fetched first and nak'd,
//! half of them with a delay, so that they come after the events behind them. Whatever comes,
//! a consumer applies only what continues its checkpoint and reads a gap from the log.

use std::time::{Duration, Instant};

use async_nats::jetstream::AckKind;
use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use futures::StreamExt;
use testkit::TestEnv;

use crate::broker::{durable, start_audited, stream_copy, wait_drained};
use crate::process::simulate_direct;

/// How long the rogue's delayed naks hold their messages back.
const NAK_DELAY: Duration = Duration::from_secs(2);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_messages_republished_out_of_order_and_naks_with_delay_change_nothing() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    let boards = start_audited(&env, &metrics, boards::Boards).await;
    let analytics = start_audited(&env, &metrics, analytics::Analytics).await;
    simulate_direct(&env, 51, 600).await;
    let events = count(&env, "SELECT count(*) FROM events").await as u64;
    wait_for_messages(&env, events).await;
    let redelivered = |name: &str| {
        metrics
            .consumers
            .redeliveries
            .with_label_values(&[name])
            .get()
    };

    // Duplicates out of order: each old message again, newest first, every tenth twice.
    let copies = stream_copy(&env).await;
    for (i, message) in copies.iter().rev().enumerate() {
        let mut headers = async_nats::HeaderMap::new();
        for (name, values) in message.headers.iter() {
            if *name != async_nats::header::NATS_MESSAGE_ID {
                for value in values {
                    headers.append(name.clone(), value.clone());
                }
            }
        }
        for _ in 0..if i % 10 == 0 { 2 } else { 1 } {
            env.js
                .publish_with_headers(
                    message.subject.clone(),
                    headers.clone(),
                    message.payload.clone(),
                )
                .await
                .expect("publish")
                .await
                .expect("stored");
        }
    }
    wait_drained(&env, "boards", || 0, 0).await;
    boards.stop().await;

    // New events, which a rogue instance of boards takes first: it naks the older half with
    // a delay and the newer half at once, so the newer half comes back first.
    simulate_direct(&env, 52, 300).await;
    let head = count(&env, "SELECT count(*) FROM events").await as u64;
    let copies_kept = copies.len() as u64 + copies.len().div_ceil(10) as u64;
    wait_for_messages(&env, head + copies_kept).await;
    let rogue = durable(&env, "boards").await;
    let (mut taken, new) = (Vec::new(), (head - events) as usize);
    let deadline = Instant::now() + Duration::from_secs(30);
    while taken.len() < new {
        assert!(
            Instant::now() < deadline,
            "the rogue got {} of {new}",
            taken.len()
        );
        let mut batch = rogue
            .fetch()
            .max_messages(new)
            .expires(Duration::from_millis(500))
            .messages()
            .await
            .expect("fetch");
        while let Some(message) = batch.next().await {
            taken.push(message.expect("a message"));
        }
    }
    for (i, message) in taken.iter().enumerate() {
        let delay = (i < new / 2).then_some(NAK_DELAY);
        message.ack_with(AckKind::Nak(delay)).await.expect("nak");
    }
    let boards = start_audited(&env, &metrics, boards::Boards).await;
    // Everything it gets came before (to the rogue): each is counted as delivered again.
    wait_drained(&env, "boards", || redelivered("boards"), new as u64).await;
    wait_drained(&env, "analytics", || 0, 0).await;
    eprintln!(
        "republished {} old messages out of order; boards got {} again after naks ({} caught up from the log)",
        copies_kept,
        redelivered("boards"),
        metrics
            .consumers
            .catch_ups
            .with_label_values(&["boards"])
            .get()
    );
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards, Consumer::Analytics],
            metrics: &[&metrics],
            ..Default::default()
        },
    )
    .await;
    boards.stop().await;
    analytics.stop().await;
    relay.stop().await;
}
