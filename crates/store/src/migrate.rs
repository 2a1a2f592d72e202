//! The log's migrations, applied on start, idempotently, inside the namespace's schema.

use std::borrow::Cow;

use anyhow::Context;
use domain::Namespace;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Executor, PgPool};

const LOG_MIGRATIONS: &[(i64, &str, &str)] = &[(1, "log", include_str!("sql/0001_log.sql"))];

/// Creates the namespace's schema if needed and applies the log's migrations to it.
pub async fn migrate(pool: &PgPool, namespace: &Namespace) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    // Two processes starting at once would race on CREATE SCHEMA; the lock orders them.
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('foresight.create_schema'))")
        .execute(&mut *tx)
        .await?;
    // The namespace is validated (`[a-z][a-z0-9_]*`), so it is safe as an identifier.
    let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", namespace.as_str());
    tx.execute(sql.as_str())
        .await
        .context("creating the namespace schema")?;
    tx.commit().await?;

    let migrations = LOG_MIGRATIONS
        .iter()
        .map(|(version, name, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*name),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    let migrator = Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    };
    migrator
        .run(pool)
        .await
        .with_context(|| format!("migrating the log in namespace {namespace}"))?;
    Ok(())
}
