//! Every error the API answers with, as RFC 9457 `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    /// 404: no such project, task, member or command.
    NotFound { what: &'static str, id: String },
    /// 400: a malformed id or parameter, named.
    BadRequest { parameter: String, message: String },
    /// 503: the projection has not reached `min_position` within `wait_ms`.
    NotYetConsistent { wanted: i64, reached: i64 },
    /// 500: the failure is logged; the client gets no detail.
    Internal(anyhow::Error),
}

impl ApiError {
    pub fn bad(parameter: &str, message: impl Into<String>) -> Self {
        ApiError::BadRequest {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(error: anyhow::Error) -> Self {
        ApiError::Internal(error)
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::Internal(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::NotFound { what, id } => (
                StatusCode::NOT_FOUND,
                json!({"type": "about:blank", "title": "Not Found", "status": 404, "code": "not_found",
                       "detail": format!("no {what} with id {id}")}),
            ),
            ApiError::BadRequest { parameter, message } => (
                StatusCode::BAD_REQUEST,
                json!({"type": "about:blank", "title": "Bad Request", "status": 400, "code": "invalid_parameter",
                       "parameter": parameter, "detail": format!("{parameter}: {message}")}),
            ),
            ApiError::NotYetConsistent { wanted, reached } => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"type": "about:blank", "title": "Service Unavailable", "status": 503, "code": "not_yet_consistent",
                       "detail": format!("position {wanted} is not reflected yet (at {reached}); retry or wait longer"),
                       "min_position": wanted, "position": reached}),
            ),
            ApiError::Internal(error) => {
                tracing::error!(error = %format!("{error:#}"), "a query failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"type": "about:blank", "title": "Internal Server Error", "status": 500, "code": "internal"}),
                )
            }
        };
        // A problem may quote the request (a parameter's name): escaped like every answer.
        let body = crate::json_body::to_vec(&body).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response.headers_mut().insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        response
    }
}
