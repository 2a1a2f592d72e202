//! `/v1/projects…`: the list, one project, its board, schedule, analytics and forecast.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;

use super::{answer, cached};
use crate::auth::{Grant, ProjectAccess};
use crate::consistency::reflected_position;
use crate::params::{QueryParams, parse_id};
use crate::{ApiError, ApiState};

const MAX_PAGE: i64 = 500;

#[utoipa::path(get, path = "/v1/projects", tag = "projects",
    params(("limit" = Option<i64>, Query, description = "page size, 1..=500, default 100"),
           ("after" = Option<uuid::Uuid>, Query, description = "the last project id of the previous page"),
           crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = Vec<boards::ProjectSummary>), (status = 400, description = "a bad parameter")))]
pub async fn list(
    State(state): State<ApiState>,
    grant: Grant,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let params = QueryParams::new(query, &["limit", "after"])?;
    let limit = params.int("limit", 1, MAX_PAGE)?.unwrap_or(100);
    let after = params.uuid("after")?;
    let position = reflected_position(&state, "boards", &params).await?;
    // The bearer's projects only: the others are not listed, as if they did not exist.
    let page = match &grant.projects {
        ProjectAccess::All => boards::projects(&state.pool, limit, after).await?,
        ProjectAccess::Only(ids) => {
            let ids: Vec<uuid::Uuid> = ids.iter().copied().collect();
            boards::projects_among(&state.pool, &ids, limit, after).await?
        }
    };
    Ok(answer(position.global_position, &page))
}

#[utoipa::path(get, path = "/v1/projects/{id}", tag = "projects",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = boards::ProjectView), (status = 404), (status = 400)))]
pub async fn one(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let at = reflected_position(&state, "boards", &params).await?;
    readable(&grant, id)?;
    let load = boards::project(&state.pool, id);
    cached(&state, format!("project:{id}"), at, load, || not_found(id)).await
}

#[utoipa::path(get, path = "/v1/projects/{id}/board", tag = "projects",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = boards::Board), (status = 404), (status = 400), (status = 503)))]
pub async fn board(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let at = reflected_position(&state, "boards", &params).await?;
    readable(&grant, id)?;
    let load = boards::board(&state.pool, id);
    cached(&state, format!("board:{id}"), at, load, || not_found(id)).await
}

#[utoipa::path(get, path = "/v1/projects/{id}/schedule", tag = "projects",
    params(("id" = uuid::Uuid, Path), ("as_of" = Option<chrono::NaiveDate>, Query, description = "plan from this day; today by default"),
           crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = schedules::ProjectSchedule), (status = 404), (status = 400)))]
pub async fn schedule(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &["as_of"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| Utc::now().date_naive());
    let at = reflected_position(&state, "schedules", &params).await?;
    readable(&grant, id)?;
    let load = schedules::project_schedule(&state.pool, id, as_of);
    cached(&state, format!("schedule:{id}:{as_of}"), at, load, || {
        not_found(id)
    })
    .await
}

#[utoipa::path(get, path = "/v1/projects/{id}/analytics", tag = "projects",
    params(("id" = uuid::Uuid, Path), ("as_of" = Option<chrono::NaiveDate>, Query, description = "the last day counted; today by default"),
           crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = analytics::ProjectAnalytics), (status = 404), (status = 400)))]
pub async fn analytics(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &["as_of"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| Utc::now().date_naive());
    let at = reflected_position(&state, "analytics", &params).await?;
    readable(&grant, id)?;
    let load = analytics::project_analytics(&state.pool, domain::ProjectId(id), as_of);
    cached(&state, format!("analytics:{id}:{as_of}"), at, load, || {
        not_found(id)
    })
    .await
}

#[utoipa::path(get, path = "/v1/projects/{id}/forecast", tag = "projects",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, description = "the latest Monte Carlo completion forecast: `p50`, `p85`, `p95`, `health`, `deadline`, `milestones`, `remaining_tasks`, `runs`, `model_version`, `as_of`", body = Object),
              (status = 404, description = "an unknown project, or one not forecast yet"), (status = 400)))]
pub async fn forecast(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let at = reflected_position(&state, "schedules", &params).await?;
    if !grant.may_read_project(id) {
        return Err(forecast_not_found(id));
    }
    let load = schedules::project_forecast(&state.pool, id);
    cached(&state, format!("forecast:{id}"), at, load, || {
        forecast_not_found(id)
    })
    .await
}

fn not_found(id: uuid::Uuid) -> ApiError {
    ApiError::NotFound {
        what: "project",
        id: id.to_string(),
    }
}

fn forecast_not_found(id: uuid::Uuid) -> ApiError {
    ApiError::NotFound {
        what: "forecast of a project",
        id: id.to_string(),
    }
}

/// Another project's data is answered exactly as an unknown id is, and at the same point
/// (after the wait for `min_position`), so that nothing tells the two apart.
fn readable(grant: &Grant, id: uuid::Uuid) -> Result<(), ApiError> {
    if grant.may_read_project(id) {
        Ok(())
    } else {
        Err(not_found(id))
    }
}
