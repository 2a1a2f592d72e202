//! `pub fn router(state) -> Router`: every route, the ops endpoints, and the layers every
//! request passes; `ops_router` for processes that serve no API.

pub(crate) mod commands;
pub(crate) mod members;
pub(crate) mod projects;
pub(crate) mod tasks;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use serde::Serialize;

use crate::{ApiState, POSITION_HEADER, http_metrics};

pub fn router(state: ApiState) -> Router {
    let api = Router::new()
        .route("/v1/projects", get(projects::list))
        .route("/v1/projects/{id}", get(projects::one))
        .route("/v1/projects/{id}/board", get(projects::board))
        .route("/v1/projects/{id}/schedule", get(projects::schedule))
        .route("/v1/projects/{id}/analytics", get(projects::analytics))
        .route("/v1/projects/{id}/forecast", get(projects::forecast))
        .route("/v1/members/{id}", get(members::one))
        .route("/v1/members/{id}/schedule", get(members::schedule))
        .route("/v1/members/{id}/work", get(members::work))
        .route("/v1/tasks/{id}", get(tasks::one))
        .route("/v1/commands/{id}", get(commands::one))
        .route("/openapi.json", get(openapi_document))
        .with_state(state.clone());
    let ops = telemetry::ops_router(state.metrics.clone(), state.readiness.clone());
    // The last layer added runs first: metrics see every answer, refusals included; the
    // size and in-flight bounds come before any token is checked; errors of the framework
    // become problem+json; every answer gets the security headers.
    api.merge(ops)
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.auth.clone(),
            crate::auth::layer::authorize,
        ))
        .layer(axum::middleware::from_fn(
            crate::error::problem_for_every_error,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::limits::bound,
        ))
        .layer(axum::middleware::from_fn(crate::security_headers::add))
        .layer(axum::middleware::from_fn_with_state(
            state,
            http_metrics::track,
        ))
}

/// `/healthz`, `/readyz` and `/metrics` for a process that does not serve the API: the
/// same rule for `/metrics`, the same headers.
pub fn ops_router(
    metrics: telemetry::Metrics,
    readiness: telemetry::Readiness,
    auth: crate::auth::Authenticator,
) -> Router {
    telemetry::ops_router(metrics, readiness)
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(auth),
            crate::auth::layer::authorize,
        ))
        .layer(axum::middleware::from_fn(
            crate::error::problem_for_every_error,
        ))
        .layer(axum::middleware::from_fn(crate::security_headers::add))
}

async fn openapi_document() -> Response {
    axum::Json(crate::openapi()).into_response()
}

async fn not_found() -> crate::ApiError {
    crate::ApiError::NotFound {
        what: "route",
        id: "(this path)".into(),
    }
}

/// A JSON answer with the position it reflects.
pub(crate) fn answer<T: Serialize>(position: i64, body: &T) -> Response {
    match crate::json_body::to_vec(body) {
        Ok(bytes) => json_bytes(position, Bytes::from(bytes)),
        Err(error) => crate::ApiError::Internal(error.into()).into_response(),
    }
}

/// An answer from the cache when its projection has not moved since it was built; else
/// built by `load`, cached and sent. `None` from `load` is a 404 made by `missing`.
pub(crate) async fn cached<T: Serialize>(
    state: &crate::ApiState,
    key: String,
    at: store::Position,
    load: impl Future<Output = anyhow::Result<Option<T>>>,
    missing: impl FnOnce() -> crate::ApiError,
) -> Result<Response, crate::ApiError> {
    if let Some(body) = state.answers.get(&key, at) {
        return Ok(json_bytes(at.global_position, body));
    }
    let value = load.await?.ok_or_else(missing)?;
    let body = Bytes::from(crate::json_body::to_vec(&value).map_err(anyhow::Error::from)?);
    state.answers.put(key, at, body.clone());
    Ok(json_bytes(at.global_position, body))
}

fn json_bytes(position: i64, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = HeaderValue::from_str(&position.to_string()) {
        response.headers_mut().insert(POSITION_HEADER, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // Answers hold the clients' own text: a browser must never take them for anything but JSON.
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
