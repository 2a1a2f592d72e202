//! The command path: publish, handle, append, outcome; every rejection code; resends;
//! bad messages that block nothing; a database failure retried, not rejected.

use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

#[tokio::test]
async fn a_task_goes_through_its_life_and_every_change_is_in_the_log() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (_, member, task) = project_with_task(&env).await;

    accepted(
        &env,
        "task.assign",
        json!({"task_id": task, "member_id": member}),
    )
    .await;
    let mut start = envelope("task.start", json!({"task_id": task}));
    start["occurred_at"] = json!("2026-02-03T09:30:00Z");
    let started = send_envelope(&env, &start).await;
    assert_eq!(started["status"], "accepted");
    assert_eq!(started["stream_id"], format!("task-{task}"));
    assert_eq!(started["version"], 3);
    accepted(
        &env,
        "task.log_work",
        json!({"task_id": task, "hours": 2.5}),
    )
    .await;
    let done = accepted(&env, "task.complete", json!({"task_id": task})).await;
    assert_eq!(done["version"], 5);

    let events = store::read_stream(&env.pool, &format!("task-{task}"))
        .await
        .expect("read");
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        types,
        [
            "task.created",
            "task.assigned",
            "task.started",
            "task.work_logged",
            "task.completed"
        ]
    );
    let started_event = &events[2];
    assert_eq!(
        started_event.occurred_at.to_rfc3339(),
        "2026-02-03T09:30:00+00:00",
        "business time comes from the command"
    );
    assert_ne!(
        started_event.recorded_at, started_event.occurred_at,
        "the log keeps its own time"
    );
    assert_eq!(started_event.metadata["command_id"], started["command_id"]);
    assert_eq!(
        started_event.global_position,
        started["positions"][0].as_i64().expect("position")
    );
    assert!(
        started_event.metadata["project_id"].is_string(),
        "task events carry their project for routing"
    );
    let recorded = store::find_outcome(
        &env.pool,
        Uuid::parse_str(started["command_id"].as_str().expect("id")).expect("uuid"),
    )
    .await
    .expect("read")
    .expect("recorded");
    assert_eq!(recorded, started);
    handler.stop().await;
}

#[tokio::test]
async fn every_kind_of_bad_command_gets_its_code() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (project, member, task) = project_with_task(&env).await;

    // Unknown command type.
    let outcome = send_envelope(&env, &envelope("task.fly", json!({"task_id": task}))).await;
    assert_eq!(rejection_code(&outcome), "unknown_command_type");

    // Schema violation naming the field.
    let outcome = send(
        &env,
        "task.change_estimate",
        json!({"task_id": task, "estimate_hours": "eight"}),
    )
    .await;
    assert_eq!(rejection_code(&outcome), "invalid_command");
    assert_eq!(outcome["error"]["field"], "payload.estimate_hours");
    let outcome = send(&env, "task.start", json!({"task_id": task, "force": true})).await;
    assert_eq!(rejection_code(&outcome), "invalid_command");
    assert_eq!(outcome["error"]["field"], "payload.force");

    // Unknown aggregate.
    let outcome = send(&env, "task.start", json!({"task_id": Uuid::new_v4()})).await;
    assert_eq!(rejection_code(&outcome), "not_found");
    assert_eq!(outcome["error"]["field"], "payload.task_id");

    // Forbidden transition: a task that was never started cannot be completed.
    let outcome = send(&env, "task.complete", json!({"task_id": task})).await;
    assert_eq!(rejection_code(&outcome), "invalid_transition");

    // Stale client version.
    let mut stale = envelope(
        "project.rename",
        json!({"project_id": project, "name": "Artemis"}),
    );
    stale["expected_version"] = json!(1);
    let outcome = send_envelope(&env, &stale).await;
    assert_eq!(rejection_code(&outcome), "version_conflict");
    assert_eq!(outcome["error"]["field"], "expected_version");
    let mut current = envelope(
        "project.rename",
        json!({"project_id": project, "name": "Artemis"}),
    );
    current["expected_version"] = json!(2);
    assert_eq!(send_envelope(&env, &current).await["status"], "accepted");

    // Creating what exists.
    let outcome = send(
        &env,
        "member.register",
        json!({"member_id": member, "name": "Ada", "skills": [], "capacity_hours_per_week": 1}),
    )
    .await;
    assert_eq!(rejection_code(&outcome), "already_exists");

    // The type in the body must match the subject.
    let mut mismatch = envelope("task.start", json!({"task_id": task}));
    mismatch["type"] = json!("task.complete");
    let id = Uuid::parse_str(mismatch["command_id"].as_str().expect("id")).expect("uuid");
    let mut answers = env
        .nats
        .subscribe(env.subjects.result(id))
        .await
        .expect("subscribe");
    publish_raw(
        &env,
        "task.start",
        serde_json::to_vec(&mismatch).expect("json"),
    )
    .await;
    let answer = tokio::time::timeout(ANSWER_WITHIN, answers.next())
        .await
        .expect("in time")
        .expect("answer");
    let outcome: serde_json::Value = serde_json::from_slice(&answer.payload).expect("json");
    assert_eq!(rejection_code(&outcome), "invalid_command");
    assert_eq!(outcome["error"]["field"], "type");

    let rejected = count(
        &env,
        "SELECT count(*) FROM command_results WHERE status = 'rejected'",
    )
    .await;
    assert_eq!(rejected, 8, "every rejection is recorded");
    handler.stop().await;
}

