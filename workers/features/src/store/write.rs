//! Writes what a batch changed, one set-wise statement per table, and the dump of every row.

use anyhow::Context as _;
use serde_json::Value;
use sqlx::PgConnection;

use crate::FEATURE_NAMES;
use crate::serving::Changed;

/// Writes the batch under one new `seq`, which it returns.
pub(crate) async fn write_batch(conn: &mut PgConnection, changed: &Changed) -> anyhow::Result<i64> {
    let seq: i64 = sqlx::query_scalar("SELECT nextval('feature_seq')")
        .fetch_one(&mut *conn)
        .await
        .context("taking the batch's seq")?;
    tasks(conn, changed, seq).await.context("writing tasks")?;
    projects(conn, changed, seq)
        .await
        .context("writing project contexts")?;
    samples(conn, changed).await.context("writing samples")?;
    Ok(seq)
}

async fn tasks(conn: &mut PgConnection, changed: &Changed, seq: i64) -> anyhow::Result<()> {
    let rows = &changed.tasks;
    if rows.is_empty() {
        return Ok(());
    }
    let width = FEATURE_NAMES.len();
    let mut features = Vec::with_capacity(rows.len() * width);
    for row in rows {
        anyhow::ensure!(
            row.features.len() == width,
            "task {} has {} features, not {width}",
            row.task_id,
            row.features.len()
        );
        features.extend_from_slice(&row.features);
    }
    let contexts = rows
        .iter()
        .map(|row| serde_json::to_value(&row.context))
        .collect::<Result<Vec<Value>, _>>()?;
    let candidates = rows
        .iter()
        .map(|row| serde_json::to_value(&row.candidates))
        .collect::<Result<Vec<Value>, _>>()?;
    sqlx::query(include_str!("sql/upsert_tasks.sql"))
        .bind(rows.iter().map(|row| row.task_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|row| row.project_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|row| row.open).collect::<Vec<_>>())
        .bind(rows.iter().map(|row| row.as_of).collect::<Vec<_>>())
        .bind(features)
        .bind(contexts)
        .bind(candidates)
        .bind(width as i64)
        .bind(seq)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn projects(conn: &mut PgConnection, changed: &Changed, seq: i64) -> anyhow::Result<()> {
    if changed.projects.is_empty() {
        return Ok(());
    }
    let contexts = changed
        .projects
        .iter()
        .map(|(_, context)| serde_json::to_value(context))
        .collect::<Result<Vec<Value>, _>>()?;
    sqlx::query(include_str!("sql/upsert_projects.sql"))
        .bind(
            changed
                .projects
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>(),
        )
        .bind(contexts)
        .bind(seq)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn samples(conn: &mut PgConnection, changed: &Changed) -> anyhow::Result<()> {
    let rows = &changed.samples;
    if rows.is_empty() {
        return Ok(());
    }
    let width = FEATURE_NAMES.len();
    let mut features = Vec::with_capacity(rows.len() * width);
    for row in rows {
        anyhow::ensure!(
            row.features.0.len() == width,
            "the sample of task {} has {} features, not {width}",
            row.task_id,
            row.features.0.len()
        );
        features.extend_from_slice(&row.features.0);
    }
    sqlx::query(include_str!("sql/insert_samples.sql"))
        .bind(rows.iter().map(|s| s.task_id.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|s| s.start_position).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|s| s.completed_position)
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|s| s.member_id.map(|m| m.0))
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|s| s.started_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|s| s.completed_at).collect::<Vec<_>>())
        .bind(features)
        .bind(rows.iter().map(|s| s.duration_hours).collect::<Vec<_>>())
        .bind(rows.iter().map(|s| s.estimate_hours).collect::<Vec<_>>())
        .bind(rows.iter().map(|s| s.late).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|s| s.hours_to_due_at_start)
                .collect::<Vec<_>>(),
        )
        .bind(width as i64)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Every row of the store in key order, without `seq` (see `sql/dump.sql`).
pub(crate) async fn dump(conn: &mut PgConnection) -> anyhow::Result<Value> {
    let dump = sqlx::query_scalar(include_str!("sql/dump.sql"))
        .fetch_one(conn)
        .await?;
    Ok(dump)
}
