//! The feature worker against the real log: what it stores for a small project, a rebuild, and
//! a batch whose transaction rolled back coming again.

mod rebuild;
mod stored;

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use features::FeatureWorker;
use serde_json::json;
use sqlx::PgPool;
use testkit::TestEnv;
use tokio::sync::oneshot;
use uuid::Uuid;

/// The ids of the small project every test builds.
struct World {
    project: Uuid,
    milestone: Uuid,
    /// In the project: rust, 40 hours a week.
    ada: Uuid,
    /// In the project: python, 20 hours a week.
    bob: Uuid,
    /// Registered, in no project.
    cy: Uuid,
    /// Assigned to Ada, started and completed 10 hours later.
    done: Uuid,
    /// Depends on `done`; assigned to Ada and started.
    started: Uuid,
    /// Assigned to Bob, not started.
    queued: Uuid,
    /// Nobody's.
    unassigned: Uuid,
}

/// Monday 5 January 2026, 09:00 UTC, plus `hours`.
fn at(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap() + chrono::Duration::hours(hours)
}

async fn send(env: &TestEnv, command_type: &str, payload: serde_json::Value, hours: i64) {
    testkit::accept(&env.pool, command_type, payload, Some(at(hours))).await;
}

/// Writes the world's history to the log, without the broker.
async fn build_world(env: &TestEnv) -> World {
    let w = World {
        project: Uuid::new_v4(),
        milestone: Uuid::new_v4(),
        ada: Uuid::new_v4(),
        bob: Uuid::new_v4(),
        cy: Uuid::new_v4(),
        done: Uuid::new_v4(),
        started: Uuid::new_v4(),
        queued: Uuid::new_v4(),
        unassigned: Uuid::new_v4(),
    };
    for (member, name, skill, capacity) in [
        (w.ada, "Ada", "rust", 40),
        (w.bob, "Bob", "python", 20),
        (w.cy, "Cy", "sql", 30),
    ] {
        send(
            env,
            "member.register",
            json!({"member_id": member, "name": name, "skills": [skill], "capacity_hours_per_week": capacity}),
            0,
        )
        .await;
    }
    send(
        env,
        "project.create",
        json!({"project_id": w.project, "name": "Apollo", "start_date": "2026-01-05", "deadline": "2026-03-31"}),
        0,
    )
    .await;
    send(
        env,
        "project.add_milestone",
        json!({"project_id": w.project, "milestone_id": w.milestone, "name": "Beta", "due_date": "2026-02-16"}),
        0,
    )
    .await;
    for member in [w.ada, w.bob] {
        send(
            env,
            "project.add_member",
            json!({"project_id": w.project, "member_id": member}),
            0,
        )
        .await;
    }
    let tasks = [
        (w.done, 8, vec![], Some(w.milestone)),
        (w.started, 16, vec![w.done], Some(w.milestone)),
        (w.queued, 4, vec![], None),
        (w.unassigned, 6, vec![], None),
    ];
    for (task, estimate, depends_on, milestone) in tasks {
        send(
            env,
            "task.create",
            json!({"task_id": task, "project_id": w.project, "title": "Build it", "estimate_hours": estimate,
                   "priority": 2, "labels": ["backend"], "skills": ["rust"], "milestone_id": milestone,
                   "due_date": at(24 * 7), "depends_on": depends_on}),
            1,
        )
        .await;
    }
    for (task, member) in [(w.done, w.ada), (w.started, w.ada), (w.queued, w.bob)] {
        send(
            env,
            "task.assign",
            json!({"task_id": task, "member_id": member}),
            2,
        )
        .await;
    }
    send(env, "task.start", json!({"task_id": w.done}), 3).await;
    send(env, "task.complete", json!({"task_id": w.done}), 13).await;
    // The next business day: every open task is computed again.
    send(env, "task.start", json!({"task_id": w.started}), 26).await;
    w
}

/// A pool whose search path starts with the feature store, as the prediction worker's does.
async fn features_pool(env: &TestEnv) -> PgPool {
    let mut options = env.connect_options();
    options.schemas_first = vec![consumer::projection_schema(&env.namespace, "features")];
    store::connect(&options)
        .await
        .expect("connecting to the feature store")
}

fn stop_signal() -> (oneshot::Sender<()>, impl Future<Output = ()>) {
    let (stop, stopped) = oneshot::channel::<()>();
    (stop, async move {
        let _ = stopped.await;
    })
}

/// Runs the feature worker until its checkpoint reaches the log's last event.
async fn run_until_caught_up(env: &TestEnv, worker: FeatureWorker) {
    let metrics = telemetry::Metrics::new();
    let ctx = consumer::ConsumerContext {
        connect: env.connect_options(),
        nats: env.nats.clone(),
        subjects: env.subjects.clone(),
        metrics: metrics.consumers.clone(),
        config: consumer::ConsumerConfig::default(),
    };
    let (stop, signal) = stop_signal();
    let running = tokio::spawn(consumer::run(ctx, worker, signal));
    let head = store::head_position(&env.pool).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let checkpoint = store::load_checkpoint(&env.pool, "features").await.unwrap();
        if checkpoint.global_position >= head {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the feature worker is still at {checkpoint:?}, the log at {head}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop.send(());
    running.await.unwrap().unwrap();
}

/// The store's rows, read through the worker's own dump.
async fn dump(env: &TestEnv, pool: &PgPool) -> serde_json::Value {
    use consumer::Projection as _;
    let worker = FeatureWorker::new(None, env.subjects.clone());
    let mut conn = pool.acquire().await.unwrap();
    worker.dump(&mut conn).await.unwrap()
}
