//! Roles started in-process on a test namespace, and a client that sends commands.
//!
//! Each role connects to PostgreSQL as `foresight-<role>@<ns>`, as the binary's roles do, so
//! a test can find (and terminate) one namespace's role connections and leave every other
//! test's alone; the test's own pool (`foresight@<ns>`) is not a role's.

use std::time::{Duration, Instant};

use async_nats::jetstream;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use bytes::Bytes;
use futures::StreamExt;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use testkit::TestEnv;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;
use uuid::Uuid;

pub const ANSWER_WITHIN: Duration = Duration::from_secs(20);

/// A role running in this process, stopped by `stop`.
pub struct Running {
    stop: watch::Sender<bool>,
    task: JoinHandle<anyhow::Result<()>>,
}

impl Running {
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .expect("the role stops in time")
            .expect("the role did not panic")
            .expect("the role ended cleanly");
    }

    /// Ends the role at its next await, as a crash would: nothing is finished, and its
    /// connections close as they are dropped. Returns once the task is gone.
    pub async fn abort(self) {
        self.task.abort();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
    }
}

fn stop_signal() -> (
    watch::Sender<bool>,
    impl Future<Output = ()> + Send + 'static,
) {
    let (stop, mut stopped) = watch::channel(false);
    (stop, async move {
        let _ = stopped.wait_for(|s| *s).await;
    })
}

/// A role's pool on the test namespace (already migrated), connecting as `foresight-<role>@<ns>`.
pub fn role_pool(env: &TestEnv, role: &str, max_connections: u32) -> sqlx::PgPool {
    let mut options = env.connect_options();
    options.set_role(role);
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_lazy_with(options.pg_options().expect("connect options"))
}

pub fn start_commands(env: &TestEnv, metrics: &telemetry::Metrics) -> Running {
    start_commands_with(env, metrics, commands::HandlerConfig::default())
}

pub fn start_commands_with(
    env: &TestEnv,
    metrics: &telemetry::Metrics,
    config: commands::HandlerConfig,
) -> Running {
    spawn_commands(env, &env.nats, metrics, config)
}

/// The command handler on a NATS connection of the test's choosing.
pub fn start_commands_on(
    env: &TestEnv,
    nats: &async_nats::Client,
    metrics: &telemetry::Metrics,
) -> Running {
    spawn_commands(env, nats, metrics, commands::HandlerConfig::default())
}

fn spawn_commands(
    env: &TestEnv,
    nats: &async_nats::Client,
    metrics: &telemetry::Metrics,
    config: commands::HandlerConfig,
) -> Running {
    let (stop, signal) = stop_signal();
    let pool = role_pool(env, "commands", 8);
    let ctx = commands::HandlerContext {
        notifier: store::Notifier::spawn(pool.clone(), &env.namespace),
        pool,
        nats: nats.clone(),
        subjects: env.subjects.clone(),
        metrics: metrics.commands.clone(),
        config,
    };
    Running {
        stop,
        task: tokio::spawn(commands::run(ctx, signal)),
    }
}

pub fn start_relay(env: &TestEnv, metrics: &telemetry::Metrics) -> Running {
    start_relay_on(env, &env.nats, metrics)
}

/// The relay on a NATS connection of the test's choosing.
pub fn start_relay_on(
    env: &TestEnv,
    nats: &async_nats::Client,
    metrics: &telemetry::Metrics,
) -> Running {
    let (stop, signal) = stop_signal();
    let mut connect = env.connect_options();
    connect.set_role("relay");
    let ctx = relay::RelayContext {
        connect,
        pool: role_pool(env, "relay", 2),
        nats: nats.clone(),
        subjects: env.subjects.clone(),
        metrics: metrics.relay.clone(),
        config: relay::RelayConfig {
            poll_interval: Duration::from_millis(200),
            ..Default::default()
        },
    };
    Running {
        stop,
        task: tokio::spawn(relay::run(ctx, signal)),
    }
}

/// The API role's lag monitor over `consumers`, measuring every 100 ms.
pub fn start_lag_monitor(
    env: &TestEnv,
    metrics: &telemetry::Metrics,
    consumers: &[&str],
) -> Running {
    let (stop, signal) = stop_signal();
    let monitor = consumer::LagMonitor {
        pool: env.pool.clone(),
        expected: consumers.iter().map(|c| (*c).to_owned()).collect(),
        consumers: metrics.consumers.clone(),
        relay: metrics.relay.clone(),
        database: metrics.database.clone(),
        interval: Duration::from_millis(100),
    };
    Running {
        stop,
        task: tokio::spawn(async move {
            monitor.run(signal).await;
            Ok(())
        }),
    }
}

