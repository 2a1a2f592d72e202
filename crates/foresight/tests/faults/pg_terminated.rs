//! PostgreSQL connections terminated (`pg_terminate_backend`) during load: every backend of
//! the test's roles (the handler's pool, the relay's lock and LISTEN, each consumer's pool and
//! lock) is terminated again and again while commands pour in. Roles retry, reconnect, take
//! their locks again and resume from their checkpoints; a command whose commit was
//! acknowledged by nobody is answered from its first outcome when retried.

use std::time::{Duration, Instant};

use foresight_tests::audit::audited;
use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use foresight_tests::load::{CommandClient, accepted, history};
use testkit::TestEnv;

use crate::activity::terminate_roles;

/// Rounds of terminations, a quarter of a second apart.
const ROUNDS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_connections_terminated_during_load_lose_nothing() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let commands = start_commands(&env, &metrics);
    let relay = start_relay(&env, &metrics);
    let consumers = [
        start_projection(&env, &metrics, audited(&env, boards::Boards).await),
        start_projection(&env, &metrics, audited(&env, schedules::Schedules).await),
        start_projection(&env, &metrics, audited(&env, analytics::Analytics).await),
    ];
    let history = history(41, 900);
    let total = history.len();
    let started = Instant::now();
    let sending = CommandClient::new(&env.nats, &env.subjects)
        .await
        .send_all(history);
    sending.wait_sent(total / 10).await;
    let mut terminated = 0;
    for _ in 0..ROUNDS {
        terminated += terminate_roles(&env).await;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let client = sending.finish().await;
    let (outcomes, _) = client.settle(&env.pool, Duration::from_secs(60)).await;
    eprintln!(
        "pg_terminate_backend: {terminated} role backends terminated in {ROUNDS} rounds; {} commands, {} accepted, {} handler retries, {:.1} s",
        client.sent(),
        accepted(&outcomes),
        metrics.commands.retries.get(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        terminated >= ROUNDS as i64,
        "the roles' backends were terminated"
    );
    assert!(
        accepted(&outcomes) * 10 >= total * 9,
        "the history is played in order: nearly every command is accepted"
    );
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
