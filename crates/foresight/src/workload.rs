//! A small realistic command mix: a project, its members, tasks with dependencies, work.

use serde_json::{Value, json};
use uuid::Uuid;

/// One command ready to publish: its type and its envelope.
pub struct Outgoing {
    pub command_type: &'static str,
    pub command_id: Uuid,
    pub envelope: Value,
}

fn command(command_type: &'static str, payload: Value) -> Outgoing {
    let command_id = Uuid::new_v4();
    let envelope = json!({"command_id": command_id, "type": command_type, "actor": "bench", "payload": payload});
    Outgoing {
        command_type,
        command_id,
        envelope,
    }
}

/// What a project unit made: ids that later commands can refer to.
pub struct Fixture {
    pub project: Uuid,
    /// Its tasks still open: commands on them are accepted.
    pub tasks: Vec<Uuid>,
}

/// Commands that depend on nothing in flight: work logged, estimates changed, tasks added to
/// existing projects, members registered. `seed` picks which.
pub fn independent(fixtures: &[Fixture], seed: usize) -> Outgoing {
    let fixture = &fixtures[(seed * 7919) % fixtures.len()];
    let task = fixture.tasks[(seed / 3) % fixture.tasks.len()];
    match seed % 5 {
        0 | 1 => command("task.log_work", json!({"task_id": task, "hours": 1.5})),
        2 => command(
            "task.change_estimate",
            json!({"task_id": task, "estimate_hours": 3 + seed % 20}),
        ),
        3 => command(
            "task.create",
            json!({"task_id": Uuid::new_v4(), "project_id": fixture.project, "title": format!("Extra {seed}"),
                   "estimate_hours": 5, "priority": 3, "labels": [], "skills": [], "depends_on": []}),
        ),
        _ => command(
            "member.register",
            json!({"member_id": Uuid::new_v4(), "name": format!("Member {seed}"), "skills": ["rust"], "capacity_hours_per_week": 30}),
        ),
    }
}

/// A command on a task nobody created: answered `not_found`.
pub fn unknown_task_start() -> Outgoing {
    command("task.start", json!({"task_id": Uuid::new_v4()}))
}

/// `project_unit` with the ids it used.
pub fn project_unit_with_ids() -> (Vec<Outgoing>, Fixture) {
    let project = Uuid::new_v4();
    let members = [Uuid::new_v4(), Uuid::new_v4()];
    let tasks = [
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
        Uuid::new_v4(),
    ];
    let mut out = vec![command(
        "project.create",
        json!({"project_id": project, "name": "Bench project", "start_date": "2026-01-05", "deadline": "2026-06-30"}),
    )];
    for (i, member) in members.iter().enumerate() {
        out.push(command(
            "member.register",
            json!({"member_id": member, "name": format!("Member {i}"), "skills": ["rust", "sql"], "capacity_hours_per_week": 32}),
        ));
        out.push(command(
            "project.add_member",
            json!({"project_id": project, "member_id": member, "role": "developer"}),
        ));
    }
    for (i, task) in tasks.iter().enumerate() {
        let depends_on: Vec<Uuid> = if i > 1 { vec![tasks[0]] } else { vec![] };
        out.push(command(
            "task.create",
            json!({"task_id": task, "project_id": project, "title": format!("Task {i}"), "estimate_hours": 4 + i,
                   "priority": 1 + (i % 4), "labels": ["backend"], "skills": ["rust"], "depends_on": depends_on}),
        ));
    }
    out.push(command(
        "task.assign",
        json!({"task_id": tasks[0], "member_id": members[0]}),
    ));
    out.push(command(
        "task.assign",
        json!({"task_id": tasks[1], "member_id": members[1]}),
    ));
    out.push(command("task.start", json!({"task_id": tasks[0]})));
    out.push(command("task.start", json!({"task_id": tasks[1]})));
    out.push(command(
        "task.log_work",
        json!({"task_id": tasks[0], "hours": 3.5, "member_id": members[0]}),
    ));
    out.push(command("task.complete", json!({"task_id": tasks[0]})));
    out.push(command(
        "task.block",
        json!({"task_id": tasks[1], "reason": "waiting on review"}),
    ));
    (
        out,
        Fixture {
            project,
            // The first task is done by now: later commands would be refused on it.
            tasks: tasks[1..].to_vec(),
        },
    )
}
