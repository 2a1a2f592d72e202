//! What the tests read of JetStream: a consumer's durable consumer, whether it has drained,
//! and a copy of the events stream.

use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer::pull};
use foresight_tests::audit::audited;
use foresight_tests::harness::{Running, start_projection_with};
use testkit::TestEnv;

/// For a consumer whose durable consumer a test waits to see drained: a message delivered
/// into a batch the consumer cut short (see the runtime) comes again only after the ack wait.
fn quick_redelivery() -> consumer::ConsumerConfig {
    consumer::ConsumerConfig {
        ack_wait: Duration::from_secs(2),
        ..Default::default()
    }
}

/// `projection`, recording every event it applies, with [`quick_redelivery`].
pub async fn start_audited<P: consumer::Projection>(
    env: &TestEnv,
    metrics: &telemetry::Metrics,
    projection: P,
) -> Running {
    start_projection_with(
        env,
        metrics,
        audited(env, projection).await,
        quick_redelivery(),
    )
}

pub async fn durable(env: &TestEnv, name: &str) -> jetstream::consumer::Consumer<pull::Config> {
    env.js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream")
        .get_consumer(name)
        .await
        .expect("the durable consumer")
}

/// Waits until the durable consumer exists and has nothing left to deliver or to be
/// acknowledged, and `redelivered` says enough messages came again.
pub async fn wait_drained(env: &TestEnv, name: &str, redelivered: impl Fn() -> u64, at_least: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = match env.js.get_stream(env.subjects.events_stream()).await {
            Ok(stream) => stream.consumer_info(name).await.ok(),
            Err(_) => None,
        };
        if let Some(info) = &found
            && info.num_pending == 0
            && info.num_ack_pending == 0
            && redelivered() >= at_least
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{name}: {:?} pending, {:?} unacknowledged, {} redelivered of {at_least}",
            found.as_ref().map(|i| i.num_pending),
            found.as_ref().map(|i| i.num_ack_pending),
            redelivered()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every message of the events stream, oldest first.
pub async fn stream_copy(env: &TestEnv) -> Vec<jetstream::message::StreamMessage> {
    let mut stream = env
        .js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream");
    let state = stream.info().await.expect("info").state.clone();
    let mut messages = Vec::new();
    for sequence in state.first_sequence..=state.last_sequence {
        messages.push(stream.get_raw_message(sequence).await.expect("a message"));
    }
    messages
}
