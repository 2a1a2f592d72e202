//! `deploy/nats/foresight.conf` on a NATS server of the test's own: the service runs the
//! command path with its permissions; a command client sends a command and reads its
//! outcome, but can neither publish an event nor read the event stream.

use std::time::Duration;

use async_nats::jetstream;
use futures::StreamExt;
use serde_json::json;
use testkit::{NatsServer, TestEnv};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::harness::*;

const DEPLOY_CONFIG: &str = include_str!("../../deploy/nats/foresight.conf");

/// The deployment's file for another namespace and store, as its header says to do it.
fn render(namespace: &str, store_dir: &std::path::Path) -> String {
    let rendered = DEPLOY_CONFIG
        .replace("foresight.", &format!("{namespace}."))
        .replace("/var/lib/nats-server", &store_dir.display().to_string());
    assert!(rendered.contains(&format!("\"_INBOX_{namespace}.>\"")));
    rendered
}

/// What the server told a client it refused, as the client library reports it.
async fn connect_client(
    url: &str,
    password: &str,
) -> (async_nats::Client, mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let client =
        async_nats::ConnectOptions::with_user_and_password("client".into(), password.into())
            .event_callback(move |event| {
                let tx = tx.clone();
                async move {
                    if let async_nats::Event::ServerError(error) = event {
                        let _ = tx.send(error.to_string());
                    }
                }
            })
            .connect(url)
            .await
            .expect("the command client connects");
    (client, rx)
}

/// The next permission violation the server reports, within a few seconds.
async fn violation(errors: &mut mpsc::UnboundedReceiver<String>, what: &str) -> String {
    let error = tokio::time::timeout(Duration::from_secs(5), errors.recv())
        .await
        .unwrap_or_else(|_| panic!("no permission violation reported for {what}"))
        .expect("the client is connected");
    assert!(
        error.to_lowercase().contains("permissions violation"),
        "{what}: {error}"
    );
    error
}

async fn events_in_stream(js: &jetstream::Context, name: &str) -> u64 {
    let mut stream = js
        .get_stream(name)
        .await
        .expect("the service reads its stream");
    stream.info().await.expect("info").state.messages
}

