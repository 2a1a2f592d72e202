//! API5: what is not a read needs `admin`; `/metrics` needs `metrics` when so configured;
//! the probes and the API's description are open.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::world::*;

const WRITES: [Method; 4] = [Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

#[tokio::test]
async fn anything_but_a_read_needs_the_admin_scope() {
    let world = World::new().await;
    let api = world.api().await;
    let read_jwt = rs256(&claims("read", json!("*")));
    let admin_jwt = rs256(&claims("admin", json!("*")));
    for uri in [
        "/v1/projects".to_owned(),
        format!("/v1/projects/{}", world.a),
        format!("/v1/tasks/{}", world.task_a),
        "/healthz".to_owned(),
        "/v1/not-a-route".to_owned(),
    ] {
        for method in WRITES
            .iter()
            .cloned()
            .chain([Method::OPTIONS, Method::TRACE])
        {
            let what = format!("{method} {uri}");
            let anonymous = call(&api, request(method.clone(), &uri, None)).await;
            anonymous.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
            for reader in [READER_ALL, read_jwt.as_str()] {
                let answer = call(&api, request(method.clone(), &uri, Some(reader))).await;
                answer.assert_problem(StatusCode::FORBIDDEN, "forbidden");
                assert!(
                    answer
                        .header("www-authenticate")
                        .contains("insufficient_scope"),
                    "{what}"
                );
                assert!(
                    answer
                        .header("www-authenticate")
                        .contains("scope=\"admin\""),
                    "{what}"
                );
            }
            // Admin passes; the API is read-only, so the route has no such method.
            for admin in [ADMIN, admin_jwt.as_str()] {
                let answer = call(&api, request(method.clone(), &uri, Some(admin))).await;
                let expected = if uri.starts_with("/v1/not") {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::METHOD_NOT_ALLOWED
                };
                assert_eq!(answer.status, expected, "{what}: {}", answer.text);
                assert_eq!(
                    answer.header("content-type"),
                    "application/problem+json",
                    "{what}"
                );
            }
        }
    }
}

#[tokio::test]
async fn with_authentication_off_writes_are_still_no_method_here() {
    let world = World::new().await;
    let api = world
        .api_with(Default::default(), api::RequestLimits::default())
        .await;
    for method in WRITES {
        let answer = call(
            &api,
            request(method, &format!("/v1/projects/{}", world.a), None),
        )
        .await;
        answer.assert_problem(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        assert_eq!(answer.header("allow"), "GET,HEAD");
    }
    let read = get(&api, &format!("/v1/projects/{}", world.b), None).await;
    assert_eq!(
        read.status,
        StatusCode::OK,
        "off means every project, as before"
    );
}

#[tokio::test]
async fn metrics_need_their_scope_when_configured_so() {
    let world = World::new().await;
    let api = world.api().await;
    get(&api, "/metrics", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    get(&api, "/metrics", Some(READER_ALL))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    for bearer in [METRICS, ADMIN] {
        let answer = get(&api, "/metrics", Some(bearer)).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert!(answer.text.contains("foresight_"), "{}", answer.text);
    }
    // The scraper's token reads no project.
    let project = get(&api, &format!("/v1/projects/{}", world.a), Some(METRICS)).await;
    project.assert_problem(StatusCode::FORBIDDEN, "forbidden");

    // A process that serves no API keeps the same rule for its `/metrics`.
    let ops = api::ops_router(
        telemetry::Metrics::new(),
        telemetry::Readiness::default(),
        api::auth::Authenticator::new(world.auth_config()).expect("valid"),
    );
    get(&ops, "/metrics", None)
        .await
        .assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    get(&ops, "/metrics", Some(READER_ALL))
        .await
        .assert_problem(StatusCode::FORBIDDEN, "forbidden");
    assert_eq!(
        get(&ops, "/metrics", Some(METRICS)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&ops, "/healthz", None)
            .await
            .header("x-content-type-options"),
        "nosniff"
    );

    let mut open = world.auth_config();
    open.metrics = api::auth::MetricsAccess::Open;
    let api = world.api_with(open, api::RequestLimits::default()).await;
    assert_eq!(get(&api, "/metrics", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn probes_and_the_description_are_open_and_nothing_else_is() {
    let world = World::new().await;
    let api = world.api().await;
    for uri in ["/healthz", "/readyz", "/openapi.json"] {
        let answer = get(&api, uri, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text);
    }
    let doc = get(&api, "/openapi.json", None).await.body;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let uri = path.replace("{id}", &world.a.to_string());
        let open = item["get"]["security"] == json!([{}]);
        let answer = get(&api, &uri, None).await;
        if open {
            assert_eq!(answer.status, StatusCode::OK, "{path}");
        } else {
            answer.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
        }
    }
}
