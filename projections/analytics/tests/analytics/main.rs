//! The analytics projection rebuilt from a realistic log, its answers checked against
//! hand-computed expectations, and its tables compared across batchings.

mod answers;
mod batching;
mod history;
mod load;

use sqlx::PgPool;
use testkit::TestEnv;

/// A pool whose search path finds the projection's tables first, as the API's does.
async fn analytics_pool(env: &TestEnv) -> PgPool {
    let mut options = env.connect_options();
    options.schemas_first = vec![consumer::projection_schema(&env.namespace, "analytics")];
    store::connect(&options)
        .await
        .expect("connecting to the analytics schema")
}
