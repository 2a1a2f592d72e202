//! `/v1/commands/{id}`: a command's outcome, for clients that missed it on the broker.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;

use super::answer;
use crate::auth::Grant;
use crate::consistency::log_position;
use crate::params::{QueryParams, parse_id};
use crate::{ApiError, ApiState};

#[utoipa::path(get, path = "/v1/commands/{id}", tag = "commands",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "the outcome, as published on <ns>.result.<command_id>", body = serde_json::Value),
              (status = 404, description = "no outcome (yet) for this command"), (status = 400)))]
pub async fn one(
    State(state): State<ApiState>,
    grant: Grant,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let id = parse_id("id", &id)?;
    QueryParams::new(query, &[])?;
    let position = log_position(&state).await?;
    // An outcome names any stream and a rejection's message any id, whatever the project:
    // only a bearer who reads every project sees outcomes here. The others get theirs on
    // `<ns>.result.<command_id>`, where they sent the command.
    let outcome = store::find_outcome(&state.pool, id)
        .await?
        .filter(|_| grant.reads_every_project())
        .ok_or_else(|| ApiError::NotFound {
            what: "command outcome",
            id: id.to_string(),
        })?;
    Ok(answer(position, &outcome))
}
