//! The feature store: its tables (`store/sql/schema.sql`), the rows the prediction worker reads,
//! and the reads it uses.
//!
//! The feature worker owns these tables and is the only writer (`store/write.rs`). Every read
//! names its tables unqualified: the caller's pool has the worker's schema (`<ns>__features`,
//! [`consumer::projection_schema`]) first on its search path.

mod write;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use sqlx::{PgPool, Row};
use uuid::Uuid;

pub(crate) use write::{dump, write_batch};

/// The store's idempotent DDL, run in the worker's own schema.
pub const SCHEMA_SQL: &str = include_str!("store/sql/schema.sql");

/// The feature worker's consumer name, which also names the store's schema (`<ns>__features`).
pub const CONSUMER: &str = "features";

/// The latest sequence number the store was written with; 0 while empty.
pub async fn head_seq(pool: &PgPool) -> anyhow::Result<i64> {
    let head: Option<i64> = sqlx::query_scalar("SELECT max(seq) FROM feature_tasks")
        .fetch_one(pool)
        .await?;
    Ok(head.unwrap_or(0))
}

/// A pool for reading the feature store: its schema first on the search path, then the
/// namespace's; the store's tables are made sure of, so a reader may start before the worker.
pub async fn connect(mut options: store::ConnectOptions) -> anyhow::Result<PgPool> {
    let schema = consumer::projection_schema(&options.namespace, CONSUMER);
    options.schemas_first = vec![schema.clone()];
    let pool = store::connect(&options).await?;
    consumer::ensure_schema(&pool, &schema, SCHEMA_SQL).await?;
    Ok(pool)
}

/// What a task is, beside its features: what the prediction worker needs to turn a predicted
/// duration into dates and a project forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskContext {
    /// `todo`, `in_progress`, `blocked`, `done` or `cancelled`.
    pub status: String,
    pub assignee: Option<Uuid>,
    pub milestone_id: Option<Uuid>,
    pub depends_on: Vec<Uuid>,
    pub due_date: Option<DateTime<Utc>>,
    /// The start of the current run; `None` before the first start and after a reopen.
    pub started_at: Option<DateTime<Utc>>,
    pub estimate_hours: f64,
    /// 1 (highest) to 4.
    pub priority: u8,
    /// Trimmed and lower-cased.
    pub skills: Vec<String>,
}

/// An open unassigned task's features as if `member_id` were its assignee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateFeatures {
    pub member_id: Uuid,
    /// `FeatureState::task_features_for(task, member)`, in `FEATURE_NAMES` order.
    pub features: Vec<f64>,
    /// Share of the task's skills the member has (1 when the task asks for none).
    pub skill_match: f64,
    /// The estimate hours of the member's open tasks, in every project.
    pub queued_open_hours: f64,
    pub capacity_hours_per_week: f64,
    /// The member's open tasks, in every project, in the order they are worked: started first,
    /// then by priority and due date; at most [`QUEUE_LIMIT`]. Empty in rows written before
    /// queues were kept.
    #[serde(default)]
    pub queue: Vec<QueuedTask>,
}

/// How many of a member's open tasks a candidate carries: the head of the queue, where a new
/// task can land and what it can push back.
pub const QUEUE_LIMIT: usize = 50;

/// One of a candidate's open tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedTask {
    pub task_id: Uuid,
    pub estimate_hours: f64,
    /// 1 (highest) to 4.
    pub priority: u8,
    pub due_date: Option<DateTime<Utc>>,
    /// The start of the current run, if started.
    pub started_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneContext {
    pub milestone_id: Uuid,
    pub due_date: NaiveDate,
    pub completed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberContext {
    pub member_id: Uuid,
    pub capacity_hours_per_week: f64,
    /// The estimate hours of the member's open tasks, in every project.
    pub queued_open_hours: f64,
}

/// A project's plan and people, for its completion forecast. Milestones and members by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectContext {
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub milestones: Vec<MilestoneContext>,
    pub members: Vec<MemberContext>,
}

/// One row of `feature_tasks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredTask {
    pub task_id: Uuid,
    pub project_id: Uuid,
    /// Neither done nor cancelled.
    pub open: bool,
    /// The business time the features are as of: the fold's clock (the latest `occurred_at`
    /// folded) right after the last event that changed them. Time alone moves them too: every
    /// open task is computed again when the business time enters a new day.
    pub as_of: DateTime<Utc>,
    /// `FEATURE_NAMES` order, with the current assignee (or none).
    pub features: Vec<f64>,
    pub context: TaskContext,
    /// One per project member for an open unassigned task, by member id; empty otherwise.
    pub candidates: Vec<CandidateFeatures>,
    /// The batch that wrote the row: rows come in `seq` order, a batch's rows share one.
    pub seq: i64,
}

