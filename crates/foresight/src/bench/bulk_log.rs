//! A realistic log written in bulk, straight to the store: projects with members, tasks that
//! are created, assigned, started, worked on and mostly completed, in business time.

use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::{
    Event, MemberId, MemberJoinedProject, MemberRegistered, ProjectCreated, ProjectId,
    TaskAssigned, TaskChanged, TaskCreated, TaskId, TaskWorkLogged,
};
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

const MEMBERS_PER_PROJECT: usize = 5;
const TASKS_PER_PROJECT: usize = 50;

/// Writes at least `events` events; returns how many were written and the rate.
pub async fn write(pool: &PgPool, events: usize, writers: usize) -> anyhow::Result<(usize, f64)> {
    // A project with its members and tasks comes to a little over 17 events a task.
    let projects = events.div_ceil(TASKS_PER_PROJECT * 17).max(1);
    let started = Instant::now();
    let per_writer = projects.div_ceil(writers);
    let mut tasks = Vec::new();
    for writer in 0..writers {
        let pool = pool.clone();
        let range = (writer * per_writer)..((writer + 1) * per_writer).min(projects);
        tasks.push(tokio::spawn(async move {
            let mut written = 0;
            for project in range {
                written += write_project(&pool, project as u64, TASKS_PER_PROJECT)
                    .await?
                    .1;
            }
            anyhow::Ok(written)
        }));
    }
    let mut written = 0;
    for task in tasks {
        written += task.await??;
    }
    Ok((written, written as f64 / started.elapsed().as_secs_f64()))
}

/// One project's history, appended in a few large appends; returns its id and event count.
pub async fn write_project(
    pool: &PgPool,
    seed: u64,
    tasks: usize,
) -> anyhow::Result<(Uuid, usize)> {
    let start: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let project = ProjectId(Uuid::new_v4());
    let members: Vec<MemberId> = (0..MEMBERS_PER_PROJECT)
        .map(|_| MemberId(Uuid::new_v4()))
        .collect();
    let mut streams = Vec::new();
    let mut project_events = vec![(
        Event::ProjectCreated(ProjectCreated {
            project_id: project,
            name: format!("Project {seed}"),
            start_date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
            deadline: NaiveDate::from_ymd_opt(2026, 6, 30),
        }),
        start,
    )];
    for (i, member) in members.iter().enumerate() {
        let capacity = [24.0, 32.0, 40.0][i % 3];
        streams.push((
            format!("member-{}", member.0),
            vec![(
                Event::MemberRegistered(MemberRegistered {
                    member_id: *member,
                    name: format!("Member {seed}-{i}"),
                    skills: vec!["rust".into(), "sql".into()],
                    capacity_hours_per_week: capacity,
                }),
                start,
            )],
        ));
        project_events.push((
            Event::MemberJoinedProject(MemberJoinedProject {
                project_id: project,
                member_id: *member,
                role: Some("developer".into()),
                capacity_hours_per_week: capacity,
                skills: vec!["rust".into()],
            }),
            start,
        ));
    }
    streams.insert(0, (format!("project-{}", project.0), project_events));
    for t in 0..tasks {
        let task = TaskId(Uuid::new_v4());
        let member = members[t % members.len()];
        let created = start + Duration::hours((t * 7) as i64);
        let mut events = vec![
            (
                Event::TaskCreated(TaskCreated {
                    task_id: task,
                    project_id: project,
                    title: format!("Task {t}"),
                    description: None,
                    estimate_hours: 4.0 + (t % 12) as f64,
                    priority: 1 + (t % 4) as u8,
                    labels: vec![["backend", "ui", "ops"][t % 3].into()],
                    skills: vec!["rust".into()],
                    milestone_id: None,
                    due_date: Some(created + Duration::days(14)),
                    depends_on: vec![],
                }),
                created,
            ),
            (
                Event::TaskAssigned(TaskAssigned {
                    task_id: task,
                    project_id: project,
                    member_id: member,
                }),
                created,
            ),
        ];
        let changed = TaskChanged {
            task_id: task,
            project_id: project,
        };
        if t % 10 != 9 {
            events.push((
                Event::TaskStarted(changed.clone()),
                created + Duration::hours(4),
            ));
            for h in 0..15 {
                events.push((
                    Event::TaskWorkLogged(TaskWorkLogged {
                        task_id: task,
                        project_id: project,
                        hours: 1.0,
                        member_id: Some(member),
                    }),
                    created + Duration::hours(5 + h),
                ));
            }
            if t % 10 < 7 {
                events.push((Event::TaskCompleted(changed), created + Duration::hours(30)));
            }
        }
        streams.push((format!("task-{}", task.0), events));
    }
    let mut written = 0;
    let mut request = store::AppendRequest {
        command: None,
        streams: Vec::new(),
    };
    let mut pending = 0;
    for (stream_id, events) in streams {
        pending += events.len();
        written += events.len();
        request.streams.push(store::StreamAppend {
            stream_id,
            expected_version: 0,
            events: events
                .into_iter()
                .map(|(event, occurred_at)| store::NewEvent {
                    event_id: Uuid::new_v4(),
                    event_type: event.event_type().to_owned(),
                    schema_version: event.schema_version(),
                    payload: event.payload(),
                    metadata: json!({"actor": "bench", "project_id": project.0}),
                    occurred_at,
                })
                .collect(),
        });
        if pending >= 1000 {
            store::append(pool, &request).await?;
            request.streams.clear();
            pending = 0;
        }
    }
    if !request.streams.is_empty() {
        store::append(pool, &request).await?;
    }
    Ok((project.0, written))
}
