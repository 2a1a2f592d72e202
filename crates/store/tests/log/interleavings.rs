//! The dangerous interleavings, each forced with explicit transactions and barriers.

use std::time::Duration;

use store::{AppendError, Position};
use testkit::TestEnv;
use uuid::Uuid;

use crate::support::{read_count, stream_append};

const SETTLE: Duration = Duration::from_secs(20);

/// A takes its transaction id, then waits while B commits: B's event must stay invisible
/// until A ends, then both appear, A's first, whatever their positions.
#[tokio::test]
async fn an_early_transaction_that_commits_late_is_not_skipped() {
    let env = TestEnv::new().await;
    let mut a = env.pool.begin().await.expect("begin A");
    let _xid: String = sqlx::query_scalar("SELECT pg_current_xact_id()::text")
        .fetch_one(&mut *a)
        .await
        .expect("xid");

    let b = store::append(&env.pool, &stream_append("task-b", 0, 1))
        .await
        .expect("B commits");
    let early = store::read_after(&env.pool, Position::START, 100)
        .await
        .expect("read");
    assert!(
        early.is_empty(),
        "B must wait behind A's open transaction, saw {early:?}"
    );

    // A inserts after B: its position is higher, its transaction id lower.
    let a_appended = store::append(&mut *a, &stream_append("task-a", 0, 1))
        .await
        .expect("A appends");
    assert!(a_appended.positions[0] > b.positions[0]);
    a.commit().await.expect("A commits");

    let seen = read_count(&env.pool, Position::START, 2, SETTLE).await;
    let streams: Vec<&str> = seen.iter().map(|e| e.stream_id.as_str()).collect();
    assert_eq!(
        streams,
        vec!["task-a", "task-b"],
        "commit order follows transaction ids"
    );
}

/// A inserts first (lower position) and commits after B: a reader that had moved past B by
/// position alone would lose A forever. Here A appears, after nothing was skipped.
#[tokio::test]
async fn a_lower_position_committed_later_is_delivered() {
    let env = TestEnv::new().await;
    let mut a = env.pool.begin().await.expect("begin A");
    let a_appended = store::append(&mut *a, &stream_append("task-a", 0, 1))
        .await
        .expect("A appends");
    let b = store::append(&env.pool, &stream_append("task-b", 0, 1))
        .await
        .expect("B commits");
    assert!(a_appended.positions[0] < b.positions[0]);

    assert!(
        store::read_after(&env.pool, Position::START, 100)
            .await
            .expect("read")
            .is_empty()
    );
    a.commit().await.expect("A commits");
    let seen = read_count(&env.pool, Position::START, 2, SETTLE).await;
    let positions: Vec<i64> = seen.iter().map(|e| e.global_position).collect();
    assert_eq!(positions, vec![a_appended.positions[0], b.positions[0]]);
}

/// A rollback below a committed event: the committed one arrives, the rolled-back never.
#[tokio::test]
async fn a_rollback_below_a_committed_event_leaves_no_trace() {
    let env = TestEnv::new().await;
    let mut a = env.pool.begin().await.expect("begin A");
    store::append(&mut *a, &stream_append("task-a", 0, 1))
        .await
        .expect("A appends");
    let b = store::append(&env.pool, &stream_append("task-b", 0, 1))
        .await
        .expect("B commits");
    assert!(
        store::read_after(&env.pool, Position::START, 100)
            .await
            .expect("read")
            .is_empty()
    );
    a.rollback().await.expect("A rolls back");

    let seen = read_count(&env.pool, Position::START, 1, SETTLE).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].global_position, b.positions[0]);
    let after = store::append(&env.pool, &stream_append("task-c", 0, 1))
        .await
        .expect("C commits");
    let next = read_count(&env.pool, seen[0].position(), 1, SETTLE).await;
    assert_eq!(next[0].global_position, after.positions[0]);
    assert!(
        store::read_stream(&env.pool, "task-a")
            .await
            .expect("read")
            .is_empty()
    );
}

/// Two writers decide on the same version: the second waits on the first's uncommitted
/// row, gets a version conflict when it commits, and succeeds on a fresh attempt.
#[tokio::test]
async fn a_version_conflict_is_reported_and_a_fresh_attempt_succeeds() {
    let env = TestEnv::new().await;
    let stream = format!("task-{}", Uuid::new_v4());
    store::append(&env.pool, &stream_append(&stream, 0, 1))
        .await
        .expect("version 1");

    let mut a = env.pool.begin().await.expect("begin A");
    let a_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut *a)
        .await
        .expect("A's backend");
    store::append(&mut *a, &stream_append(&stream, 1, 1))
        .await
        .expect("A writes version 2");

    let pool = env.pool.clone();
    let contender = stream.clone();
    let b =
        tokio::spawn(async move { store::append(&pool, &stream_append(&contender, 1, 1)).await });
    // Barrier: B is blocked on A's row lock before A commits.
    wait_for_lock_waiter(&env.pool, a_pid).await;
    a.commit().await.expect("A commits");

    let lost = b.await.expect("B finished");
    assert!(
        matches!(lost, Err(AppendError::VersionConflict { ref stream_id }) if *stream_id == stream),
        "{lost:?}"
    );
    let current = store::stream_versions(&env.pool, std::slice::from_ref(&stream))
        .await
        .expect("versions");
    assert_eq!(current, vec![(stream.clone(), 2)]);
    let retried = store::append(&env.pool, &stream_append(&stream, 2, 1))
        .await
        .expect("B again");
    assert_eq!(retried.version, 3);
    let versions: Vec<i32> = read_count(&env.pool, Position::START, 3, SETTLE)
        .await
        .iter()
        .map(|e| e.stream_version)
        .collect();
    assert_eq!(versions, vec![1, 2, 3]);
}

/// Waits until some backend is blocked by `holder` (the statement text is no guide: it is cut
/// to `track_activity_query_size`).
async fn wait_for_lock_waiter(pool: &sqlx::PgPool, holder: i32) {
    for _ in 0..2000 {
        let waiting: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)))",
        )
        .bind(holder)
        .fetch_one(pool)
        .await
        .expect("pg_stat_activity");
        if waiting {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the second writer never waited on the first");
}