pub fn envelope(command_type: &str, payload: Value) -> Value {
    json!({"command_id": Uuid::new_v4(), "type": command_type, "actor": "test", "payload": payload})
}

/// Publishes raw bytes on a command subject, acknowledged by JetStream.
pub async fn publish_raw(env: &TestEnv, command_type: &str, body: Vec<u8>) {
    jetstream::new(env.nats.clone())
        .publish(env.subjects.command(command_type), body.into())
        .await
        .expect("publish")
        .await
        .expect("stream ack");
}

/// Sends an envelope and returns its outcome.
pub async fn send_envelope(env: &TestEnv, envelope: &Value) -> Value {
    let id = Uuid::parse_str(envelope["command_id"].as_str().expect("id")).expect("uuid");
    let command_type = envelope["type"].as_str().expect("type");
    let mut answers = env
        .nats
        .subscribe(env.subjects.result(id))
        .await
        .expect("subscribe");
    publish_raw(
        env,
        command_type,
        serde_json::to_vec(envelope).expect("json"),
    )
    .await;
    let answer = tokio::time::timeout(ANSWER_WITHIN, answers.next())
        .await
        .expect("an outcome in time")
        .expect("answer");
    serde_json::from_slice(&answer.payload).expect("outcome JSON")
}

pub async fn send(env: &TestEnv, command_type: &str, payload: Value) -> Value {
    send_envelope(env, &envelope(command_type, payload)).await
}

pub async fn accepted(env: &TestEnv, command_type: &str, payload: Value) -> Value {
    let outcome = send(env, command_type, payload).await;
    assert_eq!(outcome["status"], "accepted", "{command_type}: {outcome}");
    outcome
}

pub fn rejection_code(outcome: &Value) -> &str {
    assert_eq!(outcome["status"], "rejected", "{outcome}");
    outcome["error"]["code"].as_str().expect("code")
}

/// A project with one member and one task, returning (project, member, task).
pub async fn project_with_task(env: &TestEnv) -> (Uuid, Uuid, Uuid) {
    let (project, member, task) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    accepted(env, "member.register", json!({"member_id": member, "name": "Ada", "skills": ["rust"], "capacity_hours_per_week": 30})).await;
    accepted(
        env,
        "project.create",
        json!({"project_id": project, "name": "Apollo", "start_date": "2026-01-05"}),
    )
    .await;
    accepted(
        env,
        "project.add_member",
        json!({"project_id": project, "member_id": member}),
    )
    .await;
    accepted(
        env,
        "task.create",
        json!({"task_id": task, "project_id": project, "title": "Design the log", "estimate_hours": 8,
               "priority": 2, "labels": ["backend"], "skills": ["rust"], "depends_on": []}),
    )
    .await;
    (project, member, task)
}

pub fn start_projection<P: consumer::Projection>(
    env: &TestEnv,
    metrics: &telemetry::Metrics,
    projection: P,
) -> Running {
    start_projection_with(env, metrics, projection, test_consumer_config())
}

/// What test consumers run with: lag measured every 200 ms.
fn test_consumer_config() -> consumer::ConsumerConfig {
    consumer::ConsumerConfig {
        lag_interval: Duration::from_millis(200),
        ..Default::default()
    }
}

pub fn start_projection_with<P: consumer::Projection>(
    env: &TestEnv,
    metrics: &telemetry::Metrics,
    projection: P,
    config: consumer::ConsumerConfig,
) -> Running {
    spawn_projection(env, &env.nats, metrics, projection, config)
}

/// A projection on a NATS connection of the test's choosing.
pub fn start_projection_on<P: consumer::Projection>(
    env: &TestEnv,
    nats: &async_nats::Client,
    metrics: &telemetry::Metrics,
    projection: P,
) -> Running {
    spawn_projection(env, nats, metrics, projection, test_consumer_config())
}

