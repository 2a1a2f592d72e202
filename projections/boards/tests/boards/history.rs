//! A realistic history of two projects, decided and appended through the command path,
//! with the ids and business times the assertions need.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

/// Ids of what the history creates, and the times worth checking.
pub struct History {
    pub atlas: Uuid,
    pub borealis: Uuid,
    pub ada: Uuid,
    pub bob: Uuid,
    pub cy: Uuid,
    pub alpha: Uuid,
    pub beta: Uuid,
    /// Atlas: t[0] schema .. t[6] tests; t[7] is Borealis' infra task.
    pub t: [Uuid; 8],
    pub t0_completed_at: DateTime<Utc>,
    pub t5_first_start: DateTime<Utc>,
    pub alpha_completed_at: DateTime<Utc>,
    pub atlas_created_at: DateTime<Utc>,
}

/// Appends commands one hour of business time apart, from 2026-03-02 09:00.
struct Clock<'a> {
    pool: &'a PgPool,
    now: DateTime<Utc>,
}

impl Clock<'_> {
    async fn run(&mut self, command_type: &str, payload: Value) -> DateTime<Utc> {
        self.now += Duration::hours(1);
        testkit::accept(self.pool, command_type, payload, Some(self.now)).await;
        self.now
    }
}

pub async fn write(pool: &PgPool) -> History {
    let mut c = Clock {
        pool,
        now: Utc.with_ymd_and_hms(2026, 3, 2, 8, 0, 0).single().unwrap(),
    };
    let id = Uuid::new_v4;
    let (atlas, borealis, ada, bob, cy, alpha, beta) = (id(), id(), id(), id(), id(), id(), id());
    let t: [Uuid; 8] = std::array::from_fn(|_| id());

    for (member, name, skills, capacity) in [
        (ada, "Ada", json!(["rust", "sql"]), 32),
        (bob, "Bob", json!(["design"]), 24),
        (cy, "Cy", json!([]), 40),
    ] {
        let payload = json!({"member_id": member, "name": name, "skills": skills, "capacity_hours_per_week": capacity});
        c.run("member.register", payload).await;
    }
    c.run(
        "member.change_capacity",
        json!({"member_id": cy, "capacity_hours_per_week": 20}),
    )
    .await;
    c.run(
        "member.add_time_off",
        json!({"member_id": bob, "from": "2026-04-06", "to": "2026-04-10"}),
    )
    .await;
    let atlas_created_at = c
        .run("project.create", json!({"project_id": atlas, "name": "Atlas", "start_date": "2026-03-02", "deadline": "2026-06-30"}))
        .await;
    c.run(
        "project.create",
        json!({"project_id": borealis, "name": "Borealis", "start_date": "2026-03-09"}),
    )
    .await;
    for (project, member, role) in [
        (atlas, ada, json!("lead")),
        (atlas, bob, json!("designer")),
        (borealis, ada, json!("developer")),
        (borealis, cy, Value::Null),
    ] {
        c.run(
            "project.add_member",
            json!({"project_id": project, "member_id": member, "role": role}),
        )
        .await;
    }
    c.run(
        "project.remove_member",
        json!({"project_id": borealis, "member_id": cy}),
    )
    .await;
    c.run("project.add_milestone", json!({"project_id": atlas, "milestone_id": alpha, "name": "Alpha", "due_date": "2026-04-01"}))
        .await;
    c.run("project.add_milestone", json!({"project_id": atlas, "milestone_id": beta, "name": "Beta", "due_date": "2026-05-15"}))
        .await;
    c.run(
        "project.move_milestone",
        json!({"project_id": atlas, "milestone_id": alpha, "due_date": "2026-04-15"}),
    )
    .await;

    let task = |task: Uuid,
                project: Uuid,
                title: &str,
                estimate: f64,
                priority: u8,
                due: Value,
                depends_on: Value| {
        json!({"task_id": task, "project_id": project, "title": title, "description": format!("{title}, carefully"),
               "estimate_hours": estimate, "priority": priority, "labels": ["backend"], "skills": ["rust"],
               "milestone_id": (project == atlas).then_some(alpha), "due_date": due, "depends_on": depends_on})
    };
    c.run(
        "task.create",
        task(
            t[0],
            atlas,
            "Schema",
            8.0,
            1,
            json!("2026-03-20T17:00:00Z"),
            json!([]),
        ),
    )
    .await;
    c.run(
        "task.create",
        task(
            t[1],
            atlas,
            "API",
            16.0,
            2,
            json!("2026-04-10T17:00:00Z"),
            json!([t[0]]),
        ),
    )
    .await;
    c.run(
        "task.create",
        task(t[2], atlas, "UI mockups", 6.0, 1, Value::Null, json!([])),
    )
    .await;
    c.run(
        "task.create",
        task(
            t[3],
            atlas,
            "Docs",
            4.0,
            3,
            json!("2026-04-30T17:00:00Z"),
            json!([]),
        ),
    )
    .await;
    c.run(
        "task.create",
        task(t[4], atlas, "Spike", 2.0, 2, Value::Null, json!([])),
    )
    .await;
    c.run(
        "task.create",
        task(
            t[5],
            atlas,
            "Login",
            5.0,
            1,
            json!("2026-03-25T17:00:00Z"),
            json!([]),
        ),
    )
    .await;
    c.run(
        "task.create",
        task(
            t[6],
            atlas,
            "Tests",
            3.0,
            3,
            json!("2026-04-30T17:00:00Z"),
            json!([]),
        ),
    )
    .await;
    c.run(
        "task.create",
        task(
            t[7],
            borealis,
            "Infra",
            10.0,
            2,
            json!("2026-04-01T17:00:00Z"),
            json!([]),
        ),
    )
    .await;

    let one = |task: Uuid| json!({"task_id": task});
    let assign = |task: Uuid, member: Uuid| json!({"task_id": task, "member_id": member});
    // Schema: done by Ada.
    c.run("task.assign", assign(t[0], ada)).await;
    c.run("task.start", one(t[0])).await;
    c.run("task.log_work", json!({"task_id": t[0], "hours": 3}))
        .await;
    c.run(
        "task.log_work",
        json!({"task_id": t[0], "hours": 4.5, "member_id": bob}),
    )
    .await;
    let t0_completed_at = c.run("task.complete", one(t[0])).await;
    // API: Ada's, blocked while in progress; it no longer waits for the schema.
    c.run("task.assign", assign(t[1], ada)).await;
    c.run("task.start", one(t[1])).await;
    c.run(
        "task.block",
        json!({"task_id": t[1], "reason": "waiting for review"}),
    )
    .await;
    c.run(
        "task.remove_dependency",
        json!({"task_id": t[1], "depends_on": t[0]}),
    )
    .await;
    // UI mockups: Bob's, in progress, got a due date.
    c.run("task.assign", assign(t[2], bob)).await;
    c.run("task.start", one(t[2])).await;
    c.run(
        "task.change_due_date",
        json!({"task_id": t[2], "due_date": "2026-04-05T12:00:00Z"}),
    )
    .await;
    // Docs: given to Bob, then taken back; re-estimated.
    c.run("task.assign", assign(t[3], bob)).await;
    c.run("task.unassign", one(t[3])).await;
    c.run(
        "task.change_estimate",
        json!({"task_id": t[3], "estimate_hours": 6}),
    )
    .await;
    // Spike: cancelled.
    c.run(
        "task.cancel",
        json!({"task_id": t[4], "reason": "not needed"}),
    )
    .await;
    // Login: Ada's, done and reopened, back in todo.
    c.run("task.assign", assign(t[5], ada)).await;
    let t5_first_start = c.run("task.start", one(t[5])).await;
    c.run("task.complete", one(t[5])).await;
    c.run(
        "task.reopen",
        json!({"task_id": t[5], "reason": "breaks on Safari"}),
    )
    .await;
    // Tests wait for the docs.
    c.run(
        "task.add_dependency",
        json!({"task_id": t[6], "depends_on": t[3]}),
    )
    .await;
    // Borealis: Ada's infra task; the project is renamed and put on hold.
    c.run("task.assign", assign(t[7], ada)).await;
    c.run(
        "project.rename",
        json!({"project_id": borealis, "name": "Borealis II"}),
    )
    .await;
    c.run(
        "project.change_status",
        json!({"project_id": borealis, "status": "on_hold"}),
    )
    .await;
    let alpha_completed_at = c
        .run(
            "project.complete_milestone",
            json!({"project_id": atlas, "milestone_id": alpha}),
        )
        .await;

    History {
        atlas,
        borealis,
        ada,
        bob,
        cy,
        alpha,
        beta,
        t,
        t0_completed_at,
        t5_first_start,
        alpha_completed_at,
        atlas_created_at,
    }
}
