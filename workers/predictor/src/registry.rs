//! The model registry in PostgreSQL: trained models, their metrics and training position, and
//! which one is active. A model is loaded only if its bytes match their checksum and it was
//! trained on the feature schema in use; anything else is refused, and retraining from the log
//! makes a new one.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Executor, PgPool, Row};

use crate::FittedModel;

/// A registry entry without its bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelEntry {
    pub version: i64,
    pub kind: String,
    pub status: String,
    pub metrics: serde_json::Value,
    pub parameters: serde_json::Value,
    pub training_position: i64,
    pub feature_schema: String,
    pub trained_at: DateTime<Utc>,
    pub promoted_at: Option<DateTime<Utc>>,
}

/// What a new model is registered with.
pub struct NewModel<'a> {
    pub model: &'a FittedModel,
    pub metrics: serde_json::Value,
    pub parameters: serde_json::Value,
    pub training_position: i64,
}

pub async fn ensure_registry(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    // Concurrent first starts must not race on CREATE.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('foresight.models'))")
        .execute(&mut *tx)
        .await?;
    tx.execute(include_str!("sql/registry.sql")).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a trained model as a candidate; returns its version.
pub async fn register(pool: &PgPool, new: &NewModel<'_>) -> anyhow::Result<i64> {
    let bytes = new.model.to_bytes()?;
    let version = sqlx::query_scalar(
        "INSERT INTO models (kind, status, metrics, parameters, training_position, feature_schema, model, checksum)
         VALUES ($1, 'candidate', $2, $3, $4, $5, $6, md5($6))
         RETURNING version",
    )
    .bind(new.model.describe())
    .bind(&new.metrics)
    .bind(&new.parameters)
    .bind(new.training_position)
    .bind(&new.model.schema_hash)
    .bind(&bytes)
    .fetch_one(pool)
    .await?;
    Ok(version)
}

/// Makes `version` the active model, retiring the one before; returns the one before.
pub async fn promote(pool: &PgPool, version: i64) -> anyhow::Result<Option<i64>> {
    let mut tx = pool.begin().await?;
    let previous: Option<i64> = sqlx::query_scalar(
        "UPDATE models SET status = 'retired' WHERE status = 'active' RETURNING version",
    )
    .fetch_optional(&mut *tx)
    .await?;
    let updated =
        sqlx::query("UPDATE models SET status = 'active', promoted_at = now() WHERE version = $1")
            .bind(version)
            .execute(&mut *tx)
            .await?;
    anyhow::ensure!(
        updated.rows_affected() == 1,
        "no model with version {version}"
    );
    tx.commit().await?;
    Ok(previous)
}

/// The active model's version, if one is active: cheap, for noticing a promotion.
pub async fn active_version(pool: &PgPool) -> anyhow::Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT version FROM models WHERE status = 'active'")
            .fetch_optional(pool)
            .await?,
    )
}

/// The test metrics recorded with the active model's training (`mae_hours`, `p90_coverage`,
/// `risk_auc`, `risk_brier`, ...), for the operators' dashboards.
pub async fn active_metrics(pool: &PgPool) -> anyhow::Result<Option<serde_json::Value>> {
    Ok(
        sqlx::query_scalar("SELECT metrics -> 'chosen' FROM models WHERE status = 'active'")
            .fetch_optional(pool)
            .await?,
    )
}

/// The active model, checked against its checksum and the feature schema in use.
pub async fn load_active(
    pool: &PgPool,
    feature_schema: &str,
) -> anyhow::Result<Option<(i64, FittedModel)>> {
    let row = sqlx::query(
        "SELECT version, model, md5(model) = checksum AS intact FROM models WHERE status = 'active'",
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let version: i64 = row.try_get("version")?;
    anyhow::ensure!(
        row.try_get::<bool, _>("intact")?,
        "model {version} does not match its checksum"
    );
    let bytes: Vec<u8> = row.try_get("model")?;
    let model = FittedModel::from_bytes(&bytes, feature_schema)
        .map_err(|e| anyhow::anyhow!("model {version} cannot be used: {e}"))?;
    Ok(Some((version, model)))
}

/// Every model, newest first.
pub async fn list(pool: &PgPool) -> anyhow::Result<Vec<ModelEntry>> {
    let rows = sqlx::query(
        "SELECT version, kind, status, metrics, parameters, training_position, feature_schema, trained_at, promoted_at
         FROM models ORDER BY version DESC",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ModelEntry {
                version: row.try_get("version")?,
                kind: row.try_get("kind")?,
                status: row.try_get("status")?,
                metrics: row.try_get("metrics")?,
                parameters: row.try_get("parameters")?,
                training_position: row.try_get("training_position")?,
                feature_schema: row.try_get("feature_schema")?,
                trained_at: row.try_get("trained_at")?,
                promoted_at: row.try_get("promoted_at")?,
            })
        })
        .collect()
}
