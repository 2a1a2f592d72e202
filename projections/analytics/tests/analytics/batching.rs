//! Applying the same log in different batchings must leave identical tables.

use analytics::Analytics;
use consumer::Projection;
use testkit::TestEnv;

use crate::{analytics_pool, history};

#[tokio::test]
async fn batches_of_seven_and_of_a_thousand_give_the_same_tables() {
    let env = TestEnv::new().await;
    history::append(&env.pool).await;
    let pool = analytics_pool(&env).await;

    let small = consumer::replay(&env.connect_options(), &Analytics, 7)
        .await
        .expect("replay by 7");
    let by_seven = Analytics
        .dump(&mut pool.acquire().await.expect("a connection"))
        .await
        .expect("dump");
    let large = consumer::replay(&env.connect_options(), &Analytics, 1000)
        .await
        .expect("replay by 1000");
    let by_thousand = Analytics
        .dump(&mut pool.acquire().await.expect("a connection"))
        .await
        .expect("dump");

    assert_eq!(small.events, large.events);
    assert_eq!(by_seven, by_thousand);
    // The dump holds the facts, not an empty shell.
    assert_eq!(by_seven["tasks"].as_array().map(Vec::len), Some(9));
    assert_eq!(by_seven["members"].as_array().map(Vec::len), Some(3));
    assert!(
        by_seven["transitions"]
            .as_array()
            .is_some_and(|t| t.len() > 20)
    );
}
