//! `/v1/members/{id}…`: a member with their load, their schedule, their open work.
//!
//! Members span projects. A bearer restricted to some projects sees a member who is in at
//! least one of them (else: 404, as for an unknown id), only those projects, only the tasks
//! of those projects, and no `load` (a sum over every project).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::Utc;
use serde::Serialize;

use super::{answer, cached};
use crate::auth::Grant;
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
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let position = reflected_position(&state, "boards", &params).await?;
    let mut member = boards::member(&state.pool, id)
        .await?
        .filter(|m| visible(&grant, m))
        .ok_or_else(|| not_found(id))?;
    member
        .projects
        .retain(|p| grant.may_read_project(p.project_id));
    let load = if grant.reads_every_project() {
        analytics::member_load(&state.pool)
            .await?
            .into_iter()
            .find(|l| l.member_id == id)
    } else {
        None
    };
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
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &["as_of"])?;
    let as_of = params
        .date("as_of")?
        .unwrap_or_else(|| Utc::now().date_naive());
    let position = reflected_position(&state, "schedules", &params).await?;
    let mut schedule = schedules::member_schedule(&state.pool, id, as_of)
        .await?
        .ok_or_else(|| not_found(id))?;
    if !grant.reads_every_project() {
        if !member_visible(&state, &grant, id).await? {
            return Err(not_found(id));
        }
        // The planned dates still count the member's whole calendar; the other projects'
        // tasks themselves are not shown, nor cycles through them.
        schedule
            .tasks
            .retain(|t| grant.may_read_project(t.project_id));
        schedule
            .unscheduled
            .retain(|t| grant.may_read_project(t.project_id));
        let shown: std::collections::HashSet<uuid::Uuid> = schedule
            .tasks
            .iter()
            .map(|t| t.task_id)
            .chain(schedule.unscheduled.iter().map(|t| t.task_id))
            .collect();
        schedule
            .cycles
            .retain(|cycle| cycle.iter().all(|t| shown.contains(t)));
    }
    Ok(answer(position.global_position, &schedule))
}

#[utoipa::path(get, path = "/v1/members/{id}/work", tag = "members",
    params(("id" = uuid::Uuid, Path), crate::openapi::MinPosition, crate::openapi::WaitMs),
    responses((status = 200, body = boards::MemberWork), (status = 404), (status = 400)))]
pub async fn work(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    let params = QueryParams::new(query, &[])?;
    let at = reflected_position(&state, "boards", &params).await?;
    let load = async {
        if !member_visible(&state, &grant, id).await? {
            return Ok(None);
        }
        Ok(boards::member_work(&state.pool, id).await?.map(|mut work| {
            work.tasks.retain(|t| grant.may_read_project(t.project_id));
            work
        }))
    };
    let key = format!("work:{id}{}", grant.cache_scope());
    cached(&state, key, at, load, || not_found(id)).await
}

fn visible(grant: &Grant, member: &boards::MemberView) -> bool {
    grant.reads_every_project()
        || member
            .projects
            .iter()
            .any(|p| grant.may_read_project(p.project_id))
}

async fn member_visible(state: &ApiState, grant: &Grant, id: uuid::Uuid) -> anyhow::Result<bool> {
    if grant.reads_every_project() {
        return Ok(true);
    }
    Ok(boards::member(&state.pool, id)
        .await?
        .is_some_and(|m| visible(grant, &m)))
}

fn not_found(id: uuid::Uuid) -> ApiError {
    ApiError::NotFound {
        what: "member",
        id: id.to_string(),
    }
}
