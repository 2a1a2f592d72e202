//! A seeded random workload: members, projects, milestones and tasks that live through
//! every transition, with business time moving forward. Many commands are rejected (a
//! random transition is often a forbidden one); that is part of the point.

use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::PgPool;
use uuid::Uuid;

pub struct Workload {
    rng: StdRng,
    now: DateTime<Utc>,
    members: Vec<Uuid>,
    projects: Vec<(Uuid, Vec<Uuid>)>,
    tasks: Vec<(Uuid, Uuid)>,
}

impl Workload {
    pub fn new(seed: u64) -> Self {
        Self {
            rng: StdRng::seed_from_u64(seed),
            now: Utc
                .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
                .single()
                .expect("a date"),
            members: Vec::new(),
            projects: Vec::new(),
            tasks: Vec::new(),
        }
    }

    /// Plays `count` commands straight into the log; returns how many were accepted.
    pub async fn play(&mut self, pool: &PgPool, count: usize) -> usize {
        let mut accepted = 0;
        for _ in 0..count {
            let (command_type, payload) = self.next();
            self.now += Duration::minutes(self.rng.random_range(5..240));
            let outcome = testkit::execute(pool, command_type, payload, Some(self.now)).await;
            if outcome["status"] == "accepted" {
                accepted += 1;
            }
        }
        accepted
    }

    fn next(&mut self) -> (&'static str, Value) {
        let rng = &mut self.rng;
        if self.members.len() < 3 || rng.random_bool(0.03) {
            let member = Uuid::from_u128(rng.random());
            self.members.push(member);
            let capacity = *[16, 24, 32, 40].choose(rng).expect("capacities");
            let skills = ["rust", "sql", "ui", "ops"]
                .choose_multiple(rng, 2)
                .copied()
                .collect::<Vec<_>>();
            return (
                "member.register",
                json!({"member_id": member, "name": format!("m{}", self.members.len()), "skills": skills, "capacity_hours_per_week": capacity}),
            );
        }
        if self.projects.is_empty() || rng.random_bool(0.02) {
            let project = Uuid::from_u128(rng.random());
            self.projects.push((project, Vec::new()));
            let start = self.now.date_naive();
            return (
                "project.create",
                json!({"project_id": project, "name": format!("p{}", self.projects.len()), "start_date": start, "deadline": start + chrono::Days::new(90)}),
            );
        }
        let (project, milestones) = self.projects.choose(rng).expect("a project").clone();
        let roll = rng.random_range(0..100);
        if roll < 6 {
            let member = *self.members.choose(rng).expect("a member");
            return (
                "project.add_member",
                json!({"project_id": project, "member_id": member, "role": "dev"}),
            );
        }
        if roll < 9 {
            let milestone = Uuid::from_u128(rng.random());
            if let Some(entry) = self.projects.iter_mut().find(|(p, _)| *p == project) {
                entry.1.push(milestone);
            }
            let due = self.now.date_naive() + chrono::Days::new(rng.random_range(7..60));
            return (
                "project.add_milestone",
                json!({"project_id": project, "milestone_id": milestone, "name": "M", "due_date": due}),
            );
        }
        if roll < 10 && !milestones.is_empty() {
            let milestone = milestones.choose(rng).expect("a milestone");
            let due = self.now.date_naive() + chrono::Days::new(rng.random_range(7..60));
            return (
                "project.move_milestone",
                json!({"project_id": project, "milestone_id": milestone, "due_date": due}),
            );
        }
        if roll < 30 || self.tasks.is_empty() {
            let task = Uuid::from_u128(rng.random());
            let same_project: Vec<Uuid> = self
                .tasks
                .iter()
                .filter(|(_, p)| *p == project)
                .map(|(t, _)| *t)
                .collect();
            let depends_on: Vec<Uuid> = if rng.random_bool(0.3) {
                same_project.choose(rng).copied().into_iter().collect()
            } else {
                vec![]
            };
            let milestone = if rng.random_bool(0.5) {
                milestones.choose(rng).copied()
            } else {
                None
            };
            let due = (self.now + Duration::days(rng.random_range(2..30))).to_rfc3339();
            self.tasks.push((task, project));
            let labels: Vec<&str> = ["backend", "ui"].choose_multiple(rng, 1).copied().collect();
            let estimate = rng.random_range(1..40);
            let priority = rng.random_range(1..=4);
            return (
                "task.create",
                json!({"task_id": task, "project_id": project, "title": format!("t{}", self.tasks.len()),
                       "estimate_hours": estimate, "priority": priority, "labels": labels,
                       "skills": ["rust"], "milestone_id": milestone, "due_date": due, "depends_on": depends_on}),
            );
        }
        let (task, _) = *self.tasks.choose(rng).expect("a task");
        match roll {
            30..=44 => (
                "task.assign",
                json!({"task_id": task, "member_id": *self.members.choose(rng).expect("a member")}),
            ),
            45..=59 => ("task.start", json!({"task_id": task})),
            60..=72 => ("task.complete", json!({"task_id": task})),
            73..=76 => ("task.block", json!({"task_id": task, "reason": "waiting"})),
            77..=80 => ("task.unblock", json!({"task_id": task})),
            81..=83 => ("task.reopen", json!({"task_id": task, "reason": "bug"})),
            84..=85 => ("task.cancel", json!({"task_id": task})),
            86..=90 => (
                "task.log_work",
                json!({"task_id": task, "hours": rng.random_range(1..8)}),
            ),
            91..=93 => (
                "task.change_estimate",
                json!({"task_id": task, "estimate_hours": rng.random_range(1..40)}),
            ),
            94..=95 => (
                "task.change_due_date",
                json!({"task_id": task, "due_date": (self.now + Duration::days(rng.random_range(1..20))).to_rfc3339()}),
            ),
            96..=97 => {
                let (other, _) = *self.tasks.choose(rng).expect("a task");
                (
                    "task.add_dependency",
                    json!({"task_id": task, "depends_on": other}),
                )
            }
            _ => ("task.unassign", json!({"task_id": task})),
        }
    }
}
