//! Every error the API answers with, as RFC 9457 `application/problem+json`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
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
    /// 401: no bearer token, or one that is not valid (`invalid_token`); which of the
    /// token's checks failed is logged, not told.
    Unauthorized { invalid_token: bool },
    /// 403: a valid bearer without the scope the request needs.
    Forbidden { scope: &'static str },
    /// 411, 413, 414: the request is larger than the API reads.
    TooLarge {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
    /// 503: more requests in flight than the configured bound.
    Overloaded,
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
            ApiError::Unauthorized { invalid_token } => {
                let challenge = if invalid_token {
                    r#"Bearer realm="foresight", error="invalid_token""#
                } else {
                    r#"Bearer realm="foresight""#
                };
                let body = json!({"type": "about:blank", "title": "Unauthorized", "status": 401, "code": "unauthorized",
                       "detail": "a valid bearer token is required"});
                return problem(StatusCode::UNAUTHORIZED, body, Some(challenge.to_owned()));
            }
            ApiError::Forbidden { scope } => {
                let challenge = format!(
                    r#"Bearer realm="foresight", error="insufficient_scope", scope="{scope}""#
                );
                let body = json!({"type": "about:blank", "title": "Forbidden", "status": 403, "code": "forbidden",
                       "detail": format!("this needs the {scope} scope")});
                return problem(StatusCode::FORBIDDEN, body, Some(challenge));
            }
            ApiError::TooLarge {
                status,
                code,
                detail,
            } => (
                status,
                json!({"type": "about:blank", "title": status.canonical_reason().unwrap_or("Error"),
                       "status": status.as_u16(), "code": code, "detail": detail}),
            ),
            ApiError::Overloaded => {
                let body = json!({"type": "about:blank", "title": "Service Unavailable", "status": 503, "code": "overloaded",
                       "detail": "too many requests in flight; retry shortly"});
                let mut response = problem(StatusCode::SERVICE_UNAVAILABLE, body, None);
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return response;
            }
            ApiError::Internal(error) => {
                tracing::error!(error = %format!("{error:#}"), "a query failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"type": "about:blank", "title": "Internal Server Error", "status": 500, "code": "internal"}),
                )
            }
        };
        problem(status, body, None)
    }
}

fn problem(status: StatusCode, body: serde_json::Value, challenge: Option<String>) -> Response {
    // A problem may quote the request (a parameter's name): escaped like every answer.
    let body = crate::json_body::to_vec(&body).unwrap_or_default();
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, value);
    }
    response
}

pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// Errors that the framework answers by itself (a method a route does not have, a path
/// that is not UTF-8) become `problem+json` too, with their status and headers kept.
/// `/readyz` keeps its plain "starting" answer, which probes read.
pub(crate) async fn problem_for_every_error(request: Request, next: Next) -> Response {
    let readiness_probe = request.uri().path() == "/readyz";
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem || readiness_probe {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // What the framework says about a client's mistake helps the client; about a failure
    // of ours, nothing is told.
    let detail = if status.is_client_error() {
        axum::body::to_bytes(body, 2048)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    } else {
        None
    };
    let title = status.canonical_reason().unwrap_or("Error");
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        s if s.is_client_error() => "bad_request",
        _ => "internal",
    };
    let mut body =
        json!({"type": "about:blank", "title": title, "status": status.as_u16(), "code": code});
    if let Some(detail) = detail {
        body["detail"] = json!(detail);
    }
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body.to_string()))
}
