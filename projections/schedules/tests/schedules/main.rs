//! The schedules projection against the real log: replayed histories, read answers checked by hand.

mod cycles;
mod history;
mod reads;
mod rebuild;

use std::time::{Duration, Instant};

use consumer::Projection;
use schedules::Schedules;
use sqlx::PgPool;
use testkit::TestEnv;

/// Rebuilds the projection from the whole log and returns a pool reading it.
pub async fn replayed(env: &TestEnv, batch_size: i64) -> PgPool {
    wait_until_readable(env).await;
    consumer::replay(&env.connect_options(), &Schedules, batch_size)
        .await
        .expect("replay");
    let mut options = env.connect_options();
    options.schemas_first = vec![consumer::projection_schema(
        &env.namespace,
        Schedules.name(),
    )];
    options.max_connections = 2;
    store::connect(&options)
        .await
        .expect("a pool on the projection")
}

/// Commit-order reads stop below the oldest open transaction on the cluster, which may belong
/// to another test; replay reads only what is readable, so wait (bounded) for the log's last event.
async fn wait_until_readable(env: &TestEnv) {
    let head = store::head_position(&env.pool)
        .await
        .expect("the log's head");
    let Some(last) = store::position_of(&env.pool, head)
        .await
        .expect("the head's position")
    else {
        return;
    };
    let just_before = store::Position::new(last.transaction_id, last.global_position - 1);
    let deadline = Instant::now() + Duration::from_secs(30);
    while store::read_after(&env.pool, just_before, 1)
        .await
        .expect("reading the log")
        .is_empty()
    {
        assert!(
            Instant::now() < deadline,
            "the log's last event stayed unreadable for 30 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
