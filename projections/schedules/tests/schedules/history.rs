//! A realistic history, appended through the domain as the command handler would.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

pub fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 time")
}

pub async fn send(pool: &PgPool, command: &str, payload: Value, when: &str) {
    testkit::accept(pool, command, payload, Some(at(when))).await;
}

pub struct Ids {
    pub ada: Uuid,
    pub bob: Uuid,
    pub apollo: Uuid,
    pub zeus: Uuid,
    pub beta: Uuid,
    pub ga: Uuid,
    /// Apollo: design (Ada), build (Bob, after design), docs (Ada), test (nobody, after build), done.
    pub design: Uuid,
    pub build: Uuid,
    pub docs: Uuid,
    pub test: Uuid,
    pub shipped: Uuid,
    /// Zeus: Ada's other work.
    pub other: Uuid,
}

impl Ids {
    pub fn new() -> Self {
        let id = Uuid::new_v4;
        Self {
            ada: id(),
            bob: id(),
            apollo: id(),
            zeus: id(),
            beta: id(),
            ga: id(),
            design: id(),
            build: id(),
            docs: id(),
            test: id(),
            shipped: id(),
            other: id(),
        }
    }
}

/// A `task.create` payload; `extra` adds or replaces fields (milestone, due date, dependencies).
fn task(id: Uuid, project: Uuid, title: &str, hours: f64, priority: u8, extra: Value) -> Value {
    let mut payload = json!({
        "task_id": id, "project_id": project, "title": title, "estimate_hours": hours, "priority": priority,
        "labels": [], "skills": [], "depends_on": []
    });
    if let (Some(fields), Value::Object(extra)) = (payload.as_object_mut(), extra) {
        fields.extend(extra);
    }
    payload
}

/// Apollo starts Monday 2024-03-04; Ada works 40 h a week but not on Wednesday 2024-03-06; Bob
/// works 20 h a week. Ada also has a task in Zeus.
pub async fn apollo(pool: &PgPool, ids: &Ids) {
    let day = "2024-03-01T10:00:00Z";
    send(pool, "member.register", json!({"member_id": ids.ada, "name": "Ada", "skills": ["rust"], "capacity_hours_per_week": 40.0}), day).await;
    send(
        pool,
        "member.register",
        json!({"member_id": ids.bob, "name": "Bob", "skills": [], "capacity_hours_per_week": 40.0}),
        day,
    )
    .await;
    send(
        pool,
        "member.change_capacity",
        json!({"member_id": ids.bob, "capacity_hours_per_week": 20.0}),
        day,
    )
    .await;
    send(
        pool,
        "member.add_time_off",
        json!({"member_id": ids.ada, "from": "2024-03-06", "to": "2024-03-06"}),
        day,
    )
    .await;
    send(pool, "project.create", json!({"project_id": ids.apollo, "name": "Apollo", "start_date": "2024-03-04", "deadline": "2024-03-29"}), day).await;
    send(
        pool,
        "project.create",
        json!({"project_id": ids.zeus, "name": "Zeus", "start_date": "2024-03-01"}),
        day,
    )
    .await;
    for (project, member) in [
        (ids.apollo, ids.ada),
        (ids.apollo, ids.bob),
        (ids.zeus, ids.ada),
    ] {
        send(
            pool,
            "project.add_member",
            json!({"project_id": project, "member_id": member, "role": "dev"}),
            day,
        )
        .await;
    }
    send(pool, "project.add_milestone", json!({"project_id": ids.apollo, "milestone_id": ids.beta, "name": "Beta", "due_date": "2024-03-22"}), day).await;
    send(
        pool,
        "project.move_milestone",
        json!({"project_id": ids.apollo, "milestone_id": ids.beta, "due_date": "2024-03-15"}),
        day,
    )
    .await;
    send(pool, "project.add_milestone", json!({"project_id": ids.apollo, "milestone_id": ids.ga, "name": "GA", "due_date": "2024-03-08"}), day).await;

    let t = "2024-03-01T11:00:00Z";
    send(
        pool,
        "task.create",
        task(
            ids.design,
            ids.apollo,
            "Design",
            16.0,
            1,
            json!({"milestone_id": ids.beta}),
        ),
        t,
    )
    .await;
    send(pool, "task.create", task(ids.build, ids.apollo, "Build", 20.0, 2, json!({"milestone_id": ids.beta, "due_date": "2024-03-11T17:00:00Z", "depends_on": [ids.design]})), t).await;
    send(
        pool,
        "task.create",
        task(ids.docs, ids.apollo, "Docs", 8.0, 3, json!({})),
        t,
    )
    .await;
    send(
        pool,
        "task.create",
        task(
            ids.test,
            ids.apollo,
            "Test",
            4.0,
            2,
            json!({"milestone_id": ids.ga}),
        ),
        t,
    )
    .await;
    send(
        pool,
        "task.add_dependency",
        json!({"task_id": ids.test, "depends_on": ids.build}),
        t,
    )
    .await;
    send(
        pool,
        "task.create",
        task(ids.shipped, ids.apollo, "Kick-off", 2.0, 1, json!({})),
        t,
    )
    .await;
    send(
        pool,
        "task.create",
        task(ids.other, ids.zeus, "Zeus work", 8.0, 1, json!({})),
        "2024-03-01T12:00:00Z",
    )
    .await;
    for (task, member) in [
        (ids.design, ids.ada),
        (ids.build, ids.bob),
        (ids.docs, ids.ada),
        (ids.shipped, ids.ada),
        (ids.other, ids.ada),
    ] {
        send(
            pool,
            "task.assign",
            json!({"task_id": task, "member_id": member}),
            t,
        )
        .await;
    }
    let work = "2024-03-01T15:00:00Z";
    send(pool, "task.start", json!({"task_id": ids.shipped}), work).await;
    send(pool, "task.complete", json!({"task_id": ids.shipped}), work).await;
    send(pool, "task.start", json!({"task_id": ids.design}), work).await;
    send(
        pool,
        "task.log_work",
        json!({"task_id": ids.design, "hours": 4.0}),
        work,
    )
    .await;
}

