//! A projection's own PostgreSQL schema, `<ns>_<projection>`, which a rebuild swaps whole.

use anyhow::Context;
use domain::Namespace;
use sqlx::{Executor, PgPool};

pub fn projection_schema(namespace: &Namespace, projection: &str) -> String {
    format!("{}_{projection}", namespace.as_str())
}

/// Creates the schema if needed and runs the projection's idempotent DDL in it.
pub async fn ensure_schema(pool: &PgPool, schema: &str, ddl: &str) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('foresight.create_schema'))")
        .execute(&mut *tx)
        .await?;
    // Schema names are built from a validated namespace and a projection's static name.
    tx.execute(format!("CREATE SCHEMA IF NOT EXISTS {schema}").as_str())
        .await?;
    tx.execute(format!("SET LOCAL search_path TO {schema}").as_str())
        .await?;
    tx.execute(sqlx::raw_sql(ddl))
        .await
        .with_context(|| format!("creating the tables of {schema}"))?;
    tx.commit().await?;
    Ok(())
}
