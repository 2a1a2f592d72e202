//! API8: hardened answers: security headers on every one, no CORS, every error as
//! problem+json with nothing of the server's insides.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::Value;

use crate::world::*;

const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    (
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    ),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
];

#[tokio::test]
async fn every_answer_carries_the_security_headers_and_no_cors() {
    let world = World::new().await;
    let api = world.api().await;
    let a = world.a;
    let answers = [
        get(&api, &format!("/v1/projects/{a}"), Some(READER_A)).await,
        get(&api, &format!("/v1/projects/{}", world.b), Some(READER_A)).await,
        get(&api, "/v1/projects", None).await,
        get(&api, "/healthz", None).await,
        get(&api, "/openapi.json", None).await,
        call(
            &api,
            request(Method::DELETE, "/v1/projects", Some(READER_A)),
        )
        .await,
    ];
    for answer in &answers {
        for (name, value) in SECURITY_HEADERS {
            assert_eq!(answer.header(name), value, "{name} on a {}", answer.status);
        }
        assert_eq!(answer.header("server"), "", "no server banner");
    }
    // A browser's cross-origin read and its preflight get no CORS grant.
    for method in [Method::GET, Method::OPTIONS] {
        let request = Request::builder()
            .method(method.clone())
            .uri(format!("/v1/projects/{a}"))
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "GET")
            .header("authorization", format!("Bearer {READER_A}"))
            .body(Body::empty())
            .expect("request");
        let answer = call(&api, request).await;
        let cors: Vec<_> = answer
            .headers
            .keys()
            .filter(|k| k.as_str().starts_with("access-control-"))
            .collect();
        assert!(cors.is_empty(), "{method}: {cors:?}");
    }
}

#[tokio::test]
async fn every_error_is_problem_json() {
    let world = World::new().await;
    let api = world.api().await;
    let bearer = Some(READER_ALL);
    get(&api, "/v1/nothing", bearer)
        .await
        .assert_problem(StatusCode::NOT_FOUND, "not_found");
    get(&api, "/v1/tasks/not-a-uuid", bearer)
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "invalid_parameter");
    // Rejected by the framework itself (a path that is not UTF-8), still problem+json.
    get(&api, "/v1/tasks/%FF", bearer)
        .await
        .assert_problem(StatusCode::BAD_REQUEST, "bad_request");
    call(&api, request(Method::PUT, "/v1/projects", Some(ADMIN)))
        .await
        .assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    get(&api, "/v1/projects", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

#[tokio::test]
async fn a_failure_inside_tells_the_client_nothing_of_it() {
    let world = World::new().await;
    let api = world.api().await;
    // Break the boards projection under the API: its queries now fail in PostgreSQL.
    let schema = format!("{}__boards", world.env.namespace);
    sqlx::query(&format!("DROP TABLE \"{schema}\".boards_tasks CASCADE"))
        .execute(&world.env.pool)
        .await
        .expect("drop");
    let answer = get(
        &api,
        &format!("/v1/tasks/{}", world.task_a),
        Some(READER_ALL),
    )
    .await;
    answer.assert_problem(StatusCode::INTERNAL_SERVER_ERROR, "internal");
    let fields: Vec<&String> = answer.body.as_object().expect("object").keys().collect();
    assert_eq!(
        fields,
        ["code", "status", "title", "type"],
        "{}",
        answer.text
    );
    for inside in [
        "boards_tasks",
        "relation",
        "sqlx",
        "postgres",
        "panicked",
        ".rs",
    ] {
        assert!(
            !answer.text.to_lowercase().contains(inside),
            "{inside}: {}",
            answer.text
        );
    }
    assert_eq!(answer.body["type"], Value::from("about:blank"));
}
