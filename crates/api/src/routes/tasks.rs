//! `/v1/tasks/{id}`: one task, with its forecast and risk once the predictor has made them.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::cached;
use crate::consistency::reflected_position;
use crate::params::{QueryParams, parse_id};
use crate::{ApiError, ApiState};

#[utoipa::path(get, path = "/v1/tasks/{id}", tag = "tasks",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = boards::TaskView), (status = 404), (status = 400), (status = 503)))]
pub async fn one(
    State(state): State<ApiState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let at = reflected_position(&state, "boards", &params).await?;
    let missing = || ApiError::NotFound {
        what: "task",
        id: id.to_string(),
    };
    cached(
        &state,
        format!("task:{id}"),
        at,
        boards::task(&state.pool, id),
        missing,
    )
    .await
}
