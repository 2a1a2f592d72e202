//! `pub fn router(state) -> Router`: every route, the ops endpoints, and the metrics layer.

pub(crate) mod commands;
pub(crate) mod members;
pub(crate) mod projects;
pub(crate) mod tasks;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;

use crate::{ApiState, POSITION_HEADER, http_metrics};

pub fn router(state: ApiState) -> Router {
    let api = Router::new()
        .route("/v1/projects", get(projects::list))
        .route("/v1/projects/{id}", get(projects::one))
        .route("/v1/projects/{id}/board", get(projects::board))
        .route("/v1/projects/{id}/schedule", get(projects::schedule))
        .route("/v1/projects/{id}/analytics", get(projects::analytics))
        .route("/v1/members/{id}", get(members::one))
        .route("/v1/members/{id}/schedule", get(members::schedule))
        .route("/v1/members/{id}/work", get(members::work))
        .route("/v1/tasks/{id}", get(tasks::one))
        .route("/v1/commands/{id}", get(commands::one))
        .route("/openapi.json", get(openapi_document))
        .with_state(state.clone());
    let ops = telemetry::ops_router(state.metrics.clone(), state.readiness.clone());
    api.merge(ops)
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state,
            http_metrics::track,
        ))
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
    let mut response = axum::Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&position.to_string()) {
        response.headers_mut().insert(POSITION_HEADER, value);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
