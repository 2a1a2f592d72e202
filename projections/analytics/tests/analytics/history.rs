//! A small but realistic history, appended with business times in March 2025 (UTC).
//!
//! Project P starts Monday 3 March. Milestone M1 (due 13 March, moved to the 14th) holds T1, T2,
//! T4 and T5; milestone M2 (due 5 March) holds T6. Ada (40 h/week), Bo (20, then 25 h/week) and
//! Cy (30 h/week) are registered; Bo also works on project Q.
//!
//! | task | est. | labels  | assignee | story |
//! | T1 | 8 | api | Ada | start 3rd 10:00, done 4th 10:00 (24 h), 10 h logged |
//! | T2 | 4 | api, ui | Bo | start 4th 09:00, blocked 12:00, unblocked 5th 09:00, done 6th 09:00 (48 h), 2 h logged |
//! | T3 | 6 | ui | Ada | start 5th 08:00, done 20:00, reopened 6th, restarted 7th, done 10th 08:00 (120 h), 9 h logged |
//! | T4 | 5 → 10 on the 6th | api | Bo | start 7th 09:00, open, 3 h logged |
//! | T5 | 3 | – | – | created 5th, cancelled 8th |
//! | T6 | 2 | – | Ada | created 10th, todo |
//! | T7 | 1 | – | – | created 11th, blocked before starting |
//! | T8 | 2 | – | – | created 11th, started 12th 12:00 |
//! | Q1 | 13 (project Q) | – | Bo | started 10th |

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

pub struct Ids {
    pub project: Uuid,
    pub other_project: Uuid,
    pub m1: Uuid,
    pub m2: Uuid,
    pub ada: Uuid,
    pub bo: Uuid,
    pub cy: Uuid,
    /// T1..T8 at indexes 1..=8 (index 0 unused).
    pub tasks: Vec<Uuid>,
}

pub fn at(timestamp: &str) -> DateTime<Utc> {
    timestamp.parse().expect("an RFC 3339 time")
}

async fn send(pool: &PgPool, command: &str, payload: Value, when: &str) {
    testkit::accept(pool, command, payload, Some(at(when))).await;
}

async fn task(
    pool: &PgPool,
    ids: &Ids,
    n: usize,
    estimate: f64,
    labels: &[&str],
    milestone: Option<Uuid>,
    when: &str,
) {
    let mut payload = json!({
        "task_id": ids.tasks[n], "project_id": ids.project, "title": format!("T{n}"),
        "estimate_hours": estimate, "priority": 2, "labels": labels, "skills": [], "depends_on": [],
    });
    if let Some(milestone) = milestone {
        payload["milestone_id"] = json!(milestone);
    }
    send(pool, "task.create", payload, when).await;
}

async fn step(pool: &PgPool, command: &str, task: Uuid, when: &str) {
    send(pool, command, json!({"task_id": task}), when).await;
}

async fn assign(pool: &PgPool, task: Uuid, member: Uuid, when: &str) {
    send(
        pool,
        "task.assign",
        json!({"task_id": task, "member_id": member}),
        when,
    )
    .await;
}

async fn log(pool: &PgPool, task: Uuid, hours: f64, when: &str) {
    send(
        pool,
        "task.log_work",
        json!({"task_id": task, "hours": hours}),
        when,
    )
    .await;
}

