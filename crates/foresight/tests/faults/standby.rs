//! Two relays and two instances of the same projection started at once, as
//! `foresight run relay` and `foresight run boards` processes: one of each holds its advisory
//! lock and works (`foresight_relay_active`, `foresight_consumer_active` 1), the other waits
//! (0). Killed with SIGKILL in the middle of their work, the active ones leave their locks
//! with their connections, and the standbys take over where the checkpoints say.

use std::time::{Duration, Instant};

use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};
use foresight_tests::harness::*;
use testkit::TestEnv;

use crate::activity::wait_writing;
use crate::process::{RoleProcess, series, simulate_direct, simulate_direct_in_background};

const RELAY_ACTIVE: &str = "foresight_relay_active";
const BOARDS_ACTIVE: &str = "foresight_consumer_active{consumer=\"boards\"}";

/// Waits (30 s) until exactly one of `pair` reports `gauge` 1 and the other 0 (or nothing
/// yet); returns them as (active, standby).
async fn one_active(pair: [RoleProcess; 2], gauge: &str) -> (RoleProcess, RoleProcess) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let first = series(&pair[0].metrics().await, gauge).unwrap_or(0.0);
        let second = series(&pair[1].metrics().await, gauge).unwrap_or(0.0);
        match (first, second) {
            (1.0, 0.0) | (0.0, 1.0) => {
                let [a, b] = pair;
                return if first == 1.0 { (a, b) } else { (b, a) };
            }
            (1.0, 1.0) => panic!("two instances active at once: {gauge}"),
            _ => {}
        }
        assert!(
            Instant::now() < deadline,
            "no instance became active: {gauge}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_active(process: &RoleProcess, gauge: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while series(&process.metrics().await, gauge) != Some(1.0) {
        assert!(
            Instant::now() < deadline,
            "the standby never took over: {gauge}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_relays_and_two_boards_one_works_and_the_other_takes_over_when_it_is_killed() {
    let _turn = crate::take_turn().await;
    let env = TestEnv::new().await;
    let (relays, boards) = tokio::join!(
        async {
            [
                RoleProcess::start(&env, "relay", &[]).await,
                RoleProcess::start(&env, "relay", &[]).await,
            ]
        },
        async {
            [
                RoleProcess::start(&env, "boards", &[]).await,
                RoleProcess::start(&env, "boards", &[]).await,
            ]
        }
    );
    simulate_direct(&env, 81, 1500).await;
    let (relay, standby_relay) = one_active(relays, RELAY_ACTIVE).await;
    let (active_boards, standby_boards) = one_active(boards, BOARDS_ACTIVE).await;
    wait_caught_up(&env, "boards", Duration::from_secs(60)).await;
    // Still one of each after all that work: the standbys kept waiting.
    assert_eq!(
        series(&standby_relay.metrics().await, RELAY_ACTIVE),
        Some(0.0)
    );
    assert_ne!(
        series(&standby_boards.metrics().await, BOARDS_ACTIVE),
        Some(1.0)
    );

    // More commands; the active ones are killed in the middle of them.
    let load = simulate_direct_in_background(&env, 82, 3000);
    wait_writing(&env, "boards").await;
    let killed = Instant::now();
    active_boards.kill();
    relay.kill();
    wait_active(&standby_boards, BOARDS_ACTIVE).await;
    wait_active(&standby_relay, RELAY_ACTIVE).await;
    let took_over = killed.elapsed();
    load.await.expect("the load");

    // One message per event: what the standby relay published again was dropped.
    let events = count(&env, "SELECT count(*) FROM events").await as u64;
    wait_for_messages(&env, events).await;
    let scraped = [standby_boards.metrics().await];
    eprintln!(
        "standbys took over {:.1} s after the active relay and boards were killed; {events} events",
        took_over.as_secs_f64()
    );
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards],
            scraped: &scraped,
            ..Default::default()
        },
    )
    .await;
}