#[tokio::test]
async fn unanswerable_messages_are_kept_and_block_nothing_behind_them() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);

    let started = Instant::now();
    let mut good = Vec::new();
    for i in 0..30 {
        publish_raw(&env, "member.register", vec![0xff, 0xfe, 0x00, i]).await; // not UTF-8
        publish_raw(&env, "member.register", b"{\"command_id\": ".to_vec()).await; // not JSON
        publish_raw(
            &env,
            "member.register",
            b"{\"type\": \"member.register\"}".to_vec(),
        )
        .await; // no id
        good.push(envelope(
            "member.register",
            json!({"member_id": Uuid::new_v4(), "name": format!("M{i}"), "skills": [], "capacity_hours_per_week": 20}),
        ));
    }
    for command in &good {
        assert_eq!(send_envelope(&env, command).await["status"], "accepted");
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "bad messages slowed the good ones: {:?}",
        started.elapsed()
    );

    let deadline = Instant::now() + ANSWER_WITHIN;
    while count(&env, "SELECT count(*) FROM rejected_messages").await < 90 {
        assert!(
            Instant::now() < deadline,
            "the bad messages were not all kept"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let codes: Vec<(String, i64)> =
        sqlx::query_as("SELECT error_code, count(*) FROM rejected_messages GROUP BY error_code ORDER BY error_code")
            .fetch_all(&env.pool)
            .await
            .expect("codes");
    assert_eq!(
        codes,
        vec![
            ("invalid_command".to_owned(), 30),
            ("invalid_json".to_owned(), 30),
            ("invalid_utf8".to_owned(), 30)
        ]
    );
    let subject: String = sqlx::query_scalar("SELECT subject FROM rejected_messages LIMIT 1")
        .fetch_one(&env.pool)
        .await
        .expect("subject");
    assert_eq!(subject, env.subjects.command("member.register"));
    assert_eq!(
        metrics
            .commands
            .rejected_messages
            .with_label_values(&["invalid_utf8"])
            .get(),
        30
    );
    handler.stop().await;
}

#[tokio::test]
async fn a_resent_command_returns_its_first_outcome_and_appends_nothing() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let command = envelope(
        "member.register",
        json!({"member_id": Uuid::new_v4(), "name": "Bo", "skills": [], "capacity_hours_per_week": 10}),
    );
    let first = send_envelope(&env, &command).await;
    assert_eq!(first["status"], "accepted");
    for _ in 0..3 {
        assert_eq!(send_envelope(&env, &command).await, first);
    }
    assert_eq!(count(&env, "SELECT count(*) FROM events").await, 1);

    let rejected = envelope("task.start", json!({"task_id": Uuid::new_v4()}));
    let first_rejection = send_envelope(&env, &rejected).await;
    assert_eq!(send_envelope(&env, &rejected).await, first_rejection);
    assert_eq!(
        metrics
            .commands
            .handled
            .with_label_values(&["member.register", "duplicate"])
            .get(),
        3
    );
    handler.stop().await;
}