/// One row of `feature_samples`: a completed run, with its features as of its start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredSample {
    pub task_id: Uuid,
    /// Log positions of the start and of the completion.
    pub start_position: i64,
    pub completed_position: i64,
    /// The assignee as of the start.
    pub member_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub features: Vec<f64>,
    /// Business hours from start to completion, blocked periods included.
    pub duration_hours: f64,
    /// The estimate as of the start.
    pub estimate_hours: f64,
    /// Completed after the due date known at the start; `None` without one.
    pub late: Option<bool>,
    /// Hours from the start to that due date.
    pub hours_to_due: Option<f64>,
}

const TASK_COLUMNS: &str = "task_id, project_id, open, as_of, features, context, candidates, seq";

/// Rows written after `after_seq`, in `seq` order (then by task), at most `limit` — except that
/// a batch is never cut: the rows of the last `seq` returned all come, so a reader that moves
/// its cursor to the highest `seq` it got misses nothing, even past `limit`.
pub async fn changed_tasks(
    pool: &PgPool,
    after_seq: i64,
    limit: i64,
) -> anyhow::Result<Vec<StoredTask>> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM feature_tasks \
         WHERE seq > $1 AND seq <= (SELECT max(seq) FROM \
             (SELECT seq FROM feature_tasks WHERE seq > $1 ORDER BY seq LIMIT $2) AS head) \
         ORDER BY seq, task_id"
    );
    let rows = sqlx::query(&sql)
        .bind(after_seq)
        .bind(limit.max(1))
        .fetch_all(pool)
        .await?;
    rows.iter().map(stored_task).collect()
}

/// The project's open tasks, by id.
pub async fn open_tasks_of_project(
    pool: &PgPool,
    project_id: Uuid,
) -> anyhow::Result<Vec<StoredTask>> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM feature_tasks WHERE open AND project_id = $1 ORDER BY task_id"
    );
    let rows = sqlx::query(&sql).bind(project_id).fetch_all(pool).await?;
    rows.iter().map(stored_task).collect()
}

/// Every open task, by project and id.
pub async fn all_open_tasks(pool: &PgPool) -> anyhow::Result<Vec<StoredTask>> {
    let sql =
        format!("SELECT {TASK_COLUMNS} FROM feature_tasks WHERE open ORDER BY project_id, task_id");
    let rows = sqlx::query(&sql).fetch_all(pool).await?;
    rows.iter().map(stored_task).collect()
}

pub async fn project_context(
    pool: &PgPool,
    project_id: Uuid,
) -> anyhow::Result<Option<ProjectContext>> {
    let context: Option<Json<ProjectContext>> =
        sqlx::query_scalar("SELECT context FROM feature_projects WHERE project_id = $1")
            .bind(project_id)
            .fetch_optional(pool)
            .await?;
    Ok(context.map(|Json(context)| context))
}

/// Every training sample, in completion order.
pub async fn samples(pool: &PgPool) -> anyhow::Result<Vec<StoredSample>> {
    let rows = sqlx::query(
        "SELECT task_id, start_position, completed_position, member_id, started_at, completed_at, \
         features, duration_hours, estimate_hours, late, hours_to_due \
         FROM feature_samples ORDER BY completed_position, task_id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter().map(stored_sample).collect()
}

// Read by hand: the derive would pull in sqlx's macro crates, a long build for a few structs.
fn stored_task(row: &PgRow) -> anyhow::Result<StoredTask> {
    let Json(context) = row.try_get("context")?;
    let Json(candidates) = row.try_get("candidates")?;
    Ok(StoredTask {
        task_id: row.try_get("task_id")?,
        project_id: row.try_get("project_id")?,
        open: row.try_get("open")?,
        as_of: row.try_get("as_of")?,
        features: row.try_get("features")?,
        context,
        candidates,
        seq: row.try_get("seq")?,
    })
}

fn stored_sample(row: &PgRow) -> anyhow::Result<StoredSample> {
    Ok(StoredSample {
        task_id: row.try_get("task_id")?,
        start_position: row.try_get("start_position")?,
        completed_position: row.try_get("completed_position")?,
        member_id: row.try_get("member_id")?,
        started_at: row.try_get("started_at")?,
        completed_at: row.try_get("completed_at")?,
        features: row.try_get("features")?,
        duration_hours: row.try_get("duration_hours")?,
        estimate_hours: row.try_get("estimate_hours")?,
        late: row.try_get("late")?,
        hours_to_due: row.try_get("hours_to_due")?,
    })
}
