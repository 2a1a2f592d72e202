//! Reading the rows a batch touches, one statement per table.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::fold::{Keys, Rows};
use crate::rows::{MemberRow, MilestoneRow, ProjectRow, TaskRow};

const PROJECTS: &str =
    "SELECT id, name, start_date, deadline, status FROM schedules_projects WHERE id = ANY($1)";
const MILESTONES: &str =
    "SELECT project_id, id, name, due_date, completed FROM schedules_milestones WHERE id = ANY($1)";
const MEMBERS: &str =
    "SELECT id, name, capacity_hours_per_week FROM schedules_members WHERE id = ANY($1)";
const TASKS: &str = "SELECT id, project_id, title, status, blocked_from, assignee, estimate_hours, logged_hours, priority, \
     milestone_id, due_date, depends_on, created_at, created_position, started_at, completed_at, predicted_hours, \
     forecast_finish_p50, forecast_finish_p90 FROM schedules_tasks WHERE id = ANY($1)";

/// The current rows for `keys` (those that exist), ready to fold into.
pub async fn rows(conn: &mut PgConnection, keys: &Keys) -> anyhow::Result<Rows> {
    let mut rows = Rows::default();
    if !keys.projects.is_empty() {
        let found: Vec<ProjectRow> = sqlx::query_as(PROJECTS)
            .bind(ids(&keys.projects))
            .fetch_all(&mut *conn)
            .await?;
        rows.projects = found.into_iter().map(|r| (r.id, r)).collect();
    }
    if !keys.milestones.is_empty() {
        let found: Vec<MilestoneRow> = sqlx::query_as(MILESTONES)
            .bind(ids(&keys.milestones))
            .fetch_all(&mut *conn)
            .await?;
        rows.milestones = found
            .into_iter()
            .map(|r| ((r.project_id, r.id), r))
            .collect();
    }
    if !keys.members.is_empty() {
        let found: Vec<MemberRow> = sqlx::query_as(MEMBERS)
            .bind(ids(&keys.members))
            .fetch_all(&mut *conn)
            .await?;
        rows.members = found.into_iter().map(|r| (r.id, r)).collect();
    }
    if !keys.tasks.is_empty() {
        let found: Vec<TaskRow> = sqlx::query_as(TASKS)
            .bind(ids(&keys.tasks))
            .fetch_all(&mut *conn)
            .await?;
        rows.tasks = found.into_iter().map(|r| (r.id, r)).collect();
    }
    Ok(rows)
}

fn ids(set: &std::collections::BTreeSet<Uuid>) -> Vec<Uuid> {
    set.iter().copied().collect()
}