fn spawn_projection<P: consumer::Projection>(
    env: &TestEnv,
    nats: &async_nats::Client,
    metrics: &telemetry::Metrics,
    projection: P,
    config: consumer::ConsumerConfig,
) -> Running {
    let (stop, signal) = stop_signal();
    let ctx = consumer::ConsumerContext {
        connect: env.connect_options(),
        nats: nats.clone(),
        subjects: env.subjects.clone(),
        metrics: metrics.consumers.clone(),
        config,
    };
    Running {
        stop,
        task: tokio::spawn(consumer::run(ctx, projection, signal)),
    }
}

/// Waits until the consumer's checkpoint covers every event in the log.
pub async fn wait_caught_up(env: &TestEnv, consumer: &str, limit: Duration) {
    let deadline = std::time::Instant::now() + limit;
    loop {
        let checkpoint = store::load_checkpoint(&env.pool, consumer)
            .await
            .expect("checkpoint");
        let (behind, _) = store::lag_after(&env.pool, checkpoint).await.expect("lag");
        if behind == 0 && store::head_position(&env.pool).await.expect("head") > 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{consumer} is still {behind} events behind"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn count(env: &TestEnv, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&env.pool)
        .await
        .expect("count")
}

/// Messages the events stream holds now (none while it does not exist).
pub async fn stream_messages(env: &TestEnv) -> u64 {
    match env.js.get_stream(env.subjects.events_stream()).await {
        Ok(mut stream) => stream.info().await.expect("info").state.messages,
        Err(error) if error.to_string().contains("stream not found") => 0,
        Err(error) => panic!("the events stream: {error}"),
    }
}

/// Waits until the events stream holds exactly `expected` messages.
pub async fn wait_for_messages(env: &TestEnv, expected: u64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = stream_messages(env).await;
        if now >= expected {
            assert_eq!(now, expected, "more messages than events");
            return;
        }
        assert!(
            Instant::now() < deadline,
            "only {now} of {expected} events reached JetStream"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The query API over the test namespace's projections, ready.
pub async fn api_router(env: &TestEnv, metrics: &telemetry::Metrics) -> axum::Router {
    let options = api::ApiState::connect_options(env.connect_options());
    let pool = store::connect(&options).await.expect("api pool");
    api::ensure_projection_schemas(&pool, &env.namespace)
        .await
        .expect("projection schemas");
    let readiness = telemetry::Readiness::default();
    readiness.set_ready();
    api::router(api::ApiState::new(
        pool,
        env.namespace.clone(),
        metrics.clone(),
        readiness,
    ))
}

/// A GET through the router: status, headers and the body's bytes as sent.
pub async fn get_raw(router: &axum::Router, uri: &str) -> (StatusCode, HeaderMap, Bytes) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("body").to_bytes();
    (parts.status, parts.headers, bytes)
}

/// A GET through the router: status, `Foresight-Position`, content type, JSON body (null if none).
pub async fn get(router: &axum::Router, uri: &str) -> (StatusCode, Option<String>, String, Value) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let status = response.status();
    let position = response
        .headers()
        .get(api::POSITION_HEADER)
        .map(|v| v.to_str().expect("ascii").to_owned());
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, position, content_type, json)
}

/// Every row of a projection's live tables, for comparing it with a rebuild.
pub async fn dump<P: consumer::Projection>(env: &TestEnv, projection: &P) -> Value {
    use sqlx::Connection;
    let mut options = env.connect_options();
    options.schemas_first = vec![consumer::projection_schema(
        &env.namespace,
        projection.name(),
    )];
    let mut conn = sqlx::PgConnection::connect_with(&options.pg_options().expect("options"))
        .await
        .expect("connect");
    projection.dump(&mut conn).await.expect("dump")
}

/// Registers `count` members straight through the domain and the log (no broker): history
/// for a consumer to catch up on.
pub async fn register_members_in_log(env: &TestEnv, count: usize) {
    for i in 0..count {
        testkit::accept(
            &env.pool,
            "member.register",
            json!({"member_id": Uuid::new_v4(), "name": format!("m{i}"), "skills": [], "capacity_hours_per_week": 10}),
            None,
        )
        .await;
    }
}

/// A GET through the router whose body is text (`/metrics`): status and body.
pub async fn get_text(router: &axum::Router, uri: &str) -> (StatusCode, String) {
    let response = router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("answer");
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8(body.to_vec()).expect("UTF-8"))
}
