//! Hostile input through the real handler: the size limit as configured, NUL characters,
//! numbers and dates out of range, unknown and repeated fields, and text that looks like SQL
//! or HTML, stored as sent and read back escaped through the API.

use std::time::Duration;

use axum::http::{StatusCode, header};
use serde_json::{Value, json};
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

/// Publishes `body` (text or not) on `command_type`'s subject and waits for the outcome of `id`.
pub async fn send_raw(env: &TestEnv, command_type: &str, id: Uuid, body: Vec<u8>) -> Value {
    let mut answers = env
        .nats
        .subscribe(env.subjects.result(id))
        .await
        .expect("subscribe");
    publish_raw(env, command_type, body).await;
    let answer = tokio::time::timeout(ANSWER_WITHIN, futures::StreamExt::next(&mut answers))
        .await
        .expect("an outcome in time")
        .expect("answer");
    serde_json::from_slice(&answer.payload).expect("outcome JSON")
}

/// The rejection's (code, field) of `outcome`.
fn refusal(outcome: &Value) -> (&str, Option<&str>) {
    (rejection_code(outcome), outcome["error"]["field"].as_str())
}

#[tokio::test]
async fn the_size_limit_is_the_configured_one() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let config = commands::HandlerConfig {
        max_payload_bytes: 4 * 1024,
        ..Default::default()
    };
    let handler = start_commands_with(&env, &metrics, config);
    let register = |name: String| {
        envelope(
            "member.register",
            json!({"member_id": Uuid::new_v4(), "name": name, "skills": [], "capacity_hours_per_week": 1}),
        )
    };
    // 5 KiB of name: over this handler's limit, far under the default one.
    let large = register("x".repeat(5 * 1024));
    let outcome = send_envelope(&env, &large).await;
    assert_eq!(rejection_code(&outcome), "payload_too_large");
    assert!(
        outcome["error"]["message"]
            .as_str()
            .expect("message")
            .contains("the limit is 4096"),
        "{outcome}"
    );
    let fits = register("y".repeat(150));
    assert_eq!(send_envelope(&env, &fits).await["status"], "accepted");
    handler.stop().await;
}

#[tokio::test]
async fn a_nul_character_is_rejected_naming_the_field_and_blocks_nothing() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (project, _, task) = project_with_task(&env).await;

    let cases = [
        (
            envelope("task.block", json!({"task_id": task, "reason": "a\u{0}b"})),
            "payload.reason",
        ),
        (
            envelope(
                "project.rename",
                json!({"project_id": project, "name": "\u{0}"}),
            ),
            "payload.name",
        ),
        (
            {
                let mut e = envelope("task.start", json!({"task_id": task}));
                e["actor"] = json!("eve\u{0}");
                e
            },
            "actor",
        ),
        (
            envelope("task.start", json!({"task_id": task, "x\u{0}y": 1})),
            "payload.x\\u{0}y",
        ),
    ];
    for (command, field) in &cases {
        let outcome = send_envelope(&env, command).await;
        assert_eq!(
            refusal(&outcome),
            ("invalid_command", Some(*field)),
            "{outcome}"
        );
    }
    // The task's stream is not held up: the next command on it goes through at once.
    accepted(&env, "task.start", json!({"task_id": task})).await;
    assert_eq!(metrics.commands.retries.get(), 0, "nothing was retried");
    let stored = count(
        &env,
        "SELECT count(*) FROM command_results WHERE status = 'rejected'",
    )
    .await;
    assert_eq!(stored, 4, "every rejection is recorded");
    handler.stop().await;
}

