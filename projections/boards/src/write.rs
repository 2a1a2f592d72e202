//! Writes what a batch changed: one set-based statement per table, whatever the batch size.

use serde_json::Value;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::fold::Working;

pub async fn changes(conn: &mut PgConnection, w: &Working) -> anyhow::Result<()> {
    tasks(conn, w).await?;
    projects(conn, w).await?;
    members(conn, w).await?;
    milestones(conn, w).await?;
    memberships(conn, w).await?;
    Ok(())
}

async fn tasks(conn: &mut PgConnection, w: &Working) -> anyhow::Result<()> {
    let rows: Vec<_> = w
        .changed_tasks
        .iter()
        .filter_map(|id| w.tasks.get(id))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    // Labels, skills and dependencies go as one JSON array per row (see upsert_tasks.sql).
    let column =
        |f: fn(&crate::rows::TaskRow) -> Value| rows.iter().map(|t| f(t)).collect::<Vec<Value>>();
    sqlx::query(include_str!("sql/upsert_tasks.sql"))
        .bind(rows.iter().map(|t| t.task_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.project_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.title.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|t| t.description.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|t| t.status.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|t| t.blocked_from.map(|s| s.as_str()))
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|t| t.assignee).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.estimate_hours).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.logged_hours).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.priority).collect::<Vec<_>>())
        .bind(column(|t| Value::from(t.labels.clone())))
        .bind(column(|t| Value::from(t.skills.clone())))
        .bind(rows.iter().map(|t| t.milestone_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.due_date).collect::<Vec<_>>())
        .bind(column(|t| {
            t.depends_on
                .iter()
                .map(|d| Value::String(d.to_string()))
                .collect()
        }))
        .bind(rows.iter().map(|t| t.reopen_count).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.created_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.started_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.completed_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.updated_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.risk).collect::<Vec<_>>())
        .bind(rows.iter().map(|t| t.forecast.as_ref()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|t| t.risk_detail.as_ref())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|t| t.recommendation.as_ref())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|t| t.last_position).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn projects(conn: &mut PgConnection, w: &Working) -> anyhow::Result<()> {
    let rows: Vec<_> = w
        .changed_projects
        .iter()
        .filter_map(|id| w.projects.get(id))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_projects.sql"))
        .bind(rows.iter().map(|p| p.project_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.name.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.status.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.start_date).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.deadline).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.created_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|p| p.updated_at).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn members(conn: &mut PgConnection, w: &Working) -> anyhow::Result<()> {
    let rows: Vec<_> = w
        .changed_members
        .iter()
        .filter_map(|id| w.members.get(id))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_members.sql"))
        .bind(rows.iter().map(|m| m.member_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.name.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|m| Value::from(m.skills.clone()))
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|m| m.capacity_hours_per_week)
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|m| m.registered_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.updated_at).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn milestones(conn: &mut PgConnection, w: &Working) -> anyhow::Result<()> {
    let rows: Vec<_> = w
        .changed_milestones
        .iter()
        .filter_map(|key| w.milestones.get(key))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_milestones.sql"))
        .bind(rows.iter().map(|m| m.project_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.milestone_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.name.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.due_date).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.completed).collect::<Vec<_>>())
        .bind(rows.iter().map(|m| m.completed_at).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Memberships the batch ended are deleted, the others written as they stand after it.
async fn memberships(conn: &mut PgConnection, w: &Working) -> anyhow::Result<()> {
    let (ended, current): (Vec<_>, Vec<_>) = w.memberships.iter().partition(|(_, m)| m.is_none());
    if !ended.is_empty() {
        let (projects, members): (Vec<Uuid>, Vec<Uuid>) =
            ended.iter().map(|(key, _)| **key).unzip();
        sqlx::query(
            "DELETE FROM boards_project_members pm
             USING unnest($1::uuid[], $2::uuid[]) AS k(project_id, member_id)
             WHERE pm.project_id = k.project_id AND pm.member_id = k.member_id",
        )
        .bind(&projects)
        .bind(&members)
        .execute(&mut *conn)
        .await?;
    }
    let current: Vec<_> = current
        .into_iter()
        .filter_map(|(key, m)| m.as_ref().map(|m| (*key, m)))
        .collect();
    if !current.is_empty() {
        sqlx::query(
            "INSERT INTO boards_project_members (project_id, member_id, role, joined_at)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[])
             ON CONFLICT (project_id, member_id) DO UPDATE SET
                 role = EXCLUDED.role, joined_at = EXCLUDED.joined_at",
        )
        .bind(current.iter().map(|(key, _)| key.0).collect::<Vec<_>>())
        .bind(current.iter().map(|(key, _)| key.1).collect::<Vec<_>>())
        .bind(
            current
                .iter()
                .map(|(_, m)| m.role.as_deref())
                .collect::<Vec<_>>(),
        )
        .bind(current.iter().map(|(_, m)| m.joined_at).collect::<Vec<_>>())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
