//! A projection's own PostgreSQL schema, `<ns>__<projection>`, which a rebuild swaps whole.

use anyhow::Context;
use domain::Namespace;
use sqlx::{Executor, PgPool};

pub fn projection_schema(namespace: &Namespace, projection: &str) -> String {
    format!("{}__{projection}", namespace.as_str())
}

/// Creates the schema if needed and runs the projection's idempotent DDL in it.
pub async fn ensure_schema(pool: &PgPool, schema: &str, ddl: &str) -> anyhow::Result<()> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_ensure_schema(pool, schema, ddl).await {
            // Waiting on the lock does not refresh the transaction's view of the catalogue,
            // so a process that waited behind another's CREATE can still collide with it
            // once; a fresh transaction sees what the other one made.
            Err(error) if attempt < 3 && store::is_duplicate_object(&error) => continue,
            result => return result.with_context(|| format!("creating the tables of {schema}")),
        }
    }
}

async fn try_ensure_schema(pool: &PgPool, schema: &str, ddl: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    match create_in(&mut tx, schema, ddl).await {
        Ok(()) => tx.commit().await,
        Err(error) => {
            // Ended here, not on the connection's next use: the pool must never hand out a
            // connection still inside this transaction, with its search path.
            let _ = tx.rollback().await;
            Err(error)
        }
    }
}

async fn create_in(
    tx: &mut sqlx::PgConnection,
    schema: &str,
    ddl: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('foresight.create_schema'))")
        .execute(&mut *tx)
        .await?;
    // Schema names are built from a validated namespace and a projection's static name.
    tx.execute(format!("CREATE SCHEMA IF NOT EXISTS {schema}").as_str())
        .await?;
    tx.execute(format!("SET LOCAL search_path TO {schema}").as_str())
        .await?;
    tx.execute(sqlx::raw_sql(ddl)).await?;
    Ok(())
}
