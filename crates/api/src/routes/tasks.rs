//! `/v1/tasks/{id}`: one task, with its forecast and risk once the predictor has made them;
//! a task of a project the bearer may not read does not exist for it.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::cached;
use crate::auth::Grant;
use crate::consistency::reflected_position;
use crate::params::{QueryParams, parse_id};
use crate::{ApiError, ApiState};

#[utoipa::path(get, path = "/v1/tasks/{id}", tag = "tasks",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = boards::TaskView), (status = 404), (status = 400), (status = 503)))]
pub async fn one(
    State(state): State<ApiState>,
    grant: Grant,
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
    // A task of a project the bearer may not read is answered as an unknown one.
    let load = async {
        Ok(boards::task(&state.pool, id)
            .await?
            .filter(|task| grant.may_read_project(task.project_id)))
    };
    let key = format!("task:{id}{}", grant.cache_scope());
    cached(&state, key, at, load, missing).await
}
