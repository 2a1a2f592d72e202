//! The rows of the projection's tables as Rust values, and how they are read from PostgreSQL.

use chrono::{DateTime, NaiveDate, Utc};
use domain::TaskStatus;
use sqlx::postgres::PgRow;
use sqlx::{FromRow, Row};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub id: Uuid,
    pub name: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneRow {
    pub project_id: Uuid,
    pub id: Uuid,
    pub name: String,
    pub due_date: NaiveDate,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub id: Uuid,
    pub name: String,
    pub capacity_hours_per_week: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    pub blocked_from: Option<TaskStatus>,
    pub assignee: Option<Uuid>,
    pub estimate_hours: f64,
    pub logged_hours: f64,
    pub priority: i16,
    pub milestone_id: Option<Uuid>,
    pub due_date: Option<DateTime<Utc>>,
    pub depends_on: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub created_position: i64,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub predicted_hours: Option<f64>,
    /// The latest forecast's finish dates.
    pub forecast_finish_p50: Option<DateTime<Utc>>,
    pub forecast_finish_p90: Option<DateTime<Utc>>,
}

/// The status of its stored name; an unknown name is a corrupt row.
pub fn parse_status(name: &str) -> sqlx::Result<TaskStatus> {
    TaskStatus::ALL
        .into_iter()
        .find(|s| s.as_str() == name)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown task status {name:?}").into()))
}

// Written by hand: sqlx's derive is not enabled here (it would pull in its macro crates).
impl FromRow<'_, PgRow> for ProjectRow {
    fn from_row(row: &PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            start_date: row.try_get("start_date")?,
            deadline: row.try_get("deadline")?,
            status: row.try_get("status")?,
        })
    }
}

impl FromRow<'_, PgRow> for MilestoneRow {
    fn from_row(row: &PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            project_id: row.try_get("project_id")?,
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            due_date: row.try_get("due_date")?,
            completed: row.try_get("completed")?,
        })
    }
}

impl FromRow<'_, PgRow> for MemberRow {
    fn from_row(row: &PgRow) -> sqlx::Result<Self> {
        Ok(Self {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            capacity_hours_per_week: row.try_get("capacity_hours_per_week")?,
        })
    }
}

impl FromRow<'_, PgRow> for TaskRow {
    fn from_row(row: &PgRow) -> sqlx::Result<Self> {
        let blocked_from: Option<String> = row.try_get("blocked_from")?;
        Ok(Self {
            id: row.try_get("id")?,
            project_id: row.try_get("project_id")?,
            title: row.try_get("title")?,
            status: parse_status(row.try_get("status")?)?,
            blocked_from: blocked_from.as_deref().map(parse_status).transpose()?,
            assignee: row.try_get("assignee")?,
            estimate_hours: row.try_get("estimate_hours")?,
            logged_hours: row.try_get("logged_hours")?,
            priority: row.try_get("priority")?,
            milestone_id: row.try_get("milestone_id")?,
            due_date: row.try_get("due_date")?,
            depends_on: row.try_get("depends_on")?,
            created_at: row.try_get("created_at")?,
            created_position: row.try_get("created_position")?,
            started_at: row.try_get("started_at")?,
            completed_at: row.try_get("completed_at")?,
            predicted_hours: row.try_get("predicted_hours")?,
            forecast_finish_p50: row.try_get("forecast_finish_p50")?,
            forecast_finish_p90: row.try_get("forecast_finish_p90")?,
        })
    }
}
