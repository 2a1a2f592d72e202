//! API4: what one request may cost is bounded: page size, wait, body, URI, and how many run
//! at once.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::json;

use crate::world::*;

#[tokio::test]
async fn page_size_and_wait_are_bounded() {
    let world = World::new().await;
    let api = world.api().await;
    for (uri, parameter) in [
        ("/v1/projects?limit=501", "limit"),
        ("/v1/projects?limit=0", "limit"),
        ("/v1/projects?limit=-1", "limit"),
        ("/v1/projects?limit=99999999999999999999", "limit"),
        ("/v1/projects?min_position=1&wait_ms=10001", "wait_ms"),
        ("/v1/projects?min_position=-1", "min_position"),
    ] {
        let answer = get(&api, uri, Some(READER_ALL)).await;
        answer.assert_problem(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(answer.body["parameter"], parameter, "{uri}");
    }
    let largest = get(&api, "/v1/projects?limit=500", Some(READER_ALL)).await;
    assert_eq!(largest.status, StatusCode::OK, "{}", largest.text);
}

#[tokio::test]
async fn bodies_and_uris_are_bounded() {
    let world = World::new().await;
    let limits = api::RequestLimits::default();
    let api = world.api().await;
    let uri = format!("/v1/projects/{}", world.a);

    let big = vec![b'x'; limits.max_body_bytes as usize + 1];
    let request = Request::get(&uri)
        .header("authorization", format!("Bearer {READER_ALL}"))
        .header("content-length", big.len())
        .body(Body::from(big))
        .expect("request");
    call(&api, request)
        .await
        .assert_problem(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");

    // A body of unknown length: refused before anything reads it.
    let chunks = (0..4).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 1024]));
    let stream = Body::from_stream(futures::stream::iter(chunks));
    let request = Request::get(&uri)
        .header("authorization", format!("Bearer {READER_ALL}"))
        .header("transfer-encoding", "chunked")
        .body(stream)
        .expect("request");
    call(&api, request)
        .await
        .assert_problem(StatusCode::LENGTH_REQUIRED, "length_required");

    let long = format!("{uri}?as_of={}", "9".repeat(limits.max_uri_bytes));
    get(&api, &long, Some(READER_ALL))
        .await
        .assert_problem(StatusCode::URI_TOO_LONG, "uri_too_long");

    // The limits hold before authentication: no token is needed to be refused cheaply.
    let long_anonymous = get(&api, &long, None).await;
    long_anonymous.assert_problem(StatusCode::URI_TOO_LONG, "uri_too_long");
    // A small body is harmless and ignored.
    let request = Request::get(&uri)
        .header("authorization", format!("Bearer {READER_ALL}"))
        .body(Body::from("{}"))
        .expect("request");
    assert_eq!(call(&api, request).await.status, StatusCode::OK);
}

#[tokio::test]
async fn requests_beyond_the_in_flight_bound_are_turned_away_at_once() {
    let world = World::new().await;
    let limits = api::RequestLimits {
        max_in_flight: 1,
        ..api::RequestLimits::default()
    };
    let api = world.api_with(world.auth_config(), limits).await;
    // An event the projections have not seen: a read asking for it waits (up to 10 s),
    // holding the one permit.
    let outcome = testkit::accept(
        &world.env.pool,
        "project.rename",
        json!({"project_id": world.a, "name": "Artemis"}),
        None,
    )
    .await;
    let position = outcome["positions"][0].as_i64().expect("position");
    let waiting_api = api.clone();
    let waiting = tokio::spawn(async move {
        get(
            &waiting_api,
            &format!("/v1/projects?min_position={position}&wait_ms=10000"),
            Some(READER_ALL),
        )
        .await
    });
    // One thread: the waiting read runs up to its wait, permit taken, before the loop starts.
    tokio::task::yield_now().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(8);
    let turned_away = loop {
        let answer = get(&api, "/v1/projects", Some(READER_ALL)).await;
        if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            break answer;
        }
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert!(
            !waiting.is_finished(),
            "the waiting read ended before the bound was seen"
        );
        assert!(
            tokio::time::Instant::now() < deadline,
            "the bound never applied"
        );
        tokio::task::yield_now().await;
    };
    turned_away.assert_problem(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
    assert_eq!(turned_away.header("retry-after"), "1");
    // Probes are never turned away.
    assert_eq!(get(&api, "/healthz", None).await.status, StatusCode::OK);
    waiting.abort();
}
