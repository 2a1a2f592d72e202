//! The log's migrations, applied on start, idempotently, inside the namespace's schema.

use std::borrow::Cow;

use anyhow::Context;
use domain::Namespace;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Executor, PgPool};

const LOG_MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "log", include_str!("sql/0001_log.sql")),
    (2, "dead_letters", include_str!("sql/0002_dead_letters.sql")),
];

/// Creates the namespace's schema if needed and applies the log's migrations to it.
pub async fn migrate(pool: &PgPool, namespace: &Namespace) -> anyhow::Result<()> {
    // Two processes starting at once race on CREATE SCHEMA. The lock orders them, but a
    // transaction that waited on it may still hold a stale view of the catalogue and
    // collide once: a fresh attempt sees the schema the other one made.
    let mut attempt = 0;
    loop {
        attempt += 1;
        match create_schema(pool, namespace).await {
            Err(error) if attempt < 3 && is_duplicate_object(&error) => continue,
            result => break result.context("creating the namespace schema")?,
        }
    }

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

async fn create_schema(pool: &PgPool, namespace: &Namespace) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext('foresight.create_schema'))")
        .execute(&mut *tx)
        .await?;
    // The namespace is validated (`[a-z][a-z0-9_]*`), so it is safe as an identifier.
    let sql = format!("CREATE SCHEMA IF NOT EXISTS {}", namespace.as_str());
    tx.execute(sql.as_str()).await?;
    tx.commit().await
}

/// unique_violation, duplicate_schema, duplicate_table, duplicate_object: what concurrent
/// `CREATE … IF NOT EXISTS` statements can still raise against each other.
pub fn is_duplicate_object(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .and_then(|e| e.code())
        .is_some_and(|code| matches!(code.as_ref(), "23505" | "42P06" | "42P07" | "42710"))
}
