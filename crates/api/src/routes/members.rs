//! `/v1/members/{id}…`: a member with their load, their schedule, their open work.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::Serialize;

use super::{answer, cached};
use crate::consistency::reflected_position;
use crate::params::{QueryParams, parse_id};
use crate::{ApiError, ApiState};

/// A member, with their open work against capacity across all projects.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MemberAnswer {
    #[serde(flatten)]
    pub member: boards::MemberView,
    pub load: Option<analytics::MemberLoad>,
}

#[utoipa::path(get, path = "/v1/members/{id}", tag = "members",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = MemberAnswer), (status = 404), (status = 400)))]
pub async fn one(
    State(state): State<ApiState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let position = reflected_position(&state, "boards", &params).await?;
    let member = boards::member(&state.pool, id)
        .await?
        .ok_or_else(|| not_found(id))?;
    let load = analytics::member_load(&state.pool)
        .await?
        .into_iter()
        .find(|l| l.member_id == id);
    Ok(answer(
        position.global_position,
        &MemberAnswer { member, load },
    ))
}

#[utoipa::path(get, path = "/v1/members/{id}/schedule", tag = "members",
    params(("id" = uuid::Uuid, Path), ("as_of" = Option<chrono::NaiveDate>, Query, description = "plan from this day; today by default"),
           crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = schedules::MemberSchedule), (status = 404), (status = 400)))]
pub async fn schedule(
    State(state): State<ApiState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &["as_of"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| Utc::now().date_naive());
    let position = reflected_position(&state, "schedules", &params).await?;
    let schedule = schedules::member_schedule(&state.pool, id, as_of)
        .await?
        .ok_or_else(|| not_found(id))?;
    Ok(answer(position.global_position, &schedule))
}

#[utoipa::path(get, path = "/v1/members/{id}/work", tag = "members",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = boards::MemberWork), (status = 404), (status = 400)))]
pub async fn work(
    State(state): State<ApiState>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let at = reflected_position(&state, "boards", &params).await?;
    let load = boards::member_work(&state.pool, id);
    cached(&state, format!("work:{id}"), at, load, || not_found(id)).await
}

fn not_found(id: uuid::Uuid) -> ApiError {
    ApiError::NotFound {
        what: "member",
        id: id.to_string(),
    }
}