/// What intake would refuse, decided and appended directly: the log refuses the NUL, and that
/// is a rejection of the command, not a failure to retry for ever.
#[tokio::test]
async fn a_value_the_log_cannot_store_is_a_rejection_not_a_failure() {
    let env = TestEnv::new().await;
    let member = Uuid::new_v4();
    let payload = json!({"member_id": member, "name": "Nul\u{0}Name", "skills": [], "capacity_hours_per_week": 1});
    let envelope = domain::CommandEnvelope {
        command_id: Uuid::new_v4(),
        command_type: "member.register".into(),
        occurred_at: None,
        expected_version: None,
        actor: "test".into(),
        correlation_id: None,
        payload: payload.clone(),
    };
    let command = domain::Command::parse("member.register", &payload).expect("well-formed");
    let executed = commands::execute(
        &env.pool,
        &commands::StateCache::default(),
        &commands::Appender::direct(env.pool.clone()),
        &envelope,
        &command,
    )
    .await
    .expect("an answer, not a failure");
    assert_eq!(rejection_code(&executed.outcome), "invalid_command");
    assert_eq!(count(&env, "SELECT count(*) FROM events").await, 0);
    let recorded = store::find_outcome(&env.pool, envelope.command_id)
        .await
        .expect("read")
        .expect("recorded");
    assert_eq!(recorded, executed.outcome);
}

#[tokio::test]
async fn numbers_and_dates_out_of_range_are_rejected_naming_the_field() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (project, member, task) = project_with_task(&env).await;

    let create = |field: &str, value: Value| {
        let mut payload = json!({"task_id": Uuid::new_v4(), "project_id": project, "title": "T",
            "estimate_hours": 4, "priority": 2, "labels": [], "skills": [], "depends_on": []});
        payload[field] = value;
        envelope("task.create", payload)
    };
    let mut cases: Vec<(Value, &str)> = vec![];
    for bad in [
        json!(-1),
        json!(0),
        json!(1e308),
        json!(10_000.5),
        json!("NaN"),
        json!(u64::MAX),
    ] {
        cases.push((create("estimate_hours", bad), "payload.estimate_hours"));
    }
    for bad in [json!(0), json!(5), json!(2.5), json!(-1), json!(1e30)] {
        cases.push((create("priority", bad), "payload.priority"));
    }
    for bad in [
        "0000-01-01T00:00:00Z",
        "+10000-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
    ] {
        cases.push((create("due_date", json!(bad)), "payload.due_date"));
    }
    for bad in [json!(-1), json!(168.5), json!(1e308)] {
        cases.push((
            envelope(
                "member.change_capacity",
                json!({"member_id": member, "capacity_hours_per_week": bad}),
            ),
            "payload.capacity_hours_per_week",
        ));
    }
    for bad in [json!(0), json!(-3), json!(169)] {
        cases.push((
            envelope("task.log_work", json!({"task_id": task, "hours": bad})),
            "payload.hours",
        ));
    }
    for bad in ["0000-01-01", "+10000-01-01", "1969-07-20"] {
        cases.push((
            envelope("project.add_milestone", json!({"project_id": project, "milestone_id": Uuid::new_v4(), "name": "M", "due_date": bad})),
            "payload.due_date",
        ));
    }
    for bad in [
        "1969-12-31T23:59:59Z",
        "2999-01-01T00:00:00Z",
        "+10000-01-01T00:00:00Z",
    ] {
        let mut start = envelope("task.start", json!({"task_id": task}));
        start["occurred_at"] = json!(bad);
        cases.push((start, "occurred_at"));
    }
    let mut version = envelope("task.start", json!({"task_id": task}));
    version["expected_version"] = json!(-1);
    cases.push((version, "expected_version"));
    for (command, field) in &cases {
        let outcome = send_envelope(&env, command).await;
        assert_eq!(
            refusal(&outcome),
            ("invalid_command", Some(*field)),
            "{command}: {outcome}"
        );
    }

    // A number no f64 holds: the JSON cannot be read, yet the id before it can.
    let id = Uuid::new_v4();
    let body = format!(
        r#"{{"command_id": "{id}", "type": "task.change_estimate", "actor": "a", "payload": {{"task_id": "{task}", "estimate_hours": 1e400}}}}"#
    );
    let outcome = send_raw(&env, "task.change_estimate", id, body.into_bytes()).await;
    assert_eq!(
        refusal(&outcome),
        ("invalid_json", Some("payload.estimate_hours"))
    );
    assert_eq!(
        count(&env, "SELECT count(*) FROM events").await,
        4,
        "nothing out of range was appended"
    );
    handler.stop().await;
}

