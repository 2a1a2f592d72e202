//! A batch applied: load the rows it touches (one query per table), fold in memory, write back
//! set-wise (one statement per table). Nothing here runs a statement per event.

use consumer::LoggedEvent;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::fold::{Changes, Fold, Keys, fold_batch, keys};
use crate::rows::{self, task_columns};

pub(crate) async fn apply(conn: &mut PgConnection, events: &[LoggedEvent]) -> anyhow::Result<()> {
    let keys = keys(events);
    let fold = load(conn, &keys).await?;
    let changes = fold_batch(fold, events);
    write(conn, &changes).await
}

async fn load(conn: &mut PgConnection, keys: &Keys) -> anyhow::Result<Fold> {
    let mut tasks = Vec::new();
    if !keys.tasks.is_empty() {
        let sql = concat!(
            "SELECT ",
            task_columns!(),
            " FROM analytics_tasks WHERE id = ANY($1)"
        );
        for row in sqlx::query(sql)
            .bind(&keys.tasks)
            .fetch_all(&mut *conn)
            .await?
        {
            tasks.push(rows::task(&row)?);
        }
    }
    let mut projects = Vec::new();
    if !keys.projects.is_empty() {
        let sql =
            "SELECT id, name, start_date, deadline FROM analytics_projects WHERE id = ANY($1)";
        for row in sqlx::query(sql)
            .bind(&keys.projects)
            .fetch_all(&mut *conn)
            .await?
        {
            projects.push(rows::project(&row)?);
        }
    }
    let mut members = Vec::new();
    if !keys.members.is_empty() {
        let sql =
            "SELECT id, name, capacity_hours_per_week FROM analytics_members WHERE id = ANY($1)";
        for row in sqlx::query(sql)
            .bind(&keys.members)
            .fetch_all(&mut *conn)
            .await?
        {
            members.push(rows::member(&row)?);
        }
    }
    let mut milestones = Vec::new();
    if !keys.milestones.is_empty() {
        let (project_ids, ids): (Vec<Uuid>, Vec<Uuid>) = keys.milestones.iter().copied().unzip();
        let sql = "SELECT project_id, id, name, due_date, completed_at FROM analytics_milestones \
                   WHERE (project_id, id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))";
        for row in sqlx::query(sql)
            .bind(&project_ids)
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?
        {
            milestones.push(rows::milestone(&row)?);
        }
    }
    Ok(Fold::new(tasks, projects, members, milestones))
}

async fn write(conn: &mut PgConnection, changes: &Changes) -> anyhow::Result<()> {
    if !changes.projects.is_empty() {
        let p = &changes.projects;
        sqlx::query(include_str!("sql/upsert_projects.sql"))
            .bind(p.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(p.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|r| r.start_date).collect::<Vec<_>>())
            .bind(p.iter().map(|r| r.deadline).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
    }
    if !changes.milestones.is_empty() {
        let m = &changes.milestones;
        sqlx::query(include_str!("sql/upsert_milestones.sql"))
            .bind(m.iter().map(|r| r.project_id).collect::<Vec<_>>())
            .bind(m.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(m.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
            .bind(m.iter().map(|r| r.due_date).collect::<Vec<_>>())
            .bind(m.iter().map(|r| r.completed_at).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
    }
    if !changes.members.is_empty() {
        let m = &changes.members;
        sqlx::query(include_str!("sql/upsert_members.sql"))
            .bind(m.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(m.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
            .bind(
                m.iter()
                    .map(|r| r.capacity_hours_per_week)
                    .collect::<Vec<_>>(),
            )
            .execute(&mut *conn)
            .await?;
    }
    write_tasks(conn, changes).await
}

async fn write_tasks(conn: &mut PgConnection, changes: &Changes) -> anyhow::Result<()> {
    if !changes.new_tasks.is_empty() {
        let t = &changes.new_tasks;
        sqlx::query(include_str!("sql/insert_tasks.sql"))
            .bind(t.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.project_id).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.assignee).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.estimate_hours).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.original_estimate).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.logged_hours).collect::<Vec<_>>())
            .bind(
                t.iter()
                    .map(|r| serde_json::json!(r.labels))
                    .collect::<Vec<_>>(),
            )
            .bind(t.iter().map(|r| r.milestone_id).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.status.as_str()).collect::<Vec<_>>())
            .bind(
                t.iter()
                    .map(|r| r.blocked_from.map(|s| s.as_str()))
                    .collect::<Vec<_>>(),
            )
            .bind(t.iter().map(|r| r.created_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.started_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.completed_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.reopen_count).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.cancelled_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.risk).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
    }
    if !changes.tasks.is_empty() {
        let t = &changes.tasks;
        sqlx::query(include_str!("sql/update_tasks.sql"))
            .bind(t.iter().map(|r| r.id).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.assignee).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.estimate_hours).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.logged_hours).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.status.as_str()).collect::<Vec<_>>())
            .bind(
                t.iter()
                    .map(|r| r.blocked_from.map(|s| s.as_str()))
                    .collect::<Vec<_>>(),
            )
            .bind(t.iter().map(|r| r.started_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.completed_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.reopen_count).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.cancelled_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.risk).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
    }
    if !changes.transitions.is_empty() {
        let t = &changes.transitions;
        sqlx::query(include_str!("sql/insert_transitions.sql"))
            .bind(t.iter().map(|r| r.position).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.task_id).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.project_id).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.milestone_id).collect::<Vec<_>>())
            .bind(
                t.iter()
                    .map(|r| r.from.map(|s| s.as_str()))
                    .collect::<Vec<_>>(),
            )
            .bind(t.iter().map(|r| r.to.as_str()).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.occurred_at).collect::<Vec<_>>())
            .bind(t.iter().map(|r| r.estimate_hours).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
    }
    if !changes.scope.is_empty() {
        let s = &changes.scope;
        sqlx::query(include_str!("sql/insert_scope_changes.sql"))
            .bind(s.iter().map(|r| r.position).collect::<Vec<_>>())
            .bind(s.iter().map(|r| r.project_id).collect::<Vec<_>>())
            .bind(s.iter().map(|r| r.milestone_id).collect::<Vec<_>>())
            .bind(s.iter().map(|r| r.task_id).collect::<Vec<_>>())
            .bind(s.iter().map(|r| r.occurred_at).collect::<Vec<_>>())
            .bind(s.iter().map(|r| r.delta_hours).collect::<Vec<_>>())
            .bind(s.iter().map(|r| r.delta_tasks).collect::<Vec<_>>())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
