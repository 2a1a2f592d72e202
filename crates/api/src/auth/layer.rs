//! The authorization layer: which requests need which scope, decided before any route runs.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use std::sync::Arc;

use super::authenticator::{Authenticator, Refusal};
use super::config::MetricsAccess;
use super::grant::Grant;
use crate::ApiError;

/// Paths anyone may read: probes, and the document that says how to authenticate.
const OPEN_PATHS: [&str; 3] = ["/healthz", "/readyz", "/openapi.json"];
pub(crate) const METRICS_PATH: &str = "/metrics";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    Nothing,
    Read,
    Metrics,
    Admin,
}

impl Need {
    fn scope(self) -> &'static str {
        match self {
            Need::Nothing | Need::Read => "read",
            Need::Metrics => "metrics",
            Need::Admin => "admin",
        }
    }
}

pub async fn authorize(
    State(auth): State<Arc<Authenticator>>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    // Every method other than a read needs `admin`, on every path: the API has no such
    // route today, and one added later cannot be left open by mistake.
    let need = if !read {
        Need::Admin
    } else if OPEN_PATHS.contains(&path) {
        Need::Nothing
    } else if path == METRICS_PATH {
        match auth.metrics {
            MetricsAccess::Open => Need::Nothing,
            MetricsAccess::Token => Need::Metrics,
        }
    } else {
        // Unknown paths too: without a token, nothing tells which routes exist.
        Need::Read
    };
    if need == Need::Nothing || !auth.is_enabled() {
        request.extensions_mut().insert(Grant::everything());
        return next.run(request).await;
    }
    let grant = match auth.authenticate(request.headers()) {
        Ok(grant) => grant,
        Err(refusal) => {
            // The reason, never the token.
            tracing::debug!(path, ?refusal, "request refused: no valid bearer token");
            let invalid_token = matches!(refusal, Refusal::Invalid(_));
            return ApiError::Unauthorized { invalid_token }.into_response();
        }
    };
    let allowed = match need {
        Need::Nothing => true,
        Need::Read => grant.scopes.reads(),
        Need::Metrics => grant.scopes.reads_metrics(),
        Need::Admin => grant.scopes.admin,
    };
    if !allowed {
        tracing::debug!(path, holder = %grant.holder, needed = need.scope(), "request refused: scope missing");
        return ApiError::Forbidden {
            scope: need.scope(),
        }
        .into_response();
    }
    request.extensions_mut().insert(grant);
    next.run(request).await
}

/// Handlers take the grant as an argument. A grant missing means the layer is missing:
/// the request fails rather than reading unchecked.
impl<S: Send + Sync> FromRequestParts<S> for Grant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Grant>().cloned().ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "no grant on the request: the authorization layer is not installed"
            ))
        })
    }
}
