//! Dependencies at scale through the real handler: a thousand on one task, a limit past it,
//! long chains, cycles refused however they are closed, and new dependencies sent side by side.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::{Value, json};
use testkit::TestEnv;
use uuid::Uuid;

use crate::harness::*;

/// Publishes every command back to back, then waits for all their outcomes, by command id.
pub async fn send_all(env: &TestEnv, commands: &[Value]) -> HashMap<Uuid, Value> {
    let mut answers = env
        .nats
        .subscribe(env.subjects.results_filter())
        .await
        .expect("subscribe");
    for command in commands {
        let body = serde_json::to_vec(command).expect("json");
        publish_raw(env, command["type"].as_str().expect("type"), body).await;
    }
    let mut outcomes = HashMap::new();
    while outcomes.len() < commands.len() {
        let answer = tokio::time::timeout(ANSWER_WITHIN, answers.next())
            .await
            .expect("every outcome in time")
            .expect("answer");
        let outcome: Value = serde_json::from_slice(&answer.payload).expect("json");
        let id = Uuid::parse_str(outcome["command_id"].as_str().expect("id")).expect("uuid");
        outcomes.insert(id, outcome);
    }
    outcomes
}

fn id_of(command: &Value) -> Uuid {
    Uuid::parse_str(command["command_id"].as_str().expect("id")).expect("uuid")
}

fn create_task(project: Uuid, task: Uuid, depends_on: &[Uuid]) -> Value {
    envelope(
        "task.create",
        json!({"task_id": task, "project_id": project, "title": "T", "estimate_hours": 1,
               "priority": 3, "labels": [], "skills": [], "depends_on": depends_on}),
    )
}

fn add_dependency(task: Uuid, depends_on: Uuid) -> Value {
    envelope(
        "task.add_dependency",
        json!({"task_id": task, "depends_on": depends_on}),
    )
}

/// Creates tasks in order (each command may wait on the ones before), all accepted.
async fn create_all(env: &TestEnv, commands: &[Value]) {
    for (id, outcome) in send_all(env, commands).await {
        assert_eq!(outcome["status"], "accepted", "{id}: {outcome}");
    }
}

#[tokio::test]
async fn a_thousand_dependencies_are_taken_and_more_are_refused() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (project, _, _) = project_with_task(&env).await;
    let tasks: Vec<Uuid> = (0..1_000).map(|_| Uuid::new_v4()).collect();
    let creates: Vec<Value> = tasks
        .iter()
        .map(|t| create_task(project, *t, &[]))
        .collect();
    create_all(&env, &creates).await;

    let started = Instant::now();
    let wide = Uuid::new_v4();
    let outcome = send_envelope(&env, &create_task(project, wide, &tasks)).await;
    assert_eq!(outcome["status"], "accepted", "{outcome}");
    let mut too_many = tasks.clone();
    too_many.push(Uuid::new_v4());
    let outcome = send_envelope(&env, &create_task(project, Uuid::new_v4(), &too_many)).await;
    assert_eq!(rejection_code(&outcome), "invalid_command");
    assert_eq!(outcome["error"]["field"], "payload.depends_on");

    // A task everything waits for cannot wait for any of them: the cycle check walks all 1,000.
    let outcome = send_envelope(&env, &add_dependency(tasks[500], wide)).await;
    assert_eq!(rejection_code(&outcome), "invalid_command");
    assert!(
        outcome["error"]["message"]
            .as_str()
            .expect("message")
            .contains("cycle"),
        "{outcome}"
    );
    let outcome = send_envelope(&env, &add_dependency(wide, Uuid::new_v4())).await;
    assert_eq!(rejection_code(&outcome), "not_found");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "a thousand dependencies took {:?}",
        started.elapsed()
    );
    handler.stop().await;
}

#[tokio::test]
async fn a_long_chain_is_checked_for_cycles_quickly() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (project, _, _) = project_with_task(&env).await;
    // chain[i] waits for chain[i - 1]: 400 links.
    let chain: Vec<Uuid> = (0..400).map(|_| Uuid::new_v4()).collect();
    let creates: Vec<Value> = chain
        .iter()
        .enumerate()
        .map(|(i, t)| create_task(project, *t, &chain[i.saturating_sub(1)..i]))
        .collect();
    create_all(&env, &creates).await;

    let started = Instant::now();
    let outcome = send_envelope(&env, &add_dependency(chain[0], chain[399])).await;
    assert_eq!(rejection_code(&outcome), "invalid_command");
    assert_eq!(outcome["error"]["field"], "payload.depends_on");
    let cold = started.elapsed();
    // A side task may wait for the end of the chain (its check walks all 400 links); the
    // chain's start may then not wait for the side task.
    let side = Uuid::new_v4();
    create_all(&env, &[create_task(project, side, &[])]).await;
    accepted(
        &env,
        "task.add_dependency",
        json!({"task_id": side, "depends_on": chain[399]}),
    )
    .await;
    let started = Instant::now();
    let outcome = send_envelope(&env, &add_dependency(chain[0], side)).await;
    assert_eq!(
        rejection_code(&outcome),
        "invalid_command",
        "side waits for the whole chain: {outcome}"
    );
    let warm = started.elapsed();
    assert!(
        cold < Duration::from_secs(10),
        "the first check of 400 links took {cold:?}"
    );
    assert!(
        warm < Duration::from_secs(2),
        "a check with a warm cache took {warm:?}"
    );
    handler.stop().await;
}

/// `a` waits for `b` and `c` for `d` are sent together where `b` waits for `c` and `d` for `a`:
/// decided side by side, each would see no cycle and both would close one. One must be refused.
#[tokio::test]
async fn new_dependencies_sent_together_cannot_close_a_cycle() {
    let env = TestEnv::new().await;
    let metrics = telemetry::Metrics::new();
    let handler = start_commands(&env, &metrics);
    let (project, _, _) = project_with_task(&env).await;
    let quartets: Vec<[Uuid; 4]> = (0..25)
        .map(|_| std::array::from_fn(|_| Uuid::new_v4()))
        .collect();
    let mut creates = Vec::new();
    for [a, b, c, d] in &quartets {
        creates.push(create_task(project, *c, &[]));
        creates.push(create_task(project, *b, &[*c]));
        creates.push(create_task(project, *a, &[]));
        creates.push(create_task(project, *d, &[*a]));
    }
    create_all(&env, &creates).await;

    let mut pairs = Vec::new();
    let mut commands = Vec::new();
    for [a, b, c, d] in &quartets {
        let (first, second) = (add_dependency(*a, *b), add_dependency(*c, *d));
        pairs.push((id_of(&first), id_of(&second)));
        commands.push(first);
        commands.push(second);
    }
    let outcomes = send_all(&env, &commands).await;
    for (first, second) in pairs {
        let statuses = [&outcomes[&first]["status"], &outcomes[&second]["status"]];
        assert_eq!(
            statuses.iter().filter(|s| **s == "accepted").count(),
            1,
            "exactly one of two edges closing a cycle: {} / {}",
            outcomes[&first],
            outcomes[&second]
        );
    }
    handler.stop().await;
}
