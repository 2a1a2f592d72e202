//! The schedules projection against the real log: replayed histories, read answers checked by hand.

mod cycles;
mod history;
mod reads;
mod rebuild;
mod zz_bench;

use consumer::Projection;
use schedules::Schedules;
use sqlx::PgPool;
use testkit::TestEnv;

/// Rebuilds the projection from the log and returns a pool reading it.
pub async fn replayed(env: &TestEnv, batch_size: i64) -> PgPool {
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
