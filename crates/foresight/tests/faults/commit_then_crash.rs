//! A consumer that crashes after its batch committed but before it acknowledged the messages
//! (the runtime's fault-injection hook): JetStream delivers them again after the ack wait,
//! the consumer skips them (they are at or below its checkpoint), and nothing changes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use foresight_tests::audit::audited;
use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use foresight_tests::load::history;
use testkit::TestEnv;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_of_a_batch_committed_but_never_acknowledged_come_again_and_change_nothing() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    let crashes = Arc::new(AtomicU32::new(3));
    let config = consumer::ConsumerConfig {
        ack_wait: Duration::from_secs(1),
        crash_after_commit: Some(crashes.clone()),
        ..Default::default()
    };
    let boards = start_projection_with(&env, &metrics, audited(&env, boards::Boards).await, config);

    // Commands appended one by one, so that the consumer gets its events from the broker,
    // until it crashed three times (and some more after that).
    let started = Instant::now();
    let mut after_the_last_crash = 100;
    for command in history(11, 3000) {
        testkit::execute(
            &env.pool,
            command.command_type,
            command.envelope["payload"].clone(),
            Some(command.occurred_at),
        )
        .await;
        if crashes.load(Ordering::SeqCst) == 0 {
            after_the_last_crash -= 1;
            if after_the_last_crash == 0 {
                break;
            }
        }
    }
    assert_eq!(
        crashes.load(Ordering::SeqCst),
        0,
        "the consumer crashed after a commit three times"
    );
    // Every message was acknowledged in the end, the dropped ones after coming again.
    let redelivered = |m: &telemetry::Metrics| {
        m.consumers
            .redeliveries
            .with_label_values(&["boards"])
            .get()
    };
    let mut durable = env
        .js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream")
        .get_consumer::<async_nats::jetstream::consumer::pull::Config>("boards")
        .await
        .expect("the durable consumer");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let info = durable.info().await.expect("consumer info").clone();
        if redelivered(&metrics) > 0 && info.num_ack_pending == 0 && info.num_pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "messages still unacknowledged: {} pending, {} redelivered",
            info.num_ack_pending,
            redelivered(&metrics)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        metrics
            .consumers
            .errors
            .with_label_values(&["boards", "restart"])
            .get()
            >= 3,
        "each crash restarted the loop"
    );
    eprintln!(
        "commit then crash: 3 crashes, {} messages delivered again and skipped, {:.1} s",
        redelivered(&metrics),
        started.elapsed().as_secs_f64()
    );
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards],
            metrics: &[&metrics],
            ..Default::default()
        },
    )
    .await;
    boards.stop().await;
    relay.stop().await;
}
