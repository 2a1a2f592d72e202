//! Writing back what a batch changed: one set-based statement per table, none when nothing changed.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::fold::Rows;

pub async fn changed_rows(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    projects(conn, rows).await?;
    milestones(conn, rows).await?;
    members(conn, rows).await?;
    time_off(conn, rows).await?;
    memberships(conn, rows).await?;
    forecasts(conn, rows).await?;
    tasks(conn, rows).await
}

/// A redelivered older forecast never replaces a newer one.
async fn forecasts(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    if rows.forecasts.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO schedules_forecasts (project_id, forecast, position)
         SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::int8[])
         ON CONFLICT (project_id) DO UPDATE
         SET forecast = EXCLUDED.forecast, position = EXCLUDED.position
         WHERE schedules_forecasts.position < EXCLUDED.position",
    )
    .bind(rows.forecasts.keys().copied().collect::<Vec<_>>())
    .bind(rows.forecasts.values().map(|(f, _)| f).collect::<Vec<_>>())
    .bind(rows.forecasts.values().map(|(_, p)| *p).collect::<Vec<_>>())
    .execute(conn)
    .await?;
    Ok(())
}

async fn projects(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    let changed: Vec<_> = rows
        .changed
        .projects
        .iter()
        .filter_map(|id| rows.projects.get(id))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_projects.sql"))
        .bind(changed.iter().map(|p| p.id).collect::<Vec<_>>())
        .bind(changed.iter().map(|p| p.name.as_str()).collect::<Vec<_>>())
        .bind(changed.iter().map(|p| p.start_date).collect::<Vec<_>>())
        .bind(changed.iter().map(|p| p.deadline).collect::<Vec<_>>())
        .bind(
            changed
                .iter()
                .map(|p| p.status.as_str())
                .collect::<Vec<_>>(),
        )
        .execute(conn)
        .await?;
    Ok(())
}

async fn milestones(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    let changed: Vec<_> = rows
        .changed
        .milestones
        .iter()
        .filter_map(|key| rows.milestones.get(key))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_milestones.sql"))
        .bind(changed.iter().map(|m| m.project_id).collect::<Vec<_>>())
        .bind(changed.iter().map(|m| m.id).collect::<Vec<_>>())
        .bind(changed.iter().map(|m| m.name.as_str()).collect::<Vec<_>>())
        .bind(changed.iter().map(|m| m.due_date).collect::<Vec<_>>())
        .bind(changed.iter().map(|m| m.completed).collect::<Vec<_>>())
        .execute(conn)
        .await?;
    Ok(())
}

async fn members(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    let changed: Vec<_> = rows
        .changed
        .members
        .iter()
        .filter_map(|id| rows.members.get(id))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_members.sql"))
        .bind(changed.iter().map(|m| m.id).collect::<Vec<_>>())
        .bind(changed.iter().map(|m| m.name.as_str()).collect::<Vec<_>>())
        .bind(
            changed
                .iter()
                .map(|m| m.capacity_hours_per_week)
                .collect::<Vec<_>>(),
        )
        .execute(conn)
        .await?;
    Ok(())
}

async fn time_off(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    if rows.time_off.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/insert_time_off.sql"))
        .bind(rows.time_off.iter().map(|t| t.0).collect::<Vec<_>>())
        .bind(rows.time_off.iter().map(|t| t.1).collect::<Vec<_>>())
        .bind(rows.time_off.iter().map(|t| t.2).collect::<Vec<_>>())
        .execute(conn)
        .await?;
    Ok(())
}

async fn memberships(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    let (joined, left): (Vec<_>, Vec<_>) = rows
        .memberships
        .iter()
        .partition(|(_, role)| role.is_some());
    if !joined.is_empty() {
        sqlx::query(include_str!("sql/upsert_memberships.sql"))
            .bind(joined.iter().map(|(k, _)| k.0).collect::<Vec<Uuid>>())
            .bind(joined.iter().map(|(k, _)| k.1).collect::<Vec<Uuid>>())
            .bind(
                joined
                    .iter()
                    .map(|(_, role)| role.as_ref().and_then(|r| r.as_deref()))
                    .collect::<Vec<_>>(),
            )
            .execute(&mut *conn)
            .await?;
    }
    if !left.is_empty() {
        sqlx::query(include_str!("sql/delete_memberships.sql"))
            .bind(left.iter().map(|(k, _)| k.0).collect::<Vec<Uuid>>())
            .bind(left.iter().map(|(k, _)| k.1).collect::<Vec<Uuid>>())
            .execute(conn)
            .await?;
    }
    Ok(())
}

async fn tasks(conn: &mut PgConnection, rows: &Rows) -> anyhow::Result<()> {
    let changed: Vec<_> = rows
        .changed
        .tasks
        .iter()
        .filter_map(|id| rows.tasks.get(id))
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    sqlx::query(include_str!("sql/upsert_tasks.sql"))
        .bind(changed.iter().map(|t| t.id).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.project_id).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.title.as_str()).collect::<Vec<_>>())
        .bind(
            changed
                .iter()
                .map(|t| t.status.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            changed
                .iter()
                .map(|t| t.blocked_from.map(|s| s.as_str()))
                .collect::<Vec<_>>(),
        )
        .bind(changed.iter().map(|t| t.assignee).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.estimate_hours).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.logged_hours).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.priority).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.milestone_id).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.due_date).collect::<Vec<_>>())
        .bind(
            changed
                .iter()
                .map(|t| array_literal(&t.depends_on))
                .collect::<Vec<_>>(),
        )
        .bind(changed.iter().map(|t| t.created_at).collect::<Vec<_>>())
        .bind(
            changed
                .iter()
                .map(|t| t.created_position)
                .collect::<Vec<_>>(),
        )
        .bind(changed.iter().map(|t| t.started_at).collect::<Vec<_>>())
        .bind(changed.iter().map(|t| t.completed_at).collect::<Vec<_>>())
        .bind(
            changed
                .iter()
                .map(|t| t.predicted_hours)
                .collect::<Vec<_>>(),
        )
        .bind(
            changed
                .iter()
                .map(|t| t.forecast_finish_p50)
                .collect::<Vec<_>>(),
        )
        .bind(
            changed
                .iter()
                .map(|t| t.forecast_finish_p90)
                .collect::<Vec<_>>(),
        )
        .execute(conn)
        .await?;
    Ok(())
}

/// A PostgreSQL array literal of uuids: `unnest` cannot take an array of arrays of varying length.
fn array_literal(ids: &[Uuid]) -> String {
    let inner: Vec<String> = ids.iter().map(Uuid::to_string).collect();
    format!("{{{}}}", inner.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_travel_as_array_literals() {
        assert_eq!(array_literal(&[]), "{}");
        assert_eq!(
            array_literal(&[Uuid::from_u128(1), Uuid::from_u128(2)]),
            "{00000000-0000-0000-0000-000000000001,00000000-0000-0000-0000-000000000002}"
        );
    }
}