/// More of the state machine, for comparing batchings: blocks, reopens, cancels, unassigns,
/// dependencies removed, memberships left, statuses changed.
pub async fn churn(pool: &PgPool, ids: &Ids) {
    let day = "2024-03-02T09:00:00Z";
    let spare = Uuid::new_v4();
    send(
        pool,
        "task.create",
        task(
            spare,
            ids.apollo,
            "Spare",
            3.0,
            4,
            json!({"depends_on": [ids.design]}),
        ),
        day,
    )
    .await;
    send(
        pool,
        "task.block",
        json!({"task_id": ids.design, "reason": "waiting"}),
        day,
    )
    .await;
    send(pool, "task.unblock", json!({"task_id": ids.design}), day).await;
    send(pool, "task.reopen", json!({"task_id": ids.shipped}), day).await;
    send(
        pool,
        "task.change_estimate",
        json!({"task_id": spare, "estimate_hours": 5.5}),
        day,
    )
    .await;
    send(
        pool,
        "task.change_due_date",
        json!({"task_id": spare, "due_date": "2024-04-01T17:00:00Z"}),
        day,
    )
    .await;
    send(
        pool,
        "task.remove_dependency",
        json!({"task_id": spare, "depends_on": ids.design}),
        day,
    )
    .await;
    send(
        pool,
        "task.assign",
        json!({"task_id": spare, "member_id": ids.bob}),
        day,
    )
    .await;
    send(pool, "task.unassign", json!({"task_id": spare}), day).await;
    send(
        pool,
        "task.cancel",
        json!({"task_id": spare, "reason": "not needed"}),
        day,
    )
    .await;
    send(
        pool,
        "project.complete_milestone",
        json!({"project_id": ids.apollo, "milestone_id": ids.ga}),
        day,
    )
    .await;
    send(
        pool,
        "project.remove_member",
        json!({"project_id": ids.zeus, "member_id": ids.ada}),
        day,
    )
    .await;
    send(
        pool,
        "project.rename",
        json!({"project_id": ids.zeus, "name": "Zeus II"}),
        day,
    )
    .await;
    send(
        pool,
        "project.change_status",
        json!({"project_id": ids.zeus, "status": "on_hold"}),
        day,
    )
    .await;
    send(
        pool,
        "member.add_time_off",
        json!({"member_id": ids.bob, "from": "2024-04-01", "to": "2024-04-05"}),
        day,
    )
    .await;
    send(
        pool,
        "member.add_time_off",
        json!({"member_id": ids.bob, "from": "2024-04-01", "to": "2024-04-05"}),
        day,
    )
    .await;
}
