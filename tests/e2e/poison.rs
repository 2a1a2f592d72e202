//! A poison event (one the projection cannot read) is tried a bounded number of times, kept in
//! `dead_letters` with its error and counted; the events behind it go on, and a rebuild
//! passes over it too, so the projection still equals a replay.

use std::time::Duration;

use chrono::Utc;
use serde_json::json;
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;
use foresight_tests::convergence::{Consumer, FinalCheck, assert_converged};

/// An event of a known type whose payload no version of the domain can read.
async fn append_poison(env: &TestEnv) -> Uuid {
    let event_id = Uuid::new_v4();
    let request = store::AppendRequest {
        command: None,
        streams: vec![store::StreamAppend {
            stream_id: format!("member-{}", Uuid::new_v4()),
            expected_version: 0,
            events: vec![store::NewEvent {
                event_id,
                event_type: "member.registered".into(),
                schema_version: 1,
                payload: json!({"name": ["not", "a", "string"]}),
                metadata: json!({"actor": "test"}),
                occurred_at: Utc::now(),
            }],
        }],
    };
    store::append(&env.pool, &request).await.expect("append");
    event_id
}

async fn members_on_boards(env: &TestEnv) -> i64 {
    let schema = consumer::projection_schema(&env.namespace, "boards");
    count(
        env,
        &format!("SELECT count(*) FROM {schema}.boards_members"),
    )
    .await
}

#[tokio::test]
async fn a_poison_event_is_given_up_on_after_its_attempts_and_the_events_behind_it_go_on() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let relay = start_relay(&env, &metrics);
    register_members_in_log(&env, 5).await;
    let poison = append_poison(&env).await;
    register_members_in_log(&env, 7).await;

    let boards = start_projection_with(
        &env,
        &metrics,
        boards::Boards,
        consumer::ConsumerConfig {
            max_attempts: 3,
            ..Default::default()
        },
    );
    wait_caught_up(&env, "boards", Duration::from_secs(30)).await;

    assert_eq!(
        members_on_boards(&env).await,
        12,
        "every good event applied"
    );
    let (attempts, error, event_type): (i32, String, String) = sqlx::query_as(
        "SELECT attempts, error, event_type FROM dead_letters WHERE consumer = 'boards' AND event_id = $1",
    )
    .bind(poison)
    .fetch_one(&env.pool)
    .await
    .expect("the poison event is kept in dead_letters");
    assert_eq!(attempts, 3);
    assert_eq!(event_type, "member.registered");
    assert!(error.contains("cannot be read"), "{error}");
    assert_eq!(
        count(&env, "SELECT count(*) FROM dead_letters").await,
        1,
        "only the poison event"
    );
    assert_eq!(
        metrics
            .consumers
            .dead_letters
            .with_label_values(&["boards"])
            .get(),
        1
    );
    assert!(
        metrics
            .render()
            .contains("foresight_consumer_dead_letters_total{consumer=\"boards\"} 1")
    );

    // Events after it flow live, and a rebuild skips the poison just as the consumer did:
    // the fault tests' final check holds.
    register_members_in_log(&env, 3).await;
    wait_caught_up(&env, "boards", Duration::from_secs(30)).await;
    assert_eq!(members_on_boards(&env).await, 15);
    boards.stop().await;
    relay.stop().await;
    assert_converged(
        &env,
        FinalCheck {
            consumers: &[Consumer::Boards],
            metrics: &[&metrics],
            ..Default::default()
        },
    )
    .await;
}
