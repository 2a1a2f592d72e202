//! The same history applied in different batchings gives the same tables.

use consumer::Projection;
use schedules::Schedules;
use testkit::TestEnv;

use crate::history::{Ids, apollo, churn};
use crate::replayed;

async fn dump(pool: &sqlx::PgPool) -> serde_json::Value {
    let mut conn = pool.acquire().await.unwrap();
    Schedules.dump(&mut conn).await.unwrap()
}

#[tokio::test]
async fn batch_sizes_do_not_change_the_tables() {
    let env = TestEnv::new().await;
    let ids = Ids::new();
    apollo(&env.pool, &ids).await;
    churn(&env.pool, &ids).await;

    let small = dump(&replayed(&env, 7).await).await;
    let one = dump(&replayed(&env, 1).await).await;
    let large = dump(&replayed(&env, 1000).await).await;
    assert_eq!(small, large);
    assert_eq!(one, large);

    assert_eq!(large["tasks"].as_array().map(Vec::len), Some(7));
    assert_eq!(large["projects"].as_array().map(Vec::len), Some(2));
    assert_eq!(large["milestones"].as_array().map(Vec::len), Some(2));
    assert_eq!(large["members"].as_array().map(Vec::len), Some(2));
    // Bob's time off was added twice and is kept once.
    assert_eq!(large["time_off"].as_array().map(Vec::len), Some(2));
    // Ada left Zeus.
    assert_eq!(large["project_members"].as_array().map(Vec::len), Some(2));
    let design = large["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == ids.design.to_string())
        .unwrap();
    assert_eq!(design["status"], "in_progress");
    assert_eq!(design["logged_hours"], 4.0);
    let shipped = large["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == ids.shipped.to_string())
        .unwrap();
    assert_eq!(
        (
            shipped["status"].as_str(),
            shipped["completed_at"].is_null()
        ),
        (Some("todo"), true)
    );
}
