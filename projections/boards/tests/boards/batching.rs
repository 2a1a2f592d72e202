//! The same log gives the same rows however it is cut into batches, and again when redelivered.

use boards::Boards;
use consumer::Projection;
use serde_json::Value;
use store::Position;
use testkit::TestEnv;

use crate::{boards_pool, history, replay};

async fn replayed_dump(env: &TestEnv, batch_size: i64) -> Value {
    let report = replay(env, batch_size).await;
    assert_eq!(report.events, 48, "the whole history was replayed");
    // A fresh pool: the rebuild swapped the schema under any open connection.
    let pool = boards_pool(env).await;
    let mut conn = pool.acquire().await.unwrap();
    Boards.dump(&mut conn).await.unwrap()
}

#[tokio::test]
async fn batches_of_7_and_of_1000_give_identical_rows() {
    let env = TestEnv::new().await;
    history::write(&env.pool).await;
    let small = replayed_dump(&env, 7).await;
    let large = replayed_dump(&env, 1000).await;
    assert_eq!(small["boards_tasks"].as_array().map(Vec::len), Some(8));
    assert_eq!(
        small["boards_project_members"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(small["boards_milestones"].as_array().map(Vec::len), Some(2));
    assert_eq!(small, large);
}

#[tokio::test]
async fn applying_the_whole_log_again_changes_nothing() {
    let env = TestEnv::new().await;
    history::write(&env.pool).await;
    let before = replayed_dump(&env, 1000).await;
    let pool = boards_pool(&env).await;
    let mut tx = pool.begin().await.unwrap();
    let recorded = store::read_after(&mut *tx, Position::START, 10_000)
        .await
        .unwrap();
    let events = consumer::decode(recorded).unwrap();
    Boards.apply(&mut tx, &events).await.unwrap();
    let after = Boards.dump(&mut tx).await.unwrap();
    // Ended here, not on drop: a dropped transaction is rolled back only when its connection
    // is used again, and until then it would hold back every commit-order reader.
    tx.rollback().await.unwrap();
    pool.close().await;
    assert_eq!(before, after);
}