async fn wait_for_events(js: &jetstream::Context, name: &str, expected: u64) {
    let deadline = std::time::Instant::now() + ANSWER_WITHIN;
    while events_in_stream(js, name).await < expected {
        assert!(
            std::time::Instant::now() < deadline,
            "the relay did not publish"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_command_client_sends_commands_and_reads_outcomes_but_never_events() {
    let env = TestEnv::new().await;
    let dir = NatsServer::prepare();
    let service_key = nkeys::KeyPair::new_user();
    let seed_file = dir.path().join("service.nk");
    std::fs::write(&seed_file, service_key.seed().expect("seed")).expect("seed file");
    // A leading letter: the server parses a variable's value as configuration, and a bare
    // hex string such as `0e12…` would read as a malformed number.
    let password = format!("client-{:032x}", rand::random::<u128>());
    let config = render(env.namespace.as_str(), &dir.path().join("jetstream"));
    let server = NatsServer::start(
        dir,
        &config,
        &[
            ("NATS_SERVICE_NKEY", service_key.public_key().as_str()),
            ("NATS_CLIENT_PASSWORD", password.as_str()),
        ],
    );

    // The service: nkey, its own inbox prefix, its streams, the command path.
    let mut options = bus::NatsOptions::new(&server.url(), "foresight-test-service");
    options.auth = bus::NatsAuth::NkeySeedFile(seed_file);
    options.inbox_prefix = Some(env.subjects.service_inbox_prefix());
    let service = bus::connect(&options).await.expect("the service connects");
    let service_js = jetstream::new(service.clone());
    bus::ensure_streams(&service_js, &env.subjects, &bus::StreamOptions::default())
        .await
        .expect("the service creates its streams");
    let metrics = telemetry::Metrics::new();
    let handler = start_commands_on(&env, &service, &metrics);
    let relay = start_relay_on(&env, &service, &metrics);
    let boards = start_projection_on(&env, &service, &metrics, boards::Boards);

    // The command client sends a command through JetStream and reads its outcome.
    let (client, mut refused) = connect_client(&server.url(), &password).await;
    let outcome = send_as_client(
        &client,
        &env,
        "member.register",
        json!({"member_id": Uuid::new_v4(), "name": "Ada", "skills": [], "capacity_hours_per_week": 30}),
    )
    .await;
    assert_eq!(outcome["status"], "accepted", "{outcome}");

    // The service relays the event and a projection consumes it, with its permissions.
    let events = env.subjects.events_stream();
    wait_for_events(&service_js, &events, 1).await;
    wait_caught_up(&env, "boards", ANSWER_WITHIN).await;

    // Publishing an event: refused by the server, and the stream holds only the relay's.
    client
        .publish(
            env.subjects.event(None, "member.registered"),
            b"{}".as_slice().into(),
        )
        .await
        .expect("the client library sends it");
    client.flush().await.expect("flush");
    let error = violation(&mut refused, "publishing an event").await;
    assert!(error.contains(".evt."), "{error}");
    assert_eq!(events_in_stream(&service_js, &events).await, 1);

    // Subscribing to the events, or to the service's replies: refused.
    let mut sniffed_events = client
        .subscribe(env.subjects.events_filter())
        .await
        .expect("the client library sends the subscription");
    client.flush().await.expect("flush");
    violation(&mut refused, "subscribing to the events").await;
    let mut sniffed_replies = client
        .subscribe(format!("{}.>", env.subjects.service_inbox_prefix()))
        .await
        .expect("the client library sends the subscription");
    client.flush().await.expect("flush");
    violation(&mut refused, "subscribing to the service's inbox").await;

    // Reading the stream through JetStream's API: refused before it begins.
    let short = jetstream::ContextBuilder::new()
        .timeout(Duration::from_secs(1))
        .build(client.clone());
    assert!(short.get_stream(&events).await.is_err());
    violation(&mut refused, "looking up the events stream").await;
    let consumer = short
        .create_consumer_on_stream(
            jetstream::consumer::pull::Config {
                durable_name: Some("sniffer".into()),
                ..Default::default()
            },
            &events,
        )
        .await;
    assert!(consumer.is_err());
    violation(&mut refused, "creating a consumer on the events stream").await;

    // Another event is published and consumed meanwhile; none of it reached the client.
    let outcome = send_as_client(
        &client,
        &env,
        "member.register",
        json!({"member_id": Uuid::new_v4(), "name": "Grace", "skills": [], "capacity_hours_per_week": 20}),
    )
    .await;
    assert_eq!(outcome["status"], "accepted", "{outcome}");
    wait_for_events(&service_js, &events, 2).await;
    wait_caught_up(&env, "boards", ANSWER_WITHIN).await;
    assert!(
        futures::FutureExt::now_or_never(sniffed_events.next()).is_none(),
        "the client read an event"
    );
    assert!(
        futures::FutureExt::now_or_never(sniffed_replies.next()).is_none(),
        "the client read the service's replies"
    );

    boards.stop().await;
    relay.stop().await;
    handler.stop().await;
}

/// A command sent through JetStream over the client's connection, and its outcome, read
/// on `<ns>.result.<command_id>`.
async fn send_as_client(
    client: &async_nats::Client,
    env: &TestEnv,
    command_type: &str,
    payload: serde_json::Value,
) -> serde_json::Value {
    let command = envelope(command_type, payload);
    let id = Uuid::parse_str(command["command_id"].as_str().expect("id")).expect("uuid");
    let mut outcomes = client
        .subscribe(env.subjects.result(id))
        .await
        .expect("subscribe");
    jetstream::new(client.clone())
        .publish(
            env.subjects.command(command_type),
            serde_json::to_vec(&command).expect("json").into(),
        )
        .await
        .expect("publish")
        .await
        .expect("the commands stream acknowledges the client's command");
    let outcome = tokio::time::timeout(ANSWER_WITHIN, outcomes.next())
        .await
        .expect("an outcome in time")
        .expect("outcome");
    serde_json::from_slice(&outcome.payload).expect("outcome JSON")
}
