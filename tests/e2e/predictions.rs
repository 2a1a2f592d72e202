//! Predictions end to end: the feature worker and the prediction worker on a live log; the
//! forecasts, risks, recommendations and project forecast reach the API; a promoted model is
//! picked up without a restart and the open tasks are predicted again with it.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use chrono::{Duration as Span, Utc};
use serde_json::{Value, json};
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

struct Plan {
    project: Uuid,
    started: Uuid,
    unassigned: Uuid,
    done: Uuid,
}

/// A project with history: a member who finished a task late, one in progress with a due
/// date, and one nobody has taken yet.
async fn project_with_history(env: &TestEnv) -> Plan {
    let now = Utc::now();
    let at = |days: i64| Some(now - Span::days(days));
    let (project, milestone) = (Uuid::new_v4(), Uuid::new_v4());
    let (ada, bob) = (Uuid::new_v4(), Uuid::new_v4());
    let (done, started, unassigned) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let pool = &env.pool;
    testkit::accept(
        pool,
        "member.register",
        json!({"member_id": ada, "name": "Ada", "skills": ["rust"], "capacity_hours_per_week": 30}),
        at(30),
    )
    .await;
    testkit::accept(
        pool,
        "member.register",
        json!({"member_id": bob, "name": "Bob", "skills": ["sql"], "capacity_hours_per_week": 40}),
        at(30),
    )
    .await;
    testkit::accept(pool, "project.create", json!({"project_id": project, "name": "Apollo", "start_date": (now - Span::days(30)).date_naive(), "deadline": (now + Span::days(40)).date_naive()}), at(30)).await;
    testkit::accept(pool, "project.add_milestone", json!({"project_id": project, "milestone_id": milestone, "name": "Beta", "due_date": (now + Span::days(20)).date_naive()}), at(30)).await;
    for member in [ada, bob] {
        testkit::accept(
            pool,
            "project.add_member",
            json!({"project_id": project, "member_id": member}),
            at(30),
        )
        .await;
    }
    for (task, title, due) in [
        (done, "Schema", 25),
        (started, "Relay", -5),
        (unassigned, "Metrics", -10),
    ] {
        testkit::accept(pool, "task.create", json!({"task_id": task, "project_id": project, "title": title,
            "estimate_hours": 16, "priority": 2, "labels": ["backend"], "skills": ["rust"], "milestone_id": milestone,
            "due_date": now - Span::days(due), "depends_on": []}), at(29)).await;
    }
    testkit::accept(
        pool,
        "task.assign",
        json!({"task_id": done, "member_id": ada}),
        at(28),
    )
    .await;
    testkit::accept(pool, "task.start", json!({"task_id": done}), at(28)).await;
    testkit::accept(pool, "task.complete", json!({"task_id": done}), at(24)).await;
    testkit::accept(
        pool,
        "task.assign",
        json!({"task_id": started, "member_id": ada}),
        at(3),
    )
    .await;
    testkit::accept(pool, "task.start", json!({"task_id": started}), at(2)).await;
    Plan {
        project,
        started,
        unassigned,
        done,
    }
}

async fn predictor_context(
    env: &TestEnv,
    metrics: &telemetry::Metrics,
) -> predictor::worker::PredictorContext {
    let pool = features::store::connect(env.connect_options())
        .await
        .expect("feature store pool");
    predictor::worker::PredictorContext {
        pool: env.pool.clone(),
        features: pool,
        nats: Some(env.nats.clone()),
        subjects: env.subjects.clone(),
        metrics: metrics.predictions.clone(),
        config: predictor::worker::PredictorConfig {
            poll: Duration::from_millis(100),
            runs: 200,
            ..Default::default()
        },
    }
}

/// Prediction events of `event_type` in the log, as payloads.
async fn predictions(env: &TestEnv, event_type: &str) -> Vec<Value> {
    sqlx::query_scalar("SELECT payload FROM events WHERE event_type = $1 ORDER BY global_position")
        .bind(event_type)
        .fetch_all(&env.pool)
        .await
        .expect("read predictions")
}

