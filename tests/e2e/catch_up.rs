//! A consumer whose broker lost events (a purged stream, one deleted message) reads the
//! missing range from the log and ends up with every event applied once.

use std::time::Duration;

use testkit::TestEnv;

use crate::harness::*;

async fn members_on_boards(env: &TestEnv) -> i64 {
    let schema = consumer::projection_schema(&env.namespace, "boards");
    sqlx::query_scalar(&format!("SELECT count(*) FROM {schema}.boards_members"))
        .fetch_one(&env.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn a_new_consumer_catches_up_from_the_log_after_the_stream_was_purged_and_lost_a_message() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    register_members_in_log(&env, 30).await;
    wait_for_messages(&env, 30).await;
    env.js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream")
        .purge()
        .await
        .expect("purge");

    register_members_in_log(&env, 20).await;
    wait_for_messages(&env, 20).await;
    // One message in the middle of what is left goes missing too.
    let stream = env
        .js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream");
    let first = stream
        .clone()
        .info()
        .await
        .expect("info")
        .state
        .first_sequence;
    stream
        .delete_message(first + 5)
        .await
        .expect("delete one message");

    let boards = start_projection(&env, &metrics, boards::Boards);
    wait_caught_up(&env, "boards", Duration::from_secs(30)).await;
    assert_eq!(
        members_on_boards(&env).await,
        50,
        "every event applied, none twice"
    );
    assert!(
        metrics
            .consumers
            .catch_ups
            .with_label_values(&["boards"])
            .get()
            >= 1,
        "the log was read"
    );
    assert_eq!(
        metrics
            .consumers
            .version_gaps
            .with_label_values(&["boards"])
            .get(),
        0
    );

    // Then it follows the broker live again.
    register_members_in_log(&env, 5).await;
    wait_caught_up(&env, "boards", Duration::from_secs(30)).await;
    assert_eq!(members_on_boards(&env).await, 55);
    boards.stop().await;
    relay.stop().await;
}
