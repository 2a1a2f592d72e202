//! The event log against the real PostgreSQL: appends, versions, idempotency and, above
//! all, commit-order reads that never miss, repeat or reorder an event.

mod interleavings;
mod support;
mod tailing;

use std::time::Duration;

use serde_json::json;
use store::{AppendError, AppendRequest, CommandRecord, Position, StreamAppend};
use support::{count_events, event, stream_append};
use testkit::TestEnv;
use uuid::Uuid;

#[tokio::test]
async fn migrations_apply_twice_without_harm() {
    let env = TestEnv::new().await;
    store::migrate(&env.pool, &env.namespace)
        .await
        .expect("second run is a no-op");
    let tables: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 \
         AND table_name IN ('events', 'command_results', 'checkpoints', 'rejected_messages')",
    )
    .bind(env.namespace.as_str())
    .fetch_one(&env.pool)
    .await
    .expect("count");
    assert_eq!(tables, 4);
}

#[tokio::test]
async fn versions_follow_each_other_and_a_stale_version_conflicts() {
    let env = TestEnv::new().await;
    let stream = format!("task-{}", Uuid::new_v4());
    let first = store::append(&env.pool, &stream_append(&stream, 0, 2))
        .await
        .expect("first append");
    assert_eq!((first.version, first.positions.len()), (2, 2));
    let conflict = store::append(&env.pool, &stream_append(&stream, 1, 1)).await;
    assert!(
        matches!(conflict, Err(AppendError::VersionConflict { ref stream_id }) if *stream_id == stream),
        "{conflict:?}"
    );
    // An expected version beyond the stream's would leave a gap: refused too.
    let gap = store::append(&env.pool, &stream_append(&stream, 5, 1)).await;
    assert!(
        matches!(gap, Err(AppendError::VersionConflict { .. })),
        "{gap:?}"
    );
    let next = store::append(&env.pool, &stream_append(&stream, 2, 1))
        .await
        .expect("next append");
    assert_eq!(next.version, 3);
    let versions: Vec<i32> = store::read_stream(&env.pool, &stream)
        .await
        .expect("read")
        .iter()
        .map(|e| e.stream_version)
        .collect();
    assert_eq!(versions, vec![1, 2, 3]);
}

#[tokio::test]
async fn a_command_is_recorded_once_and_its_outcome_stands() {
    let env = TestEnv::new().await;
    let command_id = Uuid::new_v4();
    let stream = format!("member-{}", Uuid::new_v4());
    let mut request = stream_append(&stream, 0, 1);
    request.command = Some(CommandRecord {
        command_id,
        command_type: "member.register".into(),
    });
    let appended = store::append(&env.pool, &request).await.expect("append");

    let outcome = store::find_outcome(&env.pool, command_id)
        .await
        .expect("read")
        .expect("recorded");
    assert_eq!(outcome["status"], "accepted");
    assert_eq!(outcome["stream_id"], json!(stream));
    assert_eq!(outcome["version"], 1);
    assert_eq!(outcome["positions"], json!(appended.positions));

    // The same command again, even with fresh event ids, appends nothing.
    let mut again = stream_append(&format!("member-{}", Uuid::new_v4()), 0, 1);
    again.command = request.command.clone();
    let duplicate = store::append(&env.pool, &again).await;
    assert!(
        matches!(duplicate, Err(AppendError::DuplicateCommand)),
        "{duplicate:?}"
    );
    assert_eq!(count_events(&env.pool).await, 1);

    // A rejection recorded later does not replace the first outcome.
    let stands = store::record_rejection(
        &env.pool,
        command_id,
        "member.register",
        &json!({"status": "rejected"}),
    )
    .await
    .expect("record");
    assert_eq!(stands, outcome);
}

#[tokio::test]
async fn events_are_immutable() {
    let env = TestEnv::new().await;
    store::append(&env.pool, &stream_append("task-x", 0, 1))
        .await
        .expect("append");
    let update = sqlx::query("UPDATE events SET event_type = 'tampered'")
        .execute(&env.pool)
        .await;
    assert!(update.is_err(), "an update must be refused");
    let delete = sqlx::query("DELETE FROM events").execute(&env.pool).await;
    assert!(delete.is_err(), "a delete must be refused");
}

#[tokio::test]
async fn an_append_spanning_streams_is_all_or_nothing() {
    let env = TestEnv::new().await;
    let taken = format!("task-{}", Uuid::new_v4());
    store::append(&env.pool, &stream_append(&taken, 0, 1))
        .await
        .expect("append");
    let request = AppendRequest {
        command: None,
        streams: vec![
            StreamAppend {
                stream_id: format!("task-{}", Uuid::new_v4()),
                expected_version: 0,
                events: vec![event()],
            },
            StreamAppend {
                stream_id: taken.clone(),
                expected_version: 0,
                events: vec![event()],
            },
        ],
    };
    let result = store::append(&env.pool, &request).await;
    assert!(
        matches!(result, Err(AppendError::VersionConflict { .. })),
        "{result:?}"
    );
    assert_eq!(
        count_events(&env.pool).await,
        1,
        "the first stream's event must not be there either"
    );
}

