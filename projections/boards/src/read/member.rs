//! A member: who they are, their projects, and their open work across projects.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{PgPool, Row};
use uuid::Uuid;

use crate::order::{SortKey, work_order};

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberView {
    pub member_id: Uuid,
    pub name: String,
    pub skills: Vec<String>,
    pub capacity_hours_per_week: f64,
    /// The projects the member is in now, by name, then id.
    pub projects: Vec<MemberProject>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberProject {
    pub project_id: Uuid,
    pub name: String,
    pub role: Option<String>,
}

/// "My work": the member's open tasks (todo, in progress, blocked) across all projects.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MemberWork {
    pub member_id: Uuid,
    pub name: String,
    /// By priority (1 first), then due date (none last), then creation, then id.
    pub tasks: Vec<WorkItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WorkItem {
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    /// `todo`, `in_progress` or `blocked`.
    pub status: String,
    pub estimate_hours: f64,
    pub logged_hours: f64,
    /// 1 (highest) to 4.
    pub priority: i16,
    pub due_date: Option<DateTime<Utc>>,
    /// The latest predicted probability of finishing after the due date, once predicted.
    pub risk: Option<f64>,
}

pub async fn member(pool: &PgPool, member_id: Uuid) -> anyhow::Result<Option<MemberView>> {
    let row = sqlx::query(
        "SELECT name, skills, capacity_hours_per_week FROM boards_members WHERE member_id = $1",
    )
    .bind(member_id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let projects = sqlx::query(
        "SELECT pm.project_id, p.name, pm.role
         FROM boards_project_members pm JOIN boards_projects p USING (project_id)
         WHERE pm.member_id = $1 ORDER BY p.name, pm.project_id",
    )
    .bind(member_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(MemberProject {
            project_id: r.try_get("project_id")?,
            name: r.try_get("name")?,
            role: r.try_get("role")?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(MemberView {
        member_id,
        name: row.try_get("name")?,
        skills: row.try_get("skills")?,
        capacity_hours_per_week: row.try_get("capacity_hours_per_week")?,
        projects,
    }))
}

pub async fn member_work(pool: &PgPool, member_id: Uuid) -> anyhow::Result<Option<MemberWork>> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM boards_members WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(pool)
            .await?;
    let Some(name) = name else { return Ok(None) };
    let rows = sqlx::query(
        "SELECT task_id, project_id, title, status, estimate_hours, logged_hours, priority, due_date, risk, created_at
         FROM boards_tasks
         WHERE assignee = $1 AND status IN ('todo', 'in_progress', 'blocked')",
    )
    .bind(member_id)
    .fetch_all(pool)
    .await?;
    let mut keyed = Vec::with_capacity(rows.len());
    for row in rows {
        let item = WorkItem {
            task_id: row.try_get("task_id")?,
            project_id: row.try_get("project_id")?,
            title: row.try_get("title")?,
            status: row.try_get("status")?,
            estimate_hours: row.try_get("estimate_hours")?,
            logged_hours: row.try_get("logged_hours")?,
            priority: row.try_get("priority")?,
            due_date: row.try_get("due_date")?,
            risk: row.try_get("risk")?,
        };
        let key = SortKey {
            priority: item.priority,
            due_date: item.due_date,
            created_at: row.try_get("created_at")?,
            task_id: item.task_id,
        };
        keyed.push((key, item));
    }
    keyed.sort_by(|a, b| work_order(&a.0, &b.0));
    Ok(Some(MemberWork {
        member_id,
        name,
        tasks: keyed.into_iter().map(|(_, item)| item).collect(),
    }))
}
