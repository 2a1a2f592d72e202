//! The boards projection against the real log: reads after a replay, batching, redelivery, volume.

mod batching;
mod board_and_task;
mod history;
mod projects_and_members;
mod volume;

use std::time::{Duration, Instant};

use boards::Boards;
use consumer::ReplayReport;
use sqlx::PgPool;
use store::Position;
use testkit::TestEnv;

/// A pool whose search path starts with the boards schema, as the query API's does.
async fn boards_pool(env: &TestEnv) -> PgPool {
    let mut options = env.connect_options();
    options.schemas_first = vec![consumer::projection_schema(&env.namespace, "boards")];
    store::connect(&options)
        .await
        .expect("connecting to the boards schema")
}

/// Rebuilds the projection from the whole log written so far.
///
/// A commit-order read stops at the oldest transaction still open anywhere on the cluster
/// (another test's, say), and a replay ends at the first empty read: so wait until the
/// log's last event is readable first.
async fn replay(env: &TestEnv, batch_size: i64) -> ReplayReport {
    let head = store::head_position(&env.pool).await.unwrap();
    let last = store::position_of(&env.pool, head)
        .await
        .unwrap()
        .expect("the log is not empty");
    let before_last = Position::new(last.transaction_id, last.global_position - 1);
    let deadline = Instant::now() + Duration::from_secs(60);
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
    let report = consumer::replay(&env.connect_options(), &Boards, batch_size)
        .await
        .unwrap();
    assert_eq!(
        report.position, last,
        "the replay reached the end of the log"
    );
    report
}
