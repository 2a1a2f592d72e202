//! The relay: every event on JetStream once, in commit order, with its headers; a restart
//! at any point loses nothing and JetStream drops what is published twice.

use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer::DeliverPolicy, consumer::pull};
use futures::StreamExt;
use serde_json::json;
use store::RecordedEvent;
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

/// Every message of the events stream, in stream order.
async fn read_stream(env: &TestEnv) -> Vec<(RecordedEvent, async_nats::HeaderMap, String)> {
    let stream = env
        .js
        .get_stream(env.subjects.events_stream())
        .await
        .expect("stream");
    let consumer = stream
        .create_consumer(pull::Config {
            deliver_policy: DeliverPolicy::All,
            ..Default::default()
        })
        .await
        .expect("consumer");
    let total = stream_messages(env).await as usize;
    let mut messages = consumer.messages().await.expect("messages");
    let mut out = Vec::new();
    while out.len() < total {
        let message = tokio::time::timeout(Duration::from_secs(10), messages.next())
            .await
            .expect("in time")
            .expect("some")
            .expect("ok");
        let event: RecordedEvent = serde_json::from_slice(&message.payload).expect("event JSON");
        out.push((
            event,
            message.headers.clone().expect("headers"),
            message.subject.to_string(),
        ));
        message.ack().await.expect("ack");
    }
    out
}

#[tokio::test]
async fn every_event_reaches_jetstream_once_in_commit_order_with_its_headers() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let relay = start_relay(&env, &metrics);
    let (project, _, task) = project_with_task(&env).await;
    accepted(&env, "task.start", json!({"task_id": task})).await;
    wait_for_messages(&env, 5).await;

    let messages = read_stream(&env).await;
    let log: Vec<i64> = store::read_after(&env.pool, store::Position::START, 100)
        .await
        .expect("log")
        .iter()
        .map(|e| e.global_position)
        .collect();
    let relayed: Vec<i64> = messages.iter().map(|(e, _, _)| e.global_position).collect();
    assert_eq!(relayed, log);
    let (started, headers, subject) = messages.last().expect("last");
    assert_eq!(
        subject,
        &format!("{}.evt.{project}.task.started", env.namespace)
    );
    assert_eq!(
        headers.get("Nats-Msg-Id").map(|v| v.as_str()),
        Some(started.event_id.to_string().as_str())
    );
    assert_eq!(
        headers.get(bus::POSITION_HEADER).map(|v| v.as_str()),
        Some(started.global_position.to_string().as_str())
    );
    assert_eq!(
        headers.get(bus::STREAM_HEADER).map(|v| v.as_str()),
        Some(format!("task-{task}").as_str())
    );
    assert_eq!(
        headers.get(bus::VERSION_HEADER).map(|v| v.as_str()),
        Some("2")
    );
    assert_eq!(
        headers.get(bus::TYPE_HEADER).map(|v| v.as_str()),
        Some("task.started")
    );
    let member_subject = &messages[0].2;
    assert_eq!(
        member_subject,
        &format!("{}.evt._.member.registered", env.namespace)
    );
    assert_eq!(metrics.relay.active.get(), 1);
    relay.stop().await;
    handler.stop().await;
}

#[tokio::test]
async fn a_relay_restarted_after_publishing_without_its_checkpoint_duplicates_nothing() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    for i in 0..50 {
        let request = store::AppendRequest {
            command: None,
            streams: vec![store::StreamAppend {
                stream_id: format!("member-{}", Uuid::new_v4()),
                expected_version: 0,
                events: vec![store::NewEvent {
                    event_id: Uuid::new_v4(),
                    event_type: "member.registered".into(),
                    schema_version: 1,
                    payload: json!({"n": i}),
                    metadata: json!({}),
                    occurred_at: chrono::Utc::now(),
                }],
            }],
        };
        store::append(&env.pool, &request).await.expect("append");
    }
    // A crash after publishing and before the checkpoint: the first 30 are on the stream,
    // the checkpoint is still at the start.
    // Another test's open transaction may hold the read horizon back for a moment.
    let deadline = Instant::now() + Duration::from_secs(30);
    let log = loop {
        let log = store::read_after(&env.pool, store::Position::START, 100)
            .await
            .expect("log");
        if log.len() == 50 {
            break log;
        }
        assert!(
            Instant::now() < deadline,
            "only {} of 50 events became readable",
            log.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    let js = jetstream::new(env.nats.clone());
    let mut previous = store::Position::START;
    for event in &log[..30] {
        let (subject, headers, body) = relay::event_message(&env.subjects, event, previous);
        previous = event.position();
        js.publish_with_headers(subject, headers, body)
            .await
            .expect("publish")
            .await
            .expect("ack");
    }
    let relay = start_relay(&env, &metrics);
    wait_for_messages(&env, 50).await;
    relay.stop().await;

    // Killed mid-batch and started again: still exactly one message per event.
    let relay = start_relay(&env, &metrics);
    tokio::time::sleep(Duration::from_millis(50)).await;
    relay.abort().await;
    let relay = start_relay(&env, &metrics);
    let deadline = Instant::now() + Duration::from_secs(10);
    while store::load_checkpoint(&env.pool, "relay")
        .await
        .expect("checkpoint")
        != log.last().expect("last").position()
    {
        assert!(
            Instant::now() < deadline,
            "the relay checkpoint did not reach the end"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    relay.stop().await;
    let relayed: Vec<i64> = read_stream(&env)
        .await
        .iter()
        .map(|(e, _, _)| e.global_position)
        .collect();
    let expected: Vec<i64> = log.iter().map(|e| e.global_position).collect();
    assert_eq!(relayed, expected);
}

#[tokio::test]
async fn only_one_relay_is_active_and_a_standby_takes_over() {
    let env = TestEnv::new().await;
    let (first_metrics, second_metrics) = (telemetry::Metrics::new(), telemetry::Metrics::new());
    let first = start_relay(&env, &first_metrics);
    let deadline = Instant::now() + Duration::from_secs(10);
    while first_metrics.relay.active.get() != 1 {
        assert!(
            Instant::now() < deadline,
            "the first relay never became active"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let second = start_relay(&env, &second_metrics);
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(
        second_metrics.relay.active.get(),
        0,
        "the second relay must wait"
    );

    first.abort().await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while second_metrics.relay.active.get() != 1 {
        assert!(Instant::now() < deadline, "the standby never took over");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    accepted(&env, "member.register", json!({"member_id": Uuid::new_v4(), "name": "S", "skills": [], "capacity_hours_per_week": 5})).await;
    wait_for_messages(&env, 1).await;
    handler.stop().await;
    second.stop().await;
}
