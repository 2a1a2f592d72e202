//! A rebuild gives the rows the live worker wrote, however the log is cut, and a batch whose
//! transaction rolled back, applied again, gives them too.

use std::time::{Duration, Instant};

use consumer::{LoggedEvent, Projection as _};
use features::FeatureWorker;
use serde_json::Value;
use sqlx::{Connection as _, PgPool};
use store::Position;
use testkit::TestEnv;

use crate::{build_world, dump, features_pool, run_until_caught_up};

/// Rebuilds the store from the whole log with a new worker, `batch_size` events a batch.
///
/// A commit-order read stops at the oldest transaction still open anywhere on the cluster
/// (another test's, say), and a replay ends at its first empty read: so wait until the log's
/// last event is readable first.
async fn replay(env: &TestEnv, batch_size: i64) {
    let head = store::head_position(&env.pool).await.unwrap();
    let last = store::position_of(&env.pool, head).await.unwrap().unwrap();
    let before_last = Position::new(last.transaction_id, last.global_position - 1);
    let deadline = Instant::now() + Duration::from_secs(20);
    while store::read_after(&env.pool, before_last, 1)
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            Instant::now() < deadline,
            "the log's last event never became readable"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let worker = FeatureWorker::new(None, env.subjects.clone());
    let report = consumer::replay(&env.connect_options(), &worker, batch_size)
        .await
        .unwrap();
    assert_eq!(
        report.position, last,
        "the replay reached the end of the log"
    );
}

async fn rebuilt_dump(env: &TestEnv, batch_size: i64) -> Value {
    replay(env, batch_size).await;
    // A fresh pool: the rebuild swapped the schema under any open connection.
    let pool = features_pool(env).await;
    let dump = dump(env, &pool).await;
    pool.close().await;
    dump
}

#[tokio::test]
async fn a_rebuild_gives_the_rows_the_live_worker_wrote() {
    let env = TestEnv::new().await;
    build_world(&env).await;
    run_until_caught_up(&env, FeatureWorker::new(None, env.subjects.clone())).await;
    let pool = features_pool(&env).await;
    let live = dump(&env, &pool).await;
    pool.close().await;
    assert_eq!(live["feature_tasks"].as_array().map(Vec::len), Some(4));
    assert_eq!(live["feature_projects"].as_array().map(Vec::len), Some(1));
    assert_eq!(live["feature_samples"].as_array().map(Vec::len), Some(1));
    assert_eq!(rebuilt_dump(&env, 3).await, live, "batches of 3");
    assert_eq!(rebuilt_dump(&env, 1000).await, live, "one batch");
}

/// The whole log, decoded, as the consumer hands it over.
async fn whole_log(conn: &mut sqlx::PgConnection) -> Vec<LoggedEvent> {
    let recorded = store::read_after(&mut *conn, Position::START, 10_000)
        .await
        .unwrap();
    consumer::decode(recorded).unwrap()
}

/// Empties the store inside the caller's transaction.
async fn empty(conn: &mut sqlx::PgConnection) {
    sqlx::query("TRUNCATE feature_tasks, feature_projects, feature_samples")
        .execute(&mut *conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_batch_applied_again_after_a_rollback_gives_the_same_rows() {
    let env = TestEnv::new().await;
    build_world(&env).await;
    run_until_caught_up(&env, FeatureWorker::new(None, env.subjects.clone())).await;
    let pool: PgPool = features_pool(&env).await;
    let live = dump(&env, &pool).await;

    let mut conn = pool.acquire().await.unwrap();
    let events = whole_log(&mut conn).await;
    let (first, second) = events.split_at(events.len() / 2);
    let worker = FeatureWorker::new(None, env.subjects.clone());
    // Everything below is rolled back: the live rows stay as they are.
    let mut tx = conn.begin().await.unwrap();
    empty(&mut tx).await;
    worker.apply(&mut tx, first).await.unwrap();
    {
        // The second batch's transaction rolls back after the fold went past it...
        let mut batch = tx.begin().await.unwrap();
        worker.apply(&mut batch, second).await.unwrap();
        batch.rollback().await.unwrap();
    }
    // ...and the same batch comes again: the fold is rebuilt from the log up to it.
    worker.apply(&mut tx, second).await.unwrap();
    let again = worker.dump(&mut tx).await.unwrap();
    assert_eq!(again, live);

    // A new worker given only the last event (a restart after a checkpoint) folds the rest
    // from the log, and writes what that event changed, as the live worker did.
    empty(&mut tx).await;
    let restarted = FeatureWorker::new(None, env.subjects.clone());
    restarted
        .apply(&mut tx, &events[events.len() - 1..])
        .await
        .unwrap();
    let last_only = restarted.dump(&mut tx).await.unwrap();
    // Ended here, not on drop: a dropped transaction is rolled back only when its connection
    // is used again, and until then it would hold back every commit-order reader.
    tx.rollback().await.unwrap();
    drop(conn);
    // The last event starts a task on the next business day: every open task is computed
    // again, the done one is not, and no run completes.
    let tasks = last_only["feature_tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    let live_tasks = live["feature_tasks"].as_array().unwrap();
    assert!(tasks.iter().all(|t| live_tasks.contains(t)), "{last_only}");
    assert_eq!(last_only["feature_projects"], live["feature_projects"]);
    assert_eq!(last_only["feature_samples"], serde_json::json!([]));
    assert_eq!(
        dump(&env, &pool).await,
        live,
        "the rollback left the store as it was"
    );
    pool.close().await;
}