#[tokio::test]
async fn commands_on_one_project_keep_their_order_under_load() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let project = Uuid::new_v4();
    let mut answers = env
        .nats
        .subscribe(env.subjects.results_filter())
        .await
        .expect("subscribe");
    // Published back to back without waiting: each depends on the ones before it.
    let mut commands = vec![envelope(
        "project.create",
        json!({"project_id": project, "name": "P", "start_date": "2026-03-02"}),
    )];
    let mut previous: Option<Uuid> = None;
    for i in 0..60 {
        let task = Uuid::new_v4();
        let depends_on: Vec<Uuid> = previous.into_iter().collect();
        commands.push(envelope(
            "task.create",
            json!({"task_id": task, "project_id": project, "title": format!("T{i}"), "estimate_hours": 1,
                   "priority": 3, "labels": [], "skills": [], "depends_on": depends_on}),
        ));
        commands.push(envelope("task.start", json!({"task_id": task})));
        previous = Some(task);
    }
    for command in &commands {
        publish_raw(
            &env,
            command["type"].as_str().expect("type"),
            serde_json::to_vec(command).expect("json"),
        )
        .await;
    }
    let mut accepted = 0;
    while accepted < commands.len() {
        let answer = tokio::time::timeout(ANSWER_WITHIN, answers.next())
            .await
            .expect("in time")
            .expect("answer");
        let outcome: serde_json::Value = serde_json::from_slice(&answer.payload).expect("json");
        assert_eq!(outcome["status"], "accepted", "{outcome}");
        accepted += 1;
    }
    handler.stop().await;
}

#[tokio::test]
async fn a_database_failure_is_retried_not_rejected() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    accepted(&env, "member.register", json!({"member_id": Uuid::new_v4(), "name": "A", "skills": [], "capacity_hours_per_week": 1})).await;

    // The outcome table vanishes: every attempt fails as it would with the database down.
    sqlx::query("ALTER TABLE command_results RENAME TO command_results_away")
        .execute(&env.pool)
        .await
        .expect("rename");
    let command = envelope(
        "member.register",
        json!({"member_id": Uuid::new_v4(), "name": "B", "skills": [], "capacity_hours_per_week": 1}),
    );
    let id = Uuid::parse_str(command["command_id"].as_str().expect("id")).expect("uuid");
    let mut answers = env
        .nats
        .subscribe(env.subjects.result(id))
        .await
        .expect("subscribe");
    publish_raw(
        &env,
        "member.register",
        serde_json::to_vec(&command).expect("json"),
    )
    .await;
    let deadline = Instant::now() + ANSWER_WITHIN;
    while metrics.commands.retries.get() < 2 {
        assert!(Instant::now() < deadline, "no retry happened");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sqlx::query("ALTER TABLE command_results_away RENAME TO command_results")
        .execute(&env.pool)
        .await
        .expect("rename back");

    let answer = tokio::time::timeout(ANSWER_WITHIN, answers.next())
        .await
        .expect("in time")
        .expect("answer");
    let outcome: serde_json::Value = serde_json::from_slice(&answer.payload).expect("json");
    assert_eq!(outcome["status"], "accepted", "{outcome}");
    assert_eq!(count(&env, "SELECT count(*) FROM events").await, 2);
    handler.stop().await;
}

#[tokio::test]
async fn an_oversized_command_is_rejected_as_payload_too_large() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let command = envelope(
        "member.register",
        json!({"member_id": Uuid::new_v4(), "name": "x".repeat(300 * 1024), "skills": [], "capacity_hours_per_week": 1}),
    );
    let outcome = send_envelope(&env, &command).await;
    assert_eq!(rejection_code(&outcome), "payload_too_large");
    handler.stop().await;
}
