//! TEMPORARY throughput measurement.

use serde_json::json;
use testkit::TestEnv;
use uuid::Uuid;

use crate::history::at;

#[tokio::test]
async fn bench_replay() {
    let env = TestEnv::new().await;
    let when = at("2024-03-01T10:00:00Z");
    let ev = |t: &str, p: serde_json::Value| store::NewEvent {
        event_id: Uuid::new_v4(),
        event_type: t.into(),
        schema_version: 1,
        payload: p,
        metadata: json!({}),
        occurred_at: when,
    };
    let member = Uuid::new_v4();
    let mut streams = vec![store::StreamAppend {
        stream_id: format!("member-{member}"),
        expected_version: 0,
        events: vec![ev(
            "member.registered",
            json!({"member_id": member, "name": "m", "skills": [], "capacity_hours_per_week": 40.0}),
        )],
    }];
    let mut total = 1;
    for _ in 0..100 {
        let project = Uuid::new_v4();
        streams.push(store::StreamAppend {
            stream_id: format!("project-{project}"),
            expected_version: 0,
            events: vec![ev("project.created", json!({"project_id": project, "name": "p", "start_date": "2024-03-04", "deadline": null}))],
        });
        total += 1;
        let mut prev: Option<Uuid> = None;
        for _ in 0..125 {
            let task = Uuid::new_v4();
            let ids = json!({"task_id": task, "project_id": project});
            let with = |extra: serde_json::Value| {
                let mut v = ids.clone();
                v.as_object_mut()
                    .unwrap()
                    .extend(extra.as_object().unwrap().clone());
                v
            };
            let events = vec![
                ev(
                    "task.created",
                    with(
                        json!({"title": "t", "description": null, "estimate_hours": 8.0, "priority": 2, "labels": [], "skills": [], "milestone_id": null, "due_date": null, "depends_on": prev.into_iter().collect::<Vec<_>>()}),
                    ),
                ),
                ev("task.assigned", with(json!({"member_id": member}))),
                ev("task.started", with(json!({}))),
                ev(
                    "task.work_logged",
                    with(json!({"hours": 1.0, "member_id": null})),
                ),
                ev(
                    "task.work_logged",
                    with(json!({"hours": 1.0, "member_id": null})),
                ),
                ev(
                    "task.estimate_changed",
                    with(json!({"estimate_hours": 9.0})),
                ),
                ev("task.completed", with(json!({}))),
                ev("task.reopened", with(json!({"reason": null}))),
            ];
            total += events.len();
            streams.push(store::StreamAppend {
                stream_id: format!("task-{task}"),
                expected_version: 0,
                events,
            });
            prev = Some(task);
        }
        let request = store::AppendRequest {
            command: None,
            streams: std::mem::take(&mut streams),
        };
        store::append(&env.pool, &request).await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
        .fetch_one(&env.pool)
        .await
        .unwrap();
    let r = store::read_after(&env.pool, store::Position::START, 10)
        .await
        .unwrap();
    let h: (String, String) = sqlx::query_as("SELECT pg_snapshot_xmin(pg_current_snapshot())::text, (SELECT max(transaction_id)::text FROM events)").fetch_one(&env.pool).await.unwrap();
    eprintln!("count {n} read {} {h:?}", r.len());
    {
        use sqlx::{Connection, Executor};
        let mut c = sqlx::PgConnection::connect_with(&env.connect_options().pg_options().unwrap())
            .await
            .unwrap();
        c.execute("PREPARE q(text, bigint, bigint) AS SELECT global_position, transaction_id::text::bigint AS transaction_id, stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, occurred_at, recorded_at FROM events WHERE (transaction_id, global_position) > ($1::text::xid8, $2) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY events.transaction_id, global_position LIMIT $3").await.unwrap();
        c.execute("SET plan_cache_mode = force_generic_plan")
            .await
            .unwrap();
        let rows: Vec<String> =
            sqlx::query_scalar("EXPLAIN ANALYZE EXECUTE q('288000', 50000, 1000)")
                .fetch_all(&mut c)
                .await
                .unwrap();
        eprintln!("GENERIC:\n{}", rows.join("\n"));
    }
    let plan: Vec<String> = sqlx::query_scalar("EXPLAIN ANALYZE SELECT global_position FROM events WHERE (transaction_id, global_position) > ('288000'::text::xid8, 50000) AND transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY transaction_id, global_position LIMIT 1000").fetch_all(&env.pool).await.unwrap();
    eprintln!("{}", plan.join("\n"));
    {
        use sqlx::{Connection, Executor};
        let mut conn =
            sqlx::PgConnection::connect_with(&env.connect_options().pg_options().unwrap())
                .await
                .unwrap();
        let mut pos = store::Position::START;
        let (mut tb, mut ts, mut tr, mut td, mut tc) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for _ in 0..20 {
            let t = std::time::Instant::now();
            let mut tx = conn.begin().await.unwrap();
            tb += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            tx.execute(format!("SET LOCAL search_path TO {}", env.namespace.as_str()).as_str())
                .await
                .unwrap();
            ts += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            let rec = store::read_after(&mut *tx, pos, 1000).await.unwrap();
            tr += t.elapsed().as_secs_f64();
            pos = rec.last().unwrap().position();
            let t = std::time::Instant::now();
            let _ = consumer::decode(rec).unwrap();
            td += t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            tx.commit().await.unwrap();
            tc += t.elapsed().as_secs_f64();
        }
        eprintln!(
            "20 batches: begin {tb:.3} set {ts:.3} read {tr:.3} decode {td:.3} commit {tc:.3}"
        );
    }
    for batch in [1000, 5000] {
        let started = std::time::Instant::now();
        let report = consumer::replay(&env.connect_options(), &Noop, batch)
            .await
            .unwrap();
        eprintln!(
            "noop batch {batch}: {} in {:.2}s",
            report.events,
            started.elapsed().as_secs_f64()
        );
    }
    for batch in [1000, 5000] {
        let started = std::time::Instant::now();
        let report = consumer::replay(&env.connect_options(), &schedules::Schedules, batch)
            .await
            .unwrap();
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "batch {batch}: {} events ({total} appended) in {secs:.2}s = {:.0}/s",
            report.events,
            report.events as f64 / secs
        );
    }
}

pub struct Noop;
impl consumer::Projection for Noop {
    fn name(&self) -> &'static str {
        "noop"
    }
    fn schema_sql(&self) -> &'static str {
        "SELECT 1;"
    }
    async fn apply(
        &self,
        _conn: &mut sqlx::PgConnection,
        _events: &[consumer::LoggedEvent],
    ) -> anyhow::Result<()> {
        Ok(())
    }
    async fn dump(&self, _conn: &mut sqlx::PgConnection) -> anyhow::Result<serde_json::Value> {
        Ok(serde_json::Value::Null)
    }
}