async fn wait_for(env: &TestEnv, what: &str, check: impl AsyncFn(&TestEnv) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(40);
    while !check(env).await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn open_tasks_are_predicted_and_the_predictions_reach_the_api() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let plan = project_with_history(&env).await;
    let relay = start_relay(&env, &metrics);
    let feature_worker = start_projection(
        &env,
        &metrics,
        features::FeatureWorker::new(Some(env.nats.clone()), env.subjects.clone()),
    );
    let boards = start_projection(&env, &metrics, boards::Boards);
    let schedules = start_projection(&env, &metrics, schedules::Schedules);
    let context = predictor_context(&env, &metrics).await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(predictor::worker::run(context, async move {
        let mut stopped = stopped;
        let _ = stopped.wait_for(|s| *s).await;
    }));

    wait_for(&env, "a project forecast", async |env| {
        !predictions(env, "prediction.project_forecasted")
            .await
            .is_empty()
    })
    .await;
    let forecasts = predictions(&env, "prediction.task_forecasted").await;
    let forecast_of = |task: Uuid| {
        forecasts
            .iter()
            .rev()
            .find(|f| f["task_id"] == json!(task))
            .cloned()
    };
    let started = forecast_of(plan.started).expect("the task in progress has a forecast");
    assert_eq!(started["model_version"], "baseline", "no model trained yet");
    let (p50, p90) = (
        started["duration_hours_p50"].as_f64().unwrap(),
        started["duration_hours_p90"].as_f64().unwrap(),
    );
    assert!(p50 > 0.0 && p90 >= p50, "{started}");
    assert!(forecast_of(plan.unassigned).is_some());
    assert!(
        forecast_of(plan.done).is_none(),
        "a done task is not predicted"
    );

    let risks = predictions(&env, "prediction.task_risk_assessed").await;
    let risk = risks
        .iter()
        .find(|r| r["task_id"] == json!(plan.started))
        .expect("a risk");
    let probability = risk["late_probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&probability), "{risk}");
    let recommendations = predictions(&env, "prediction.assignment_recommended").await;
    let recommendation = recommendations
        .iter()
        .find(|r| r["task_id"] == json!(plan.unassigned))
        .expect("the unassigned task gets a recommendation");
    let candidates = recommendation["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 2, "both project members, best first");
    // Best first: the fewest hours past due dates caused, then the earliest finish.
    let rank = |c: &Value| {
        (
            c["expected_hours_late"]
                .as_f64()
                .expect("expected_hours_late"),
            c["expected_finish"]
                .as_str()
                .expect("expected_finish")
                .to_owned(),
        )
    };
    let (first, second) = (rank(&candidates[0]), rank(&candidates[1]));
    assert!(first.0 >= 0.0, "{recommendation}");
    assert!(
        first.0 < second.0 || (first.0 == second.0 && first.1 <= second.1),
        "{recommendation}"
    );

    // The API shows them: the task's forecast and risk, the card's risk, the project forecast.
    wait_caught_up(&env, "boards", Duration::from_secs(20)).await;
    wait_caught_up(&env, "schedules", Duration::from_secs(20)).await;
    let router = api_router(&env, &metrics).await;
    let (status, _, _, task) = get(&router, &format!("/v1/tasks/{}", plan.started)).await;
    assert_eq!(status, StatusCode::OK, "{task}");
    assert!(
        task["forecast"]["duration_hours_p50"].as_f64().is_some(),
        "{task}"
    );
    assert!(
        task["forecast"]["expected_finish_p90"].is_string(),
        "{task}"
    );
    assert!(
        task["risk"]["late_probability"].as_f64().is_some(),
        "{task}"
    );
    let (status, _, _, unassigned) = get(&router, &format!("/v1/tasks/{}", plan.unassigned)).await;
    assert_eq!(status, StatusCode::OK, "{unassigned}");
    let shown = &unassigned["recommended_assignees"]["candidates"];
    let made = predictions(&env, "prediction.assignment_recommended").await;
    assert!(
        made.iter()
            .any(|r| r["task_id"] == json!(plan.unassigned) && &r["candidates"] == shown),
        "the unassigned task shows a recommendation the worker made: {unassigned}"
    );
    assert!(
        task["recommended_assignees"].is_null(),
        "an assigned task shows none: {task}"
    );
    let (status, _, _, forecast) =
        get(&router, &format!("/v1/projects/{}/forecast", plan.project)).await;
    assert_eq!(status, StatusCode::OK, "{forecast}");
    for key in ["p50", "p85", "p95", "health"] {
        assert!(forecast[key].is_string(), "{key} in {forecast}");
    }
    assert!(forecast["p50"].as_str() <= forecast["p95"].as_str());
    assert_eq!(forecast["milestones"].as_array().map(Vec::len), Some(1));
    let (_, _, _, board) = get(&router, &format!("/v1/projects/{}/board", plan.project)).await;
    let card = board["columns"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["tasks"].as_array().unwrap())
        .find(|t| t["task_id"] == json!(plan.started))
        .cloned()
        .expect("the card");
    assert!(card["risk"].as_f64().is_some(), "{card}");

    // A promoted model is loaded without a restart and every open task is predicted again.
    predictor::registry::ensure_registry(&env.pool)
        .await
        .expect("registry");
    let names = features::FEATURE_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let model = predictor::FittedModel::baseline(names, features::schema_hash()).expect("model");
    let version = predictor::registry::register(
        &env.pool,
        &predictor::registry::NewModel {
            model: &model,
            metrics: json!({}),
            parameters: json!({}),
            training_position: 0,
        },
    )
    .await
    .expect("register");
    predictor::registry::promote(&env.pool, version)
        .await
        .expect("promote");
    wait_for(&env, "forecasts by the promoted model", async |env| {
        let forecasts = predictions(env, "prediction.task_forecasted").await;
        [plan.started, plan.unassigned].iter().all(|task| {
            forecasts.iter().any(|f| {
                f["task_id"] == json!(task) && f["model_version"] == json!(version.to_string())
            })
        })
    })
    .await;
    assert_eq!(
        metrics.predictions.model_version.get(),
        version,
        "the active version is exported"
    );

    let _ = stop.send(true);
    worker
        .await
        .expect("worker")
        .expect("worker stopped cleanly");
    for role in [relay, feature_worker, boards, schedules] {
        role.stop().await;
    }
}

#[tokio::test]
async fn a_restarted_worker_emits_nothing_it_said_before() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    project_with_history(&env).await;
    let relay = start_relay(&env, &metrics);
    let feature_worker = start_projection(
        &env,
        &metrics,
        features::FeatureWorker::new(Some(env.nats.clone()), env.subjects.clone()),
    );
    wait_caught_up(&env, "features", Duration::from_secs(30)).await;
    let context = predictor_context(&env, &metrics).await;
    let mut first = predictor::worker::Predictor::start(&context)
        .await
        .expect("start");
    let step = first.step(&context).await.expect("step");
    assert!(
        step.emitted >= 3,
        "forecasts, a risk, a recommendation: {step:?}"
    );
    let before = count(
        &env,
        "SELECT count(*) FROM events WHERE event_type LIKE 'prediction.%'",
    )
    .await;

    // A second worker reads what was said from the log and says nothing new.
    let mut second = predictor::worker::Predictor::start(&context)
        .await
        .expect("restart");
    let again = second.step(&context).await.expect("step");
    assert_eq!(again.emitted, 0, "{again:?}");
    assert_eq!(
        count(
            &env,
            "SELECT count(*) FROM events WHERE event_type LIKE 'prediction.%'"
        )
        .await,
        before
    );
    relay.stop().await;
    feature_worker.stop().await;
}

#[tokio::test]
async fn only_one_model_is_active_and_promotion_retires_the_one_before() {
    let env = TestEnv::new().await;
    predictor::registry::ensure_registry(&env.pool)
        .await
        .expect("registry");
    predictor::registry::ensure_registry(&env.pool)
        .await
        .expect("registry twice");
    let names: Vec<String> = features::FEATURE_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let model = predictor::FittedModel::baseline(names, features::schema_hash()).expect("model");
    let new = predictor::registry::NewModel {
        model: &model,
        metrics: json!({"chosen": {"mae_hours": 3.0}}),
        parameters: json!({}),
        training_position: 7,
    };
    let first = predictor::registry::register(&env.pool, &new)
        .await
        .expect("register");
    let second = predictor::registry::register(&env.pool, &new)
        .await
        .expect("register");
    assert_eq!(
        predictor::registry::active_version(&env.pool)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        predictor::registry::promote(&env.pool, first)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        predictor::registry::promote(&env.pool, second)
            .await
            .unwrap(),
        Some(first)
    );
    let entries = predictor::registry::list(&env.pool).await.expect("list");
    let status = |v: i64| {
        entries
            .iter()
            .find(|e| e.version == v)
            .map(|e| e.status.clone())
    };
    assert_eq!(status(first).as_deref(), Some("retired"));
    assert_eq!(status(second).as_deref(), Some("active"));
    let (version, loaded) = predictor::registry::load_active(&env.pool, &features::schema_hash())
        .await
        .expect("load")
        .expect("an active model");
    assert_eq!(version, second);
    assert_eq!(loaded.describe(), model.describe());

    // A model trained on another feature schema is refused, not used.
    assert!(
        predictor::registry::load_active(&env.pool, "another-schema")
            .await
            .is_err()
    );
    // A damaged model is refused too.
    sqlx::query("UPDATE models SET model = model || '\\x00'::bytea WHERE version = $1")
        .bind(second)
        .execute(&env.pool)
        .await
        .expect("damage");
    let refused = predictor::registry::load_active(&env.pool, &features::schema_hash()).await;
    assert!(format!("{:?}", refused.err()).contains("checksum"));
}