#[tokio::test]
async fn unknown_and_repeated_fields_are_rejected_naming_them() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (_, _, task) = project_with_task(&env).await;

    let mut in_envelope = envelope("task.start", json!({"task_id": task}));
    in_envelope["priority_override"] = json!(true);
    let outcome = send_envelope(&env, &in_envelope).await;
    assert_eq!(
        refusal(&outcome),
        ("invalid_command", Some("priority_override"))
    );
    let outcome = send(&env, "task.start", json!({"task_id": task, "force": true})).await;
    assert_eq!(
        refusal(&outcome),
        ("invalid_command", Some("payload.force"))
    );
    let long_key = "k".repeat(10_000);
    let outcome = send(&env, "task.start", json!({"task_id": task, long_key: 1})).await;
    let field = outcome["error"]["field"].as_str().expect("field");
    assert!(
        field.starts_with("payload.kkk") && field.len() < 100,
        "{field}"
    );

    // The same key twice: which one counts would be a guess, so neither does.
    let id = Uuid::new_v4();
    let body = format!(
        r#"{{"command_id": "{id}", "type": "task.start", "actor": "a", "payload": {{"task_id": "{task}", "task_id": "{}"}}}}"#,
        Uuid::new_v4()
    );
    let outcome = send_raw(&env, "task.start", id, body.into_bytes()).await;
    assert_eq!(
        refusal(&outcome),
        ("invalid_command", Some("payload.task_id"))
    );
    handler.stop().await;
}

#[tokio::test]
async fn text_that_looks_like_sql_or_html_is_stored_as_sent_and_read_back_escaped() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let relay = start_relay(&env, &metrics);
    let boards = start_projection(&env, &metrics, boards::Boards);
    let router = api_router(&env, &metrics).await;
    let (project, _, _) = project_with_task(&env).await;

    let title = "'; DROP TABLE events; -- <script>alert(\"x\")</script>";
    let description = "Robert'); DELETE FROM command_results;--\n</textarea><img src=x onerror=alert(1)> & \u{2028} {{7*7}} ${jndi:ldap://x} \\ é 😀";
    let labels = json!(["<b>bold</b>", "1 OR 1=1", "%s%n"]);
    let task = Uuid::new_v4();
    let created = accepted(
        &env,
        "task.create",
        json!({"task_id": task, "project_id": project, "title": title, "description": description,
               "estimate_hours": 3, "priority": 1, "labels": labels, "skills": [], "depends_on": []}),
    )
    .await;
    let position = created["positions"][0].as_i64().expect("position");

    let (status, headers, body) = get_raw(
        &router,
        &format!("/v1/tasks/{task}?min_position={position}&wait_ms=10000"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let raw = std::str::from_utf8(&body).expect("UTF-8");
    for markup in ["<", ">", "&", "\u{2028}"] {
        assert!(!raw.contains(markup), "{markup:?} unescaped in {raw}");
    }
    let view: Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(
        view["title"].as_str().expect("title").as_bytes(),
        title.as_bytes()
    );
    assert_eq!(
        view["description"]
            .as_str()
            .expect("description")
            .as_bytes(),
        description.as_bytes()
    );
    assert_eq!(view["labels"], labels);

    // The log holds the text as sent; the tables it names are all there.
    let events = store::read_stream(&env.pool, &format!("task-{task}"))
        .await
        .expect("read");
    assert_eq!(events[0].payload["title"], title);
    assert_eq!(count(&env, "SELECT count(*) FROM command_results").await, 5);

    // A problem quoting the request is escaped the same way.
    let (status, headers, body) = get_raw(&router, "/v1/tasks/%3Cscript%3E").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(!std::str::from_utf8(&body).expect("UTF-8").contains('<'));

    tokio::time::timeout(Duration::from_secs(30), async {
        boards.stop().await;
        relay.stop().await;
        handler.stop().await;
    })
    .await
    .expect("the roles stop");
}
