//! Projects: a keyset-paged list, and one project with its members, milestones and task counts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProjectSummary {
    pub project_id: Uuid,
    pub name: String,
    /// `active`, `on_hold` or `closed`.
    pub status: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProjectView {
    pub project_id: Uuid,
    pub name: String,
    /// `active`, `on_hold` or `closed`.
    pub status: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    /// By name, then id.
    pub members: Vec<ProjectMember>,
    /// By due date, then id.
    pub milestones: Vec<MilestoneView>,
    pub task_counts: TaskCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProjectMember {
    pub member_id: Uuid,
    /// The member's name; none if the member was never registered here.
    pub name: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MilestoneView {
    pub milestone_id: Uuid,
    pub name: String,
    pub due_date: NaiveDate,
    pub completed: bool,
    pub completed_at: Option<DateTime<Utc>>,
}

/// How many of the project's tasks are in each status.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TaskCounts {
    pub todo: i64,
    pub in_progress: i64,
    pub blocked: i64,
    pub done: i64,
    pub cancelled: i64,
}

impl TaskCounts {
    /// From `(status, count)` pairs; unknown statuses are not counted.
    pub(crate) fn from_pairs(pairs: impl IntoIterator<Item = (String, i64)>) -> TaskCounts {
        let mut counts = TaskCounts::default();
        for (status, n) in pairs {
            match status.as_str() {
                "todo" => counts.todo += n,
                "in_progress" => counts.in_progress += n,
                "blocked" => counts.blocked += n,
                "done" => counts.done += n,
                "cancelled" => counts.cancelled += n,
                _ => {}
            }
        }
        counts
    }
}

/// Up to `limit` projects by id, after `after` when given (the last id of the previous page).
pub async fn projects(
    pool: &PgPool,
    limit: i64,
    after: Option<Uuid>,
) -> anyhow::Result<Vec<ProjectSummary>> {
    // Two statements rather than `$2 IS NULL OR ...`, so that both are a range scan of the key.
    let query = match after {
        None => sqlx::query(
            "SELECT project_id, name, status, start_date, deadline, created_at FROM boards_projects
             ORDER BY project_id LIMIT $1",
        ),
        Some(after) => sqlx::query(
            "SELECT project_id, name, status, start_date, deadline, created_at FROM boards_projects
             WHERE project_id > $1 ORDER BY project_id LIMIT $2",
        )
        .bind(after),
    };
    let rows = query.bind(limit.max(0)).fetch_all(pool).await?;
    rows.iter().map(summary).collect()
}

/// Like `projects`, among the given ids only (the projects a bearer may read).
pub async fn projects_among(
    pool: &PgPool,
    ids: &[Uuid],
    limit: i64,
    after: Option<Uuid>,
) -> anyhow::Result<Vec<ProjectSummary>> {
    let query = match after {
        None => sqlx::query(
            "SELECT project_id, name, status, start_date, deadline, created_at FROM boards_projects
             WHERE project_id = ANY($1) ORDER BY project_id LIMIT $2",
        )
        .bind(ids),
        Some(after) => sqlx::query(
            "SELECT project_id, name, status, start_date, deadline, created_at FROM boards_projects
             WHERE project_id = ANY($1) AND project_id > $2 ORDER BY project_id LIMIT $3",
        )
        .bind(ids)
        .bind(after),
    };
    let rows = query.bind(limit.max(0)).fetch_all(pool).await?;
    rows.iter().map(summary).collect()
}

pub async fn project(pool: &PgPool, project_id: Uuid) -> anyhow::Result<Option<ProjectView>> {
    let row = sqlx::query(
        "SELECT project_id, name, status, start_date, deadline, created_at FROM boards_projects
         WHERE project_id = $1",
    )
    .bind(project_id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let p = summary(&row)?;
    let members = sqlx::query(
        "SELECT pm.member_id, m.name, pm.role
         FROM boards_project_members pm LEFT JOIN boards_members m USING (member_id)
         WHERE pm.project_id = $1 ORDER BY m.name, pm.member_id",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(ProjectMember {
            member_id: r.try_get("member_id")?,
            name: r.try_get("name")?,
            role: r.try_get("role")?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    let milestones = sqlx::query(
        "SELECT milestone_id, name, due_date, completed, completed_at FROM boards_milestones
         WHERE project_id = $1 ORDER BY due_date, milestone_id",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(MilestoneView {
            milestone_id: r.try_get("milestone_id")?,
            name: r.try_get("name")?,
            due_date: r.try_get("due_date")?,
            completed: r.try_get("completed")?,
            completed_at: r.try_get("completed_at")?,
        })
    })
    .collect::<anyhow::Result<Vec<_>>>()?;
    let pairs: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, count(*) FROM boards_tasks WHERE project_id = $1 GROUP BY status",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?;
    Ok(Some(ProjectView {
        project_id: p.project_id,
        name: p.name,
        status: p.status,
        start_date: p.start_date,
        deadline: p.deadline,
        created_at: p.created_at,
        members,
        milestones,
        task_counts: TaskCounts::from_pairs(pairs),
    }))
}

fn summary(row: &PgRow) -> anyhow::Result<ProjectSummary> {
    Ok(ProjectSummary {
        project_id: row.try_get("project_id")?,
        name: row.try_get("name")?,
        status: row.try_get("status")?,
        start_date: row.try_get("start_date")?,
        deadline: row.try_get("deadline")?,
        created_at: row.try_get("created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_fill_every_status_and_ignore_unknown_ones() {
        let counts =
            TaskCounts::from_pairs([("todo".into(), 3), ("done".into(), 2), ("doing".into(), 9)]);
        assert_eq!(
            counts,
            TaskCounts {
                todo: 3,
                in_progress: 0,
                blocked: 0,
                done: 2,
                cancelled: 0
            }
        );
    }
}
