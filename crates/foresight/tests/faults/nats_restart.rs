//! NATS restarted during load: the test runs a server of its own (its own port and JetStream
//! directory) and kills it twice (SIGKILL) while a client sends commands and every role works,
//! then starts it again on the same port and directory. The client publishes each command
//! until it is acknowledged; the roles reconnect. Outcomes published while the server was
//! away are lost as news, not as facts: they are in `command_results`.

use std::time::{Duration, Instant};

use foresight_tests::audit::audited;
use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use foresight_tests::load::{CommandClient, accepted, history};
use testkit::{NatsServer, TestEnv};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_killed_and_restarted_twice_during_load_loses_nothing() {
    let _turn = crate::take_turn().await;
    let dir = NatsServer::prepare();
    let config = format!(
        "jetstream {{ store_dir: {:?} }}",
        dir.path().join("jetstream")
    );
    let mut nats = NatsServer::start(dir, &config, &[]);
    let env = TestEnv::on_nats(&nats.url()).await;
    let metrics = telemetry::Metrics::new();
    // A command delivered but lost on the wire comes again after the ack wait.
    let handler = commands::HandlerConfig {
        ack_wait: Duration::from_secs(2),
        ..Default::default()
    };
    let commands = start_commands_with(&env, &metrics, handler);
    let relay = start_relay(&env, &metrics);
    let consumers = [
        start_projection(&env, &metrics, audited(&env, boards::Boards).await),
        start_projection(&env, &metrics, audited(&env, schedules::Schedules).await),
        start_projection(&env, &metrics, audited(&env, analytics::Analytics).await),
    ];
    let history = history(31, 900);
    let total = history.len();
    let started = Instant::now();
    let sending = CommandClient::new(&env.nats, &env.subjects)
        .await
        .send_all(history);
    for at in [total / 3, 2 * total / 3] {
        sending.wait_sent(at).await;
        nats.kill();
        // The outage: the roles' requests fail and their connections retry meanwhile.
        tokio::time::sleep(Duration::from_millis(500)).await;
        // The roles keep running on the other worker thread while it starts.
        tokio::task::block_in_place(|| nats.restart());
    }
    let client = sending.finish().await;
    let (outcomes, unheard) = client.settle(&env.pool, Duration::from_secs(60)).await;
    eprintln!(
        "nats restarted twice: {} commands sent ({} publishes again), {} accepted, {unheard} outcomes read from the record, in {:.1} s",
        client.sent(),
        client.retries,
        accepted(&outcomes),
        started.elapsed().as_secs_f64()
    );
    assert_eq!(client.sent(), total);
    assert!(
        accepted(&outcomes) * 10 >= total * 9,
        "the history is played in order: nearly every command is accepted"
    );
    // Each event is in the stream once: what the relay published again was dropped.
    let events = count(&env, "SELECT count(*) FROM events").await as u64;
    wait_for_messages(&env, events).await;
    assert_converged(
        &env,
        FinalCheck {
            outcomes: &outcomes,
            consumers: &[Consumer::Boards, Consumer::Schedules, Consumer::Analytics],
            metrics: &[&metrics],
            ..Default::default()
        },
    )
    .await;
    for consumer in consumers {
        consumer.stop().await;
    }
    relay.stop().await;
    commands.stop().await;
}
