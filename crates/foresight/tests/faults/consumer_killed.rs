//! A consumer killed in the middle of a batch, on a long log: as a task aborted in this
//! process, and as a `foresight run` process killed with SIGKILL. Each time the batch in hand
//! is rolled back with its connection; the consumer started again resumes from its checkpoint.

use std::time::Instant;

use foresight_tests::audit::audited;
use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use testkit::TestEnv;

use crate::activity::{wait_rolled_back, wait_writing};
use crate::process::{RoleProcess, simulate_direct};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_task_aborted_in_the_middle_of_a_batch_resumes_from_its_checkpoint() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    simulate_direct(&env, 21, 6000).await;
    let started = Instant::now();
    for _ in 0..3 {
        let boards = start_projection(&env, &metrics, audited(&env, boards::Boards).await);
        let writer = wait_writing(&env, "boards").await;
        boards.abort().await;
        wait_rolled_back(&env, writer).await;
    }
    let boards = start_projection(&env, &metrics, audited(&env, boards::Boards).await);
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards],
            metrics: &[&metrics],
            ..Default::default()
        },
    )
    .await;
    eprintln!(
        "aborted in the middle of a batch 3 times, caught up and checked in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    boards.stop().await;
    relay.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consumer_process_killed_in_the_middle_of_a_batch_resumes_from_its_checkpoint() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    simulate_direct(&env, 22, 6000).await;
    let started = Instant::now();
    for _ in 0..2 {
        for role in ["boards", "analytics"] {
            let process = RoleProcess::start(&env, role, &[]).await;
            let writer = wait_writing(&env, role).await;
            process.kill();
            wait_rolled_back(&env, writer).await;
        }
    }
    let boards = RoleProcess::start(&env, "boards", &[]).await;
    let analytics = RoleProcess::start(&env, "analytics", &[]).await;
    for role in ["boards", "analytics"] {
        wait_caught_up(&env, role, std::time::Duration::from_secs(60)).await;
    }
    let scraped = [boards.metrics().await, analytics.metrics().await];
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards, Consumer::Analytics],
            metrics: &[&metrics],
            scraped: &scraped,
            ..Default::default()
        },
    )
    .await;
    eprintln!(
        "killed (SIGKILL) in the middle of a batch twice each, caught up and checked in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    relay.stop().await;
}
