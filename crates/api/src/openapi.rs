//! The OpenAPI document, generated from the route annotations and the view types.

use utoipa::{IntoParams, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Foresight query API",
        description = "Read-only views of projects, tasks and members. Every answer carries `Foresight-Position`; `min_position` with `wait_ms` (at most 10000) waits until that position is reflected, else 503 `not_yet_consistent`. Errors are `application/problem+json`."
    ),
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
    )
)]
struct ApiDoc;

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
