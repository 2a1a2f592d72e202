//! The rule for bad input, end to end: a burst of hostile messages interleaved with good
//! commands on one stream. Every good command is accepted in its order, every hostile one is
//! answered with its code (or, without a readable id, kept with it), nothing is retried, and
//! the handler keeps its pace and stops cleanly.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

/// One message of the burst: its subject's type, its body, and what must become of it.
struct Message {
    command_type: &'static str,
    body: Vec<u8>,
    expect: Expect,
}

enum Expect {
    /// Accepted as the `n`th change of the task (its stream version).
    Version(i64),
    /// Rejected by id with this code.
    Code(Uuid, &'static str),
    /// No id to answer by: kept in `rejected_messages` with this code.
    Kept(&'static str),
}

fn good(version: i64, task: Uuid) -> Message {
    let command = envelope("task.log_work", json!({"task_id": task, "hours": 0.5}));
    Message {
        command_type: "task.log_work",
        body: serde_json::to_vec(&command).expect("json"),
        expect: Expect::Version(version),
    }
}

/// A text body with a fresh id in place of `{id}`, answered with `code`.
fn hostile(command_type: &'static str, template: &str, code: &'static str) -> Message {
    let id = Uuid::new_v4();
    Message {
        command_type,
        body: template.replace("{id}", &id.to_string()).into_bytes(),
        expect: Expect::Code(id, code),
    }
}

fn kept(body: Vec<u8>, code: &'static str) -> Message {
    Message {
        command_type: "task.log_work",
        body,
        expect: Expect::Kept(code),
    }
}

/// The hostile messages of one round, on `task`.
fn round(task: Uuid) -> Vec<Message> {
    let t = task.to_string();
    let work = |payload: &str| {
        format!(
            r#"{{"command_id": "{{id}}", "type": "task.log_work", "actor": "mallory", "payload": {payload}}}"#
        )
    };
    let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    // Bytes that are not UTF-8 inside a string, after a readable id.
    let latin1_id = Uuid::new_v4();
    let mut latin1 = work(&format!(
        r#"{{"task_id": "{t}", "hours": 1, "member_id": "caf"#
    ))
    .replace("{id}", &latin1_id.to_string())
    .into_bytes();
    latin1.extend_from_slice(b"\xe9\"}}");
    vec![
        hostile(
            "task.log_work",
            &work(&format!(r#"{{"task_id": "{t}", "hours": -5}}"#)),
            "invalid_command",
        ),
        hostile(
            "task.log_work",
            &work(&format!(r#"{{"task_id": "{t}", "hours": 1e400}}"#)),
            "invalid_json",
        ),
        hostile(
            "task.log_work",
            &work(&format!(r#"{{"task_id": "{t}", "hours": 1, "note": "x"}}"#)),
            "invalid_command",
        ),
        hostile(
            "task.log_work",
            &work(&format!(
                r#"{{"task_id": "{t}", "hours": 1, "member_id": "\u0000"}}"#
            )),
            "invalid_command",
        ),
        hostile(
            "task.log_work",
            &work(&format!(r#"{{"task_id": "{t}", "hours": {deep}}}"#)),
            "invalid_command",
        ),
        hostile(
            "task.log_work",
            &work(&format!(
                r#"{{"task_id": "{t}", "task_id": "{t}", "hours": 1}}"#
            )),
            "invalid_command",
        ),
        hostile(
            "task.log_work",
            &work(&format!(
                r#"{{"task_id": "{t}", "hours": 1, "member_id": "{}"}}"#,
                "x".repeat(300 * 1024)
            )),
            "payload_too_large",
        ),
        hostile(
            "task.explode",
            &work(&format!(r#"{{"task_id": "{t}"}}"#)).replace("task.log_work", "task.explode"),
            "unknown_command_type",
        ),
        hostile(
            "task.log_work",
            &work(&format!(r#"{{"task_id": "{t}", "hours": 1}}"#)).replace("mallory", "m\\u0000"),
            "invalid_command",
        ),
        Message {
            command_type: "task.log_work",
            body: latin1,
            expect: Expect::Code(latin1_id, "invalid_utf8"),
        },
        kept(vec![0xff, 0xfe, 0xfd], "invalid_utf8"),
        kept(b"{\"command_id\": ".to_vec(), "invalid_json"),
        kept(
            br#"{"type": "task.log_work", "payload": {}}"#.to_vec(),
            "invalid_command",
        ),
        kept(
            format!(r#"{{"payload": {deep}}}"#).into_bytes(),
            "invalid_command",
        ),
        kept(vec![b'x'; 300 * 1024], "payload_too_large"),
    ]
}

#[tokio::test]
async fn a_burst_of_hostile_messages_delays_no_good_command() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (_, _, task) = project_with_task(&env).await;

    // The task is at version 1; each good command is the next version, in publish order.
    let mut burst = Vec::new();
    let mut next_version = 2;
    for _ in 0..8 {
        for hostile in round(task) {
            burst.push(good(next_version, task));
            next_version += 1;
            burst.push(hostile);
        }
    }
    let answered: usize = burst
        .iter()
        .filter(|m| !matches!(m.expect, Expect::Kept(_)))
        .count();
    let kept_count = burst.len() - answered;

    let mut answers = env
        .nats
        .subscribe(env.subjects.results_filter())
        .await
        .expect("subscribe");
    let started = Instant::now();
    for message in &burst {
        publish_raw(&env, message.command_type, message.body.clone()).await;
    }
    let mut outcomes: HashMap<Uuid, Value> = HashMap::new();
    while outcomes.len() < answered {
        let answer = tokio::time::timeout(ANSWER_WITHIN, answers.next())
            .await
            .expect("every answerable message answered in time")
            .expect("answer");
        let outcome: Value = serde_json::from_slice(&answer.payload).expect("json");
        let id = Uuid::parse_str(outcome["command_id"].as_str().expect("id")).expect("uuid");
        outcomes.insert(id, outcome);
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(20),
        "the burst took {elapsed:?}"
    );

    for message in &burst {
        match &message.expect {
            Expect::Version(version) => {
                let id =
                    serde_json::from_slice::<Value>(&message.body).expect("json")["command_id"]
                        .as_str()
                        .and_then(|s| Uuid::parse_str(s).ok())
                        .expect("id");
                let outcome = &outcomes[&id];
                assert_eq!(outcome["status"], "accepted", "{outcome}");
                assert_eq!(
                    outcome["version"], *version,
                    "good commands keep their order"
                );
            }
            Expect::Code(id, code) => {
                let outcome = &outcomes[id];
                assert_eq!(rejection_code(outcome), *code, "{outcome}");
            }
            Expect::Kept(_) => {}
        }
    }
    let deadline = Instant::now() + ANSWER_WITHIN;
    while count(&env, "SELECT count(*) FROM rejected_messages").await < kept_count as i64 {
        assert!(
            Instant::now() < deadline,
            "not every unanswerable message was kept"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let kept_codes: Vec<(String, i64)> = sqlx::query_as(
        "SELECT error_code, count(*) FROM rejected_messages GROUP BY error_code ORDER BY error_code",
    )
    .fetch_all(&env.pool)
    .await
    .expect("codes");
    let mut expected: Vec<(String, i64)> = Vec::new();
    for message in &burst {
        if let Expect::Kept(code) = message.expect {
            match expected.iter_mut().find(|(c, _)| c == code) {
                Some((_, n)) => *n += 1,
                None => expected.push((code.to_owned(), 1)),
            }
        }
    }
    expected.sort();
    assert_eq!(kept_codes, expected);

    assert_eq!(
        metrics.commands.retries.get(),
        0,
        "no hostile message was retried"
    );
    let events = count(
        &env,
        &format!("SELECT count(*) FROM events WHERE stream_id = 'task-{task}'"),
    )
    .await;
    assert_eq!(events, next_version - 1, "only the good commands appended");
    handler.stop().await;
}