#[tokio::test]
async fn checkpoints_only_move_forward() {
    let env = TestEnv::new().await;
    assert_eq!(
        store::load_checkpoint(&env.pool, "boards")
            .await
            .expect("load"),
        Position::START
    );
    store::save_checkpoint(&env.pool, "boards", Position::new(10, 5))
        .await
        .expect("save");
    store::save_checkpoint(&env.pool, "boards", Position::new(9, 50))
        .await
        .expect("save");
    assert_eq!(
        store::load_checkpoint(&env.pool, "boards")
            .await
            .expect("load"),
        Position::new(10, 5)
    );
    tokio::time::sleep(Duration::from_millis(1)).await;
    store::save_checkpoint(&env.pool, "boards", Position::new(10, 6))
        .await
        .expect("save");
    assert_eq!(
        store::load_checkpoint(&env.pool, "boards")
            .await
            .expect("load"),
        Position::new(10, 6)
    );
}

#[tokio::test]
async fn a_pool_with_another_schema_first_still_uses_the_namespaces_log() {
    let env = TestEnv::new().await;
    let projection = format!("{}__projection", env.namespace);
    sqlx::query(&format!("CREATE SCHEMA {projection}"))
        .execute(&env.pool)
        .await
        .expect("schema");
    let mut options = env.connect_options();
    options.schemas_first = vec![projection.clone()];
    let pool = store::connect(&options).await.expect("connect");
    let stray: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1",
    )
    .bind(&projection)
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(
        stray, 0,
        "the log's tables must not be created in the projection's schema"
    );
    store::append(&pool, &stream_append("task-p", 0, 1))
        .await
        .expect("append");
    assert_eq!(
        count_events(&env.pool).await,
        1,
        "the append went to the namespace's log"
    );
}

fn command_append(stream: &str, expected_version: i32, count: usize) -> AppendRequest {
    let mut request = stream_append(stream, expected_version, count);
    request.command = Some(CommandRecord {
        command_id: Uuid::new_v4(),
        command_type: "task.log_work".into(),
    });
    request
}

#[tokio::test]
async fn grouped_appends_record_each_command_with_its_own_positions() {
    let env = TestEnv::new().await;
    let (a, b) = (
        format!("task-{}", Uuid::new_v4()),
        format!("task-{}", Uuid::new_v4()),
    );
    store::append(&env.pool, &stream_append(&b, 0, 2))
        .await
        .expect("append");
    let first = command_append(&a, 0, 2);
    let second = command_append(&b, 2, 1);
    let appended = store::append_many(&env.pool, &[&first, &second])
        .await
        .expect("grouped append");

    assert_eq!(appended.len(), 2);
    assert_eq!(
        (appended[0].stream_id.as_str(), appended[0].version),
        (a.as_str(), 2)
    );
    assert_eq!(
        (appended[1].stream_id.as_str(), appended[1].version),
        (b.as_str(), 3)
    );
    assert_eq!(appended[0].positions.len(), 2);
    assert_eq!(appended[1].positions.len(), 1);
    assert!(
        appended[0].positions[1] < appended[1].positions[0],
        "in request order"
    );
    for (request, appended) in [(&first, &appended[0]), (&second, &appended[1])] {
        let command_id = request.command.as_ref().map(|c| c.command_id).unwrap();
        let outcome = store::find_outcome(&env.pool, command_id)
            .await
            .expect("read")
            .expect("recorded");
        assert_eq!(outcome["stream_id"], json!(appended.stream_id));
        assert_eq!(outcome["version"], json!(appended.version));
        assert_eq!(outcome["positions"], json!(appended.positions));
    }
    assert_eq!(count_events(&env.pool).await, 5);
}

#[tokio::test]
async fn a_grouped_append_with_one_stale_command_writes_nothing() {
    let env = TestEnv::new().await;
    let taken = format!("task-{}", Uuid::new_v4());
    store::append(&env.pool, &stream_append(&taken, 0, 1))
        .await
        .expect("append");
    let fresh = command_append(&format!("task-{}", Uuid::new_v4()), 0, 1);
    let stale = command_append(&taken, 0, 1);
    let result = store::append_many(&env.pool, &[&fresh, &stale]).await;
    assert!(
        matches!(result, Err(AppendError::VersionConflict { .. })),
        "{result:?}"
    );
    assert_eq!(count_events(&env.pool).await, 1);
    let fresh_id = fresh.command.as_ref().map(|c| c.command_id).unwrap();
    assert_eq!(
        store::find_outcome(&env.pool, fresh_id)
            .await
            .expect("read"),
        None,
        "no outcome for a command whose events were not written"
    );

    // A gap (a version that skips one) is refused by the guard, not by a constraint.
    let gap = command_append(&taken, 2, 1);
    let result = store::append_many(&env.pool, &[&fresh, &gap]).await;
    assert!(
        matches!(result, Err(AppendError::VersionConflict { .. })),
        "{result:?}"
    );
    assert_eq!(count_events(&env.pool).await, 1);
}
