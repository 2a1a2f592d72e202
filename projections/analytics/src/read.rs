//! The read functions the API calls: load one project's facts (or all open assigned work) and
//! hand them to the pure computations in `metrics`.

use std::collections::HashMap;

use anyhow::Context;
use chrono::NaiveDate;
use domain::ProjectId;
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use uuid::Uuid;

use crate::metrics::{self, ProjectFacts};
use crate::model::{MemberRow, TaskRow};
use crate::rows::{self, task_columns};
use crate::view::{MemberLoad, ProjectAnalytics};

/// A project's analytics as of the end of `as_of` (UTC); `None` for a project never created.
pub async fn project_analytics(
    pool: &PgPool,
    project_id: ProjectId,
    as_of: NaiveDate,
) -> anyhow::Result<Option<ProjectAnalytics>> {
    let mut tx = snapshot(pool).await?;
    let facts = project_facts(&mut tx, project_id.0).await;
    end(tx).await?;
    Ok(facts?.map(|facts| metrics::project_analytics(facts, as_of)))
}

/// Every registered member's open work (across all projects) against their weekly capacity.
pub async fn member_load(pool: &PgPool) -> anyhow::Result<Vec<MemberLoad>> {
    let mut tx = snapshot(pool).await?;
    let loaded = open_work(&mut tx).await;
    end(tx).await?;
    let (members, tasks) = loaded?;
    Ok(metrics::member_load(&members, &tasks))
}

/// One read-only snapshot for all of an answer's reads, so that tasks and transitions agree.
async fn snapshot(pool: &PgPool) -> anyhow::Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// Ends the snapshot explicitly, whatever the reads gave: a transaction merely dropped is rolled
/// back only when its connection is next used, and until then it sits idle in transaction,
/// holding locks that a rebuild's schema swap waits for.
async fn end(tx: Transaction<'static, Postgres>) -> anyhow::Result<()> {
    tx.rollback().await.context("ending the read snapshot")
}

async fn project_facts(conn: &mut PgConnection, id: Uuid) -> anyhow::Result<Option<ProjectFacts>> {
    let project =
        sqlx::query("SELECT id, name, start_date, deadline FROM analytics_projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .context("reading the project")?;
    let Some(project) = project.as_ref().map(rows::project).transpose()? else {
        return Ok(None);
    };
    let milestones = sqlx::query("SELECT project_id, id, name, due_date, completed_at FROM analytics_milestones WHERE project_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .context("reading the project's milestones")?
        .iter()
        .map(rows::milestone)
        .collect::<sqlx::Result<Vec<_>>>()?;
    let tasks = sqlx::query(concat!(
        "SELECT ",
        task_columns!(),
        " FROM analytics_tasks WHERE project_id = $1"
    ))
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the project's tasks")?
    .iter()
    .map(rows::task)
    .collect::<sqlx::Result<Vec<_>>>()?;
    let transitions = sqlx::query(
        "SELECT position, task_id, project_id, milestone_id, from_status, to_status, occurred_at, estimate_hours \
         FROM analytics_transitions WHERE project_id = $1 ORDER BY occurred_at, position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the project's transitions")?
    .iter()
    .map(rows::transition)
    .collect::<sqlx::Result<Vec<_>>>()?;
    let scope = sqlx::query(
        "SELECT position, project_id, milestone_id, task_id, occurred_at, delta_hours, delta_tasks \
         FROM analytics_scope_changes WHERE project_id = $1 ORDER BY occurred_at, position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .context("reading the project's scope changes")?
    .iter()
    .map(rows::scope_change)
    .collect::<sqlx::Result<Vec<_>>>()?;
    let mut assignees: Vec<Uuid> = tasks.iter().filter_map(|t| t.assignee).collect();
    assignees.sort_unstable();
    assignees.dedup();
    let member_names: HashMap<Uuid, String> =
        sqlx::query_as("SELECT id, name FROM analytics_members WHERE id = ANY($1)")
            .bind(&assignees)
            .fetch_all(&mut *conn)
            .await
            .context("reading the assignees' names")?
            .into_iter()
            .collect();
    Ok(Some(ProjectFacts {
        project,
        milestones,
        tasks,
        transitions,
        scope,
        member_names,
    }))
}

async fn open_work(conn: &mut PgConnection) -> anyhow::Result<(Vec<MemberRow>, Vec<TaskRow>)> {
    let members = sqlx::query("SELECT id, name, capacity_hours_per_week FROM analytics_members")
        .fetch_all(&mut *conn)
        .await
        .context("reading members")?
        .iter()
        .map(rows::member)
        .collect::<sqlx::Result<Vec<_>>>()?;
    let tasks = sqlx::query(concat!(
        "SELECT ",
        task_columns!(),
        " FROM analytics_tasks WHERE assignee IS NOT NULL AND status NOT IN ('done', 'cancelled')"
    ))
    .fetch_all(&mut *conn)
    .await
    .context("reading open assigned tasks")?
    .iter()
    .map(rows::task)
    .collect::<sqlx::Result<Vec<_>>>()?;
    Ok((members, tasks))
}
