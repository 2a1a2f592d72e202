//! The roles' PostgreSQL connections as `pg_stat_activity` shows them. Every role connects as
//! `foresight-<role>@<ns>`, so a test sees (and terminates) its own namespace's roles only.

use std::time::{Duration, Instant};

use testkit::TestEnv;

fn application_name(env: &TestEnv, role: &str) -> String {
    format!("foresight-{role}@{}", env.namespace)
}

/// Whether `role` is inside a transaction that has written (it holds a transaction id): for
/// a consumer, in the middle of applying a batch.
pub async fn writing(env: &TestEnv, role: &str) -> bool {
    writer(env, role).await.is_some()
}

/// The backend of `role` inside a transaction that has written, if one is.
async fn writer(env: &TestEnv, role: &str) -> Option<i32> {
    sqlx::query_scalar(
        "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND backend_xid IS NOT NULL LIMIT 1",
    )
    .bind(application_name(env, role))
    .fetch_optional(&env.pool)
    .await
    .expect("pg_stat_activity")
}

/// Waits (up to 30 s) until `role` is in the middle of writing a batch; returns its backend.
pub async fn wait_writing(env: &TestEnv, role: &str) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(pid) = writer(env, role).await {
            return pid;
        }
        assert!(Instant::now() < deadline, "{role} never started a batch");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Waits (up to 30 s) until the transaction of backend `pid` is gone: the batch a killed
/// consumer had in hand rolls back when its connection closes.
pub async fn wait_rolled_back(env: &TestEnv, pid: i32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let open: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND backend_xid IS NOT NULL)",
        )
        .bind(pid)
        .fetch_one(&env.pool)
        .await
        .expect("pg_stat_activity");
        if !open {
            return;
        }
        assert!(Instant::now() < deadline, "the killed batch never ended");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Terminates every backend of the namespace's roles (never the test's own pool, nor any
/// other test's connections); returns how many.
pub async fn terminate_roles(env: &TestEnv) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity \
         WHERE application_name LIKE 'foresight-%@' || $1 AND pid <> pg_backend_pid()",
    )
    .bind(env.namespace.as_str())
    .fetch_one(&env.pool)
    .await
    .expect("pg_terminate_backend")
}
