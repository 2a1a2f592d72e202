//! Bounds on what one request may cost: its size, and how many run at once.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::{ApiError, ApiState};

/// The bounds, with defaults for one API process.
#[derive(Debug, Clone, Copy)]
pub struct RequestLimits {
    /// The API is read-only: no route reads a body, so a small one is plenty.
    pub max_body_bytes: u64,
    /// Path and query together.
    pub max_uri_bytes: usize,
    /// Requests handled at once; beyond, 503 `overloaded` at once rather than a queue
    /// that grows until memory runs out. Probes and `/metrics` are not counted.
    pub max_in_flight: usize,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            max_body_bytes: 16 * 1024,
            max_uri_bytes: 8 * 1024,
            max_in_flight: 1024,
        }
    }
}

/// The in-flight bound, shared by every clone of the state.
#[derive(Clone)]
pub(crate) struct InFlight(Arc<Semaphore>);

impl InFlight {
    pub fn new(permits: usize) -> Self {
        Self(Arc::new(Semaphore::new(permits.max(1))))
    }
}

const UNCOUNTED_PATHS: [&str; 3] = ["/healthz", "/readyz", "/metrics"];

pub async fn bound(State(state): State<ApiState>, request: Request, next: Next) -> Response {
    let limits = state.limits;
    let uri_len = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    if uri_len > limits.max_uri_bytes {
        return too_large(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!(
                "the path and query may be {} bytes at most",
                limits.max_uri_bytes
            ),
        );
    }
    let headers = request.headers();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > limits.max_body_bytes => {
            return too_large(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "a request body may be {} bytes at most",
                    limits.max_body_bytes
                ),
            );
        }
        // A body of unknown length (chunked) could be as large as a client likes.
        None if headers.contains_key(header::TRANSFER_ENCODING) => {
            return too_large(
                StatusCode::LENGTH_REQUIRED,
                "length_required",
                "a request body must declare its Content-Length".into(),
            );
        }
        _ => {}
    }
    if UNCOUNTED_PATHS.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let Ok(_permit) = state.in_flight.0.clone().try_acquire_owned() else {
        return ApiError::Overloaded.into_response();
    };
    next.run(request).await
}

fn too_large(status: StatusCode, code: &'static str, detail: String) -> Response {
    ApiError::TooLarge {
        status,
        code,
        detail,
    }
    .into_response()
}
