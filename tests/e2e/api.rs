//! The query API over live projections: read-your-writes, errors as problem+json, the
//! OpenAPI document.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::json;
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

async fn api(env: &TestEnv, metrics: &telemetry::Metrics) -> axum::Router {
    api_router(env, metrics).await
}

#[tokio::test]
async fn a_client_reads_its_own_writes_through_the_api() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let relay = start_relay(&env, &metrics);
    let boards = start_projection(&env, &metrics, boards::Boards);
    let router = api(&env, &metrics).await;

    let (project, member, task) = project_with_task(&env).await;
    let started = accepted(
        &env,
        "task.assign",
        json!({"task_id": task, "member_id": member}),
    )
    .await;
    let position = started["positions"][0].as_i64().expect("position");

    let (status, header, _, board) = get(
        &router,
        &format!("/v1/projects/{project}/board?min_position={position}&wait_ms=10000"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert!(
        header
            .expect("Foresight-Position")
            .parse::<i64>()
            .expect("a number")
            >= position
    );
    assert_eq!(board["project_id"], json!(project));
    let columns: Vec<&str> = board["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["key"].as_str().expect("key"))
        .collect();
    assert_eq!(columns, ["todo", "in_progress", "blocked", "done"]);
    let card = &board["columns"][0]["tasks"][0];
    assert_eq!(card["task_id"], json!(task));
    assert_eq!(card["assignee"], json!(member));

    let (status, _, _, view) = get(
        &router,
        &format!("/v1/tasks/{task}?min_position={position}&wait_ms=5000"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(view["status"], "todo");

    let (status, _, _, outcome) = get(
        &router,
        &format!(
            "/v1/commands/{}",
            started["command_id"].as_str().expect("id")
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(outcome, started);

    // A position the projection cannot reach in time: 503, named.
    let (status, _, content_type, problem) = get(
        &router,
        &format!(
            "/v1/projects/{project}/board?min_position={}&wait_ms=50",
            position + 1_000_000
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(problem["code"], "not_yet_consistent");

    boards.stop().await;
    relay.stop().await;
    handler.stop().await;
}

#[tokio::test]
async fn bad_requests_are_named_and_unknown_ids_are_404() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let router = api(&env, &metrics).await;

    let (status, _, content_type, problem) = get(&router, "/v1/projects/not-a-uuid/board").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(problem["parameter"], "id");

    let (status, _, _, problem) = get(&router, "/v1/projects?limit=100000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["parameter"], "limit");

    let (status, _, _, problem) = get(
        &router,
        &format!("/v1/tasks/{}?wait_ms=abc", Uuid::new_v4()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["parameter"], "wait_ms");

    let (status, _, _, problem) = get(
        &router,
        &format!("/v1/tasks/{}?colour=blue", Uuid::new_v4()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(problem["parameter"], "colour");

    for uri in [
        format!("/v1/projects/{}", Uuid::new_v4()),
        format!("/v1/projects/{}/board", Uuid::new_v4()),
        format!("/v1/tasks/{}", Uuid::new_v4()),
        format!("/v1/members/{}", Uuid::new_v4()),
        format!("/v1/members/{}/work", Uuid::new_v4()),
        format!("/v1/commands/{}", Uuid::new_v4()),
    ] {
        let (status, position, content_type, problem) = get(&router, &uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(content_type, "application/problem+json", "{uri}");
        assert_eq!(problem["status"], 404, "{uri}");
        assert!(position.is_none() || status == StatusCode::NOT_FOUND);
    }

    let (status, _, _, _) = get(&router, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _, _) = get(&router, "/nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let router = api(&env, &metrics).await;
    let (status, _, _, document) = get(&router, "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let paths = document["paths"].as_object().expect("paths");
    for route in [
        "/v1/projects",
        "/v1/projects/{id}",
        "/v1/projects/{id}/board",
        "/v1/projects/{id}/schedule",
        "/v1/projects/{id}/analytics",
        "/v1/members/{id}",
        "/v1/members/{id}/schedule",
        "/v1/members/{id}/work",
        "/v1/tasks/{id}",
        "/v1/commands/{id}",
    ] {
        assert!(
            paths.contains_key(route),
            "{route} is missing from the OpenAPI document"
        );
    }
    let _ = Duration::ZERO;
}