pub async fn append(pool: &PgPool) -> Ids {
    let ids = Ids {
        project: Uuid::new_v4(),
        other_project: Uuid::new_v4(),
        m1: Uuid::new_v4(),
        m2: Uuid::new_v4(),
        ada: Uuid::new_v4(),
        bo: Uuid::new_v4(),
        cy: Uuid::new_v4(),
        tasks: (0..=8).map(|_| Uuid::new_v4()).collect(),
    };
    let t = &ids.tasks;
    for (member, name, capacity) in [
        (ids.ada, "Ada", 40.0),
        (ids.bo, "Bo", 20.0),
        (ids.cy, "Cy", 30.0),
    ] {
        let payload = json!({"member_id": member, "name": name, "skills": [], "capacity_hours_per_week": capacity});
        send(pool, "member.register", payload, "2025-03-01T08:00:00Z").await;
    }
    let project = json!({"project_id": ids.project, "name": "P", "start_date": "2025-03-03", "deadline": "2025-04-30"});
    send(pool, "project.create", project, "2025-03-02T08:00:00Z").await;
    for member in [ids.ada, ids.bo] {
        send(
            pool,
            "project.add_member",
            json!({"project_id": ids.project, "member_id": member}),
            "2025-03-02T08:00:00Z",
        )
        .await;
    }
    let m1 = json!({"project_id": ids.project, "milestone_id": ids.m1, "name": "M1", "due_date": "2025-03-13"});
    send(pool, "project.add_milestone", m1, "2025-03-02T08:00:00Z").await;
    let m2 = json!({"project_id": ids.project, "milestone_id": ids.m2, "name": "M2", "due_date": "2025-03-05"});
    send(pool, "project.add_milestone", m2, "2025-03-02T08:00:00Z").await;

    task(
        pool,
        &ids,
        1,
        8.0,
        &["api"],
        Some(ids.m1),
        "2025-03-03T09:00:00Z",
    )
    .await;
    task(
        pool,
        &ids,
        2,
        4.0,
        &["api", "ui"],
        Some(ids.m1),
        "2025-03-03T09:00:00Z",
    )
    .await;
    task(pool, &ids, 3, 6.0, &["ui"], None, "2025-03-03T09:00:00Z").await;
    assign(pool, t[1], ids.ada, "2025-03-03T09:30:00Z").await;
    assign(pool, t[2], ids.bo, "2025-03-03T09:30:00Z").await;
    assign(pool, t[3], ids.ada, "2025-03-03T09:30:00Z").await;
    step(pool, "task.start", t[1], "2025-03-03T10:00:00Z").await;

    task(
        pool,
        &ids,
        4,
        5.0,
        &["api"],
        Some(ids.m1),
        "2025-03-04T09:00:00Z",
    )
    .await;
    assign(pool, t[4], ids.bo, "2025-03-04T09:00:00Z").await;
    step(pool, "task.start", t[2], "2025-03-04T09:00:00Z").await;
    step(pool, "task.complete", t[1], "2025-03-04T10:00:00Z").await;
    step(pool, "task.block", t[2], "2025-03-04T12:00:00Z").await;

    task(
        pool,
        &ids,
        5,
        3.0,
        &[],
        Some(ids.m1),
        "2025-03-05T07:00:00Z",
    )
    .await;
    step(pool, "task.start", t[3], "2025-03-05T08:00:00Z").await;
    step(pool, "task.unblock", t[2], "2025-03-05T09:00:00Z").await;
    step(pool, "task.complete", t[3], "2025-03-05T20:00:00Z").await;

    step(pool, "task.complete", t[2], "2025-03-06T09:00:00Z").await;
    step(pool, "task.reopen", t[3], "2025-03-06T10:00:00Z").await;
    send(
        pool,
        "task.change_estimate",
        json!({"task_id": t[4], "estimate_hours": 10.0}),
        "2025-03-06T11:00:00Z",
    )
    .await;

    step(pool, "task.start", t[4], "2025-03-07T09:00:00Z").await;
    step(pool, "task.start", t[3], "2025-03-07T10:00:00Z").await;
    step(pool, "task.cancel", t[5], "2025-03-08T09:00:00Z").await;
    let moved =
        json!({"project_id": ids.project, "milestone_id": ids.m1, "due_date": "2025-03-14"});
    send(
        pool,
        "project.move_milestone",
        moved,
        "2025-03-09T09:00:00Z",
    )
    .await;

    step(pool, "task.complete", t[3], "2025-03-10T08:00:00Z").await;
    let t6 = json!({"task_id": t[6], "project_id": ids.project, "title": "T6", "estimate_hours": 2.0, "priority": 3,
                    "labels": [], "skills": [], "depends_on": [], "milestone_id": ids.m2});
    send(pool, "task.create", t6, "2025-03-10T09:00:00Z").await;
    assign(pool, t[6], ids.ada, "2025-03-10T09:00:00Z").await;
    task(pool, &ids, 7, 1.0, &[], None, "2025-03-11T09:00:00Z").await;
    step(pool, "task.block", t[7], "2025-03-11T10:00:00Z").await;
    task(pool, &ids, 8, 2.0, &[], None, "2025-03-11T11:00:00Z").await;
    step(pool, "task.start", t[8], "2025-03-12T12:00:00Z").await;

    // Work logged, some of it after the fact; hours on the open T4 do not count for accuracy.
    send(
        pool,
        "task.log_work",
        json!({"task_id": t[1], "hours": 10.0, "member_id": ids.ada}),
        "2025-03-04T10:00:00Z",
    )
    .await;
    log(pool, t[2], 2.0, "2025-03-06T09:00:00Z").await;
    log(pool, t[3], 4.0, "2025-03-05T20:00:00Z").await;
    log(pool, t[3], 5.0, "2025-03-10T08:00:00Z").await;
    log(pool, t[4], 3.0, "2025-03-11T17:00:00Z").await;

    // Bo's other project, and his new capacity.
    let other = json!({"project_id": ids.other_project, "name": "Q", "start_date": "2025-03-10"});
    send(pool, "project.create", other, "2025-03-10T08:00:00Z").await;
    send(
        pool,
        "project.add_member",
        json!({"project_id": ids.other_project, "member_id": ids.bo}),
        "2025-03-10T08:00:00Z",
    )
    .await;
    let q1 = Uuid::new_v4();
    let q1_payload = json!({"task_id": q1, "project_id": ids.other_project, "title": "Q1", "estimate_hours": 13.0,
                            "priority": 1, "labels": [], "skills": [], "depends_on": []});
    send(pool, "task.create", q1_payload, "2025-03-10T08:00:00Z").await;
    assign(pool, q1, ids.bo, "2025-03-10T08:30:00Z").await;
    step(pool, "task.start", q1, "2025-03-10T09:00:00Z").await;
    send(
        pool,
        "member.change_capacity",
        json!({"member_id": ids.bo, "capacity_hours_per_week": 25.0}),
        "2025-03-11T08:00:00Z",
    )
    .await;
    ids
}
