//! Rebuild by replay: the whole log, read from PostgreSQL in commit order, into a fresh schema
//! that is then swapped in for the live one. The old tables keep answering until the swap,
//! and a running consumer carries on from the swapped-in checkpoint.

use std::time::Instant;

use anyhow::Context;
use sqlx::{Connection, Executor, PgConnection};
use store::{ConnectOptions, Position};

use crate::runtime::apply_lock;
use crate::{Projection, decode, ensure_schema, projection_schema};

#[derive(Debug, Clone, Copy)]
pub struct ReplayReport {
    pub events: u64,
    pub seconds: f64,
    pub position: Position,
}

/// Rebuilds `projection` from the log and swaps it in atomically.
pub async fn replay<P: Projection>(
    connect: &ConnectOptions,
    projection: &P,
    batch_size: i64,
) -> anyhow::Result<ReplayReport> {
    let started = Instant::now();
    let name = projection.name();
    let namespace = connect.namespace.clone();
    let live = projection_schema(&namespace, name);
    let fresh = format!("{live}_rebuild");

    let mut admin = connect.clone();
    admin.max_connections = 2;
    let pool = store::connect(&admin).await?;
    // The names come from a validated namespace and a projection's static name.
    pool.execute(format!("DROP SCHEMA IF EXISTS {fresh} CASCADE").as_str())
        .await?;
    ensure_schema(&pool, &fresh, projection.schema_sql()).await?;
    ensure_schema(&pool, &live, projection.schema_sql()).await?;

    let mut conn = PgConnection::connect_with(&connect.pg_options()?).await?;
    let search_fresh = format!("SET LOCAL search_path TO {fresh},{}", namespace.as_str());
    let mut position = Position::START;
    let mut events = 0u64;
    loop {
        let mut tx = conn.begin().await?;
        tx.execute(search_fresh.as_str()).await?;
        let applied = apply_after(&mut tx, projection, position, batch_size).await?;
        tx.commit().await?;
        match applied {
            Some((last, count)) => {
                position = last;
                events += count;
            }
            // Events behind an open transaction somewhere on the cluster: they will be
            // readable in a moment, and a rebuild should not stop short of them.
            None if store::has_events_after(&mut conn, position).await? => {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            None => break,
        }
    }

    // The swap: the live consumer is kept out by the apply lock; what it appended to the
    // log meanwhile is applied to the fresh tables before they go live.
    let mut tx = conn.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind(apply_lock(&namespace, name))
        .execute(&mut *tx)
        .await?;
    tx.execute(search_fresh.as_str()).await?;
    while let Some((last, count)) = apply_after(&mut tx, projection, position, batch_size).await? {
        position = last;
        events += count;
    }
    let retired = format!("{live}_retired");
    tx.execute(format!("DROP SCHEMA IF EXISTS {retired} CASCADE").as_str())
        .await?;
    tx.execute(format!("ALTER SCHEMA {live} RENAME TO {retired}").as_str())
        .await?;
    tx.execute(format!("ALTER SCHEMA {fresh} RENAME TO {live}").as_str())
        .await?;
    tx.execute(format!("SET LOCAL search_path TO {}", namespace.as_str()).as_str())
        .await?;
    store::reset_checkpoint(&mut *tx, name, position).await?;
    tx.commit()
        .await
        .context("swapping the rebuilt projection in")?;
    conn.execute(format!("DROP SCHEMA IF EXISTS {retired} CASCADE").as_str())
        .await?;
    pool.close().await;
    Ok(ReplayReport {
        events,
        seconds: started.elapsed().as_secs_f64(),
        position,
    })
}

async fn apply_after<P: Projection>(
    conn: &mut PgConnection,
    projection: &P,
    after: Position,
    batch_size: i64,
) -> anyhow::Result<Option<(Position, u64)>> {
    let recorded = store::read_after(&mut *conn, after, batch_size).await?;
    let Some(last) = recorded.last().map(store::RecordedEvent::position) else {
        return Ok(None);
    };
    let count = recorded.len() as u64;
    // What the live consumer gave up on as poison, the rebuild passes over too.
    let dead = store::dead_letter_positions(&mut *conn, projection.name()).await?;
    let events = decode(store::without_dead_letters(recorded, &dead))?;
    projection.apply(conn, &events).await?;
    Ok(Some((last, count)))
}
