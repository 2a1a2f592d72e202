//! One task with everything the board knows about it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Row};
use uuid::Uuid;

/// A task, with its latest forecast and risk once the prediction worker has made them.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// `todo`, `in_progress`, `blocked`, `done` or `cancelled`.
    pub status: String,
    pub assignee: Option<Uuid>,
    pub estimate_hours: f64,
    pub logged_hours: f64,
    /// 1 (highest) to 4.
    pub priority: i16,
    pub labels: Vec<String>,
    pub skills: Vec<String>,
    pub milestone_id: Option<Uuid>,
    pub due_date: Option<DateTime<Utc>>,
    /// Tasks this one waits for, sorted.
    pub depends_on: Vec<Uuid>,
    pub reopen_count: i32,
    pub created_at: DateTime<Utc>,
    /// The first start.
    pub started_at: Option<DateTime<Utc>>,
    /// The last completion; none while the task is not done.
    pub completed_at: Option<DateTime<Utc>>,
    /// `duration_hours_p50`, `duration_hours_p90`, `expected_finish_p50`, `expected_finish_p90`,
    /// `model_version`, `as_of`.
    #[schema(value_type = Option<Object>)]
    pub forecast: Option<serde_json::Value>,
    /// `late_probability`, `factors` (`name`, `contribution`), `model_version`, `as_of`.
    #[schema(value_type = Option<Object>)]
    pub risk: Option<serde_json::Value>,
    /// Who should take the task, while it is open and unassigned: `candidates` (best first, at
    /// most three: `member_id`, `expected_hours_late`, `expected_finish`,
    /// `predicted_duration_hours`, `skill_match`, `load_after`), `model_version`, `as_of`.
    #[schema(value_type = Option<Object>)]
    pub recommended_assignees: Option<serde_json::Value>,
}

pub async fn task(pool: &PgPool, task_id: Uuid) -> anyhow::Result<Option<TaskView>> {
    let row = sqlx::query(
        "SELECT task_id, project_id, title, description, status, assignee, estimate_hours, logged_hours,
                priority, labels, skills, milestone_id, due_date, depends_on, reopen_count,
                created_at, started_at, completed_at, forecast, risk_detail, recommendation
         FROM boards_tasks WHERE task_id = $1",
    )
    .bind(task_id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let assignee: Option<Uuid> = row.try_get("assignee")?;
    let status: String = row.try_get("status")?;
    // A recommendation is for whoever assigns the task; once it is taken or closed it is history.
    let open = matches!(status.as_str(), "todo" | "in_progress" | "blocked");
    let recommended_assignees = if open && assignee.is_none() {
        row.try_get("recommendation")?
    } else {
        None
    };
    Ok(Some(TaskView {
        task_id: row.try_get("task_id")?,
        project_id: row.try_get("project_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        status,
        assignee,
        estimate_hours: row.try_get("estimate_hours")?,
        logged_hours: row.try_get("logged_hours")?,
        priority: row.try_get("priority")?,
        labels: row.try_get("labels")?,
        skills: row.try_get("skills")?,
        milestone_id: row.try_get("milestone_id")?,
        due_date: row.try_get("due_date")?,
        depends_on: row.try_get("depends_on")?,
        reopen_count: row.try_get("reopen_count")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        completed_at: row.try_get("completed_at")?,
        forecast: row.try_get("forecast")?,
        risk: row.try_get("risk_detail")?,
        recommended_assignees,
    }))
}
