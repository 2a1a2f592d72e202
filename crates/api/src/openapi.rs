//! The OpenAPI document, generated from the route annotations and the view types.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Response, ResponseBuilder};
use utoipa::{IntoParams, Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Foresight query API",
        description = "Read-only views of projects, tasks and members. Every answer carries `Foresight-Position`; `min_position` with `wait_ms` (at most 10000) waits until that position is reflected, else 503 `not_yet_consistent`. Errors are `application/problem+json`. When authentication is on, every route but `/healthz`, `/readyz`, `/openapi.json` (and `/metrics` if so configured) needs `Authorization: Bearer <token>`: an opaque token or a JWT, whose grant names the projects it may read; another project's data answers 404, as an unknown id does. Methods other than GET and HEAD need the `admin` scope."
    ),
    modifiers(&BearerAuth),
    security(("bearer" = ["read"])),
    paths(
        crate::routes::projects::list,
        crate::routes::projects::one,
        crate::routes::projects::board,
        crate::routes::projects::schedule,
        crate::routes::projects::analytics,
        crate::routes::projects::forecast,
        crate::routes::members::one,
        crate::routes::members::schedule,
        crate::routes::members::work,
        crate::routes::tasks::one,
        crate::routes::commands::one,
        ops::healthz,
        ops::readyz,
        ops::metrics,
        ops::openapi_json,
    )
)]
struct ApiDoc;

/// The bearer scheme, and the 401 and 403 of every route that needs it.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An opaque token (kept by the server as its SHA-256) or a JWT (HS256 or RS256, with `exp`, `iss`, `aud`, `scope` and `projects`). Scopes: `read`, `metrics`, `admin` (all of them).",
                    ))
                    .build(),
            ),
        );
        for item in openapi.paths.paths.values_mut() {
            let Some(operation) = item.get.as_mut() else {
                continue;
            };
            // Open operations list an empty requirement; the rest inherit the bearer.
            let open = operation
                .security
                .as_ref()
                .is_some_and(|s| s.iter().all(|r| r == &Default::default()));
            if open {
                continue;
            }
            let responses = &mut operation.responses.responses;
            responses.insert(
                "401".into(),
                problem("no bearer token, or one not valid").into(),
            );
            responses.insert("403".into(), problem("the bearer lacks the scope").into());
        }
    }
}

fn problem(description: &str) -> Response {
    ResponseBuilder::new()
        .description(format!("{description} (`application/problem+json`)"))
        .build()
}

/// The endpoints every process serves (`telemetry::ops_router`), listed here so that the
/// document names every route the API answers.
mod ops {
    #[utoipa::path(get, path = "/healthz", tag = "ops", security(()),
        responses((status = 200, description = "the process runs", content_type = "text/plain")))]
    #[allow(dead_code, reason = "documentation only: telemetry serves the route")]
    pub fn healthz() {}

    #[utoipa::path(get, path = "/readyz", tag = "ops", security(()),
        responses((status = 200, description = "every role has started", content_type = "text/plain"),
                  (status = 503, description = "starting", content_type = "text/plain")))]
    #[allow(dead_code, reason = "documentation only: telemetry serves the route")]
    pub fn readyz() {}

    #[utoipa::path(get, path = "/metrics", tag = "ops", security((), ("bearer" = ["metrics"])),
        responses((status = 200, description = "Prometheus text format; open, or for the `metrics` scope, as configured", content_type = "text/plain")))]
    #[allow(dead_code, reason = "documentation only: telemetry serves the route")]
    pub fn metrics() {}

    #[utoipa::path(get, path = "/openapi.json", tag = "ops", security(()),
        responses((status = 200, description = "this document", content_type = "application/json")))]
    #[allow(dead_code, reason = "documentation only: the router serves the route")]
    pub fn openapi_json() {}
}

/// `min_position`: wait until the answer reflects the event at this global position.
#[derive(IntoParams)]
#[into_params(names("min_position"), parameter_in = Query)]
pub struct MinPosition(#[allow(dead_code)] Option<i64>);

/// `wait_ms`: how long to wait for `min_position`, 0..=10000 (default 0).
#[derive(IntoParams)]
#[into_params(names("wait_ms"), parameter_in = Query)]
pub struct WaitMs(#[allow(dead_code)] Option<i64>);

pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
