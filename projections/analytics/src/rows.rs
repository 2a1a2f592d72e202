//! Stored rows decoded by hand (sqlx's derive is not built here), for the batch loads and the reads.

use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Json;

use crate::model::{
    MemberRow, MilestoneRow, ProjectRow, ScopeChange, TaskRow, Transition, parse_status,
};
use domain::TaskStatus;

/// The columns `task` reads, for `concat!` into every query that loads tasks (static text still).
macro_rules! task_columns {
    () => {
        "id, project_id, assignee, estimate_hours, original_estimate, logged_hours, labels, milestone_id, \
         status, blocked_from, created_at, started_at, completed_at, reopen_count, cancelled_at, risk"
    };
}
pub(crate) use task_columns;

fn status(row: &PgRow, column: &str) -> sqlx::Result<TaskStatus> {
    let name: String = row.try_get(column)?;
    parse_status(&name).ok_or_else(|| {
        sqlx::Error::Decode(format!("unknown task status {name:?} in {column}").into())
    })
}

fn optional_status(row: &PgRow, column: &str) -> sqlx::Result<Option<TaskStatus>> {
    let name: Option<String> = row.try_get(column)?;
    match name {
        None => Ok(None),
        Some(_) => status(row, column).map(Some),
    }
}

pub(crate) fn task(row: &PgRow) -> sqlx::Result<TaskRow> {
    Ok(TaskRow {
        id: row.try_get("id")?,
        project_id: row.try_get("project_id")?,
        assignee: row.try_get("assignee")?,
        estimate_hours: row.try_get("estimate_hours")?,
        original_estimate: row.try_get("original_estimate")?,
        logged_hours: row.try_get("logged_hours")?,
        labels: row.try_get::<Json<Vec<String>>, _>("labels")?.0,
        milestone_id: row.try_get("milestone_id")?,
        status: status(row, "status")?,
        blocked_from: optional_status(row, "blocked_from")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        completed_at: row.try_get("completed_at")?,
        reopen_count: row.try_get("reopen_count")?,
        cancelled_at: row.try_get("cancelled_at")?,
        risk: row.try_get("risk")?,
    })
}

pub(crate) fn project(row: &PgRow) -> sqlx::Result<ProjectRow> {
    Ok(ProjectRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        start_date: row.try_get("start_date")?,
        deadline: row.try_get("deadline")?,
    })
}

pub(crate) fn milestone(row: &PgRow) -> sqlx::Result<MilestoneRow> {
    Ok(MilestoneRow {
        project_id: row.try_get("project_id")?,
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        due_date: row.try_get("due_date")?,
        completed_at: row.try_get("completed_at")?,
    })
}

pub(crate) fn member(row: &PgRow) -> sqlx::Result<MemberRow> {
    Ok(MemberRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        capacity_hours_per_week: row.try_get("capacity_hours_per_week")?,
    })
}

pub(crate) fn transition(row: &PgRow) -> sqlx::Result<Transition> {
    Ok(Transition {
        position: row.try_get("position")?,
        task_id: row.try_get("task_id")?,
        project_id: row.try_get("project_id")?,
        milestone_id: row.try_get("milestone_id")?,
        from: optional_status(row, "from_status")?,
        to: status(row, "to_status")?,
        occurred_at: row.try_get("occurred_at")?,
        estimate_hours: row.try_get("estimate_hours")?,
    })
}

pub(crate) fn scope_change(row: &PgRow) -> sqlx::Result<ScopeChange> {
    Ok(ScopeChange {
        position: row.try_get("position")?,
        project_id: row.try_get("project_id")?,
        milestone_id: row.try_get("milestone_id")?,
        task_id: row.try_get("task_id")?,
        occurred_at: row.try_get("occurred_at")?,
        delta_hours: row.try_get("delta_hours")?,
        delta_tasks: row.try_get("delta_tasks")?,
    })
}
