//! A long random workload followed live, then every projection rebuilt by replay while its
//! live consumer keeps running: the rebuilt state equals the live one.

use std::time::Duration;

use testkit::TestEnv;

use crate::harness::*;
use crate::workload::Workload;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_projection_rebuilt_from_the_log_equals_the_live_one() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    let live = [
        start_projection(&env, &metrics, boards::Boards),
        start_projection(&env, &metrics, schedules::Schedules),
        start_projection(&env, &metrics, analytics::Analytics),
    ];
    let mut workload = Workload::new(7);
    let accepted = workload.play(&env.pool, 1500).await;
    assert!(
        accepted > 600,
        "the workload must mostly make progress: {accepted} accepted"
    );
    for name in ["boards", "schedules", "analytics"] {
        wait_caught_up(&env, name, Duration::from_secs(60)).await;
    }
    let before = (
        dump(&env, &boards::Boards).await,
        dump(&env, &schedules::Schedules).await,
        dump(&env, &analytics::Analytics).await,
    );
    assert_ne!(
        before.0,
        serde_json::json!({}),
        "the live board holds something"
    );

    for report in [
        consumer::replay(&env.connect_options(), &boards::Boards, 333)
            .await
            .expect("replay boards"),
        consumer::replay(&env.connect_options(), &schedules::Schedules, 333)
            .await
            .expect("replay schedules"),
        consumer::replay(&env.connect_options(), &analytics::Analytics, 333)
            .await
            .expect("replay analytics"),
    ] {
        assert!(report.events > 600);
    }
    let after = (
        dump(&env, &boards::Boards).await,
        dump(&env, &schedules::Schedules).await,
        dump(&env, &analytics::Analytics).await,
    );
    assert!(
        before.0 == after.0,
        "boards: the rebuilt state differs from the live one"
    );
    assert!(
        before.1 == after.1,
        "schedules: the rebuilt state differs from the live one"
    );
    assert!(
        before.2 == after.2,
        "analytics: the rebuilt state differs from the live one"
    );

    // The live consumers carry on after the swap, in the swapped-in tables.
    let more = workload.play(&env.pool, 200).await;
    assert!(more > 0);
    for name in ["boards", "schedules", "analytics"] {
        wait_caught_up(&env, name, Duration::from_secs(60)).await;
    }
    let live_again = dump(&env, &boards::Boards).await;
    consumer::replay(&env.connect_options(), &boards::Boards, 5000)
        .await
        .expect("replay boards again");
    assert!(
        live_again == dump(&env, &boards::Boards).await,
        "boards after the swap: live differs from a rebuild"
    );
    for running in live {
        running.stop().await;
    }
    relay.stop().await;
}
