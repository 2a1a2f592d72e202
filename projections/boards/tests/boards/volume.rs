//! A large log, appended straight to the store, replayed: every event is folded and counted right.
//! Prints the replay rate (the projection must rebuild at 50,000 events/s or more).

use chrono::{Duration, TimeZone, Utc};
use domain::{
    Event, MemberId, MemberJoinedProject, MemberRegistered, ProjectCreated, ProjectId,
    TaskAssigned, TaskChanged, TaskChangedBecause, TaskCreated, TaskId, TaskWorkLogged,
};
use serde_json::json;
use store::{AppendRequest, NewEvent, StreamAppend};
use testkit::TestEnv;
use uuid::Uuid;

use crate::{boards_pool, replay};

const PROJECTS: usize = 100;
const TASKS_PER_PROJECT: usize = 100;
const MEMBERS_PER_PROJECT: usize = 4;

/// One stream's events, as one part of an append.
fn stream(events: Vec<Event>, start: chrono::DateTime<Utc>) -> StreamAppend {
    let stream_id = events[0].stream().as_str().to_owned();
    let events = events
        .iter()
        .enumerate()
        .map(|(i, e)| NewEvent {
            event_id: Uuid::new_v4(),
            event_type: e.event_type().to_owned(),
            schema_version: e.schema_version(),
            payload: e.payload(),
            metadata: json!({"project_id": e.project_id(), "actor": "volume"}),
            occurred_at: start + Duration::hours(i as i64),
        })
        .collect();
    StreamAppend {
        stream_id,
        expected_version: 0,
        events,
    }
}

fn task_history(task: TaskId, project: ProjectId, member: MemberId, i: usize) -> Vec<Event> {
    let ids = TaskChanged {
        task_id: task,
        project_id: project,
    };
    let logged = |hours| {
        Event::TaskWorkLogged(TaskWorkLogged {
            task_id: task,
            project_id: project,
            hours,
            member_id: None,
        })
    };
    let last = if i.is_multiple_of(3) {
        Event::TaskCompleted(ids.clone())
    } else {
        Event::TaskBlocked(TaskChangedBecause {
            task_id: task,
            project_id: project,
            reason: None,
        })
    };
    vec![
        Event::TaskCreated(TaskCreated {
            task_id: task,
            project_id: project,
            title: format!("Task {i}"),
            description: None,
            estimate_hours: 4.0,
            priority: (i % 4) as u8 + 1,
            labels: vec!["backend".into()],
            skills: vec!["rust".into(), "sql".into()],
            milestone_id: None,
            due_date: None,
            depends_on: vec![],
        }),
        Event::TaskAssigned(TaskAssigned {
            task_id: task,
            project_id: project,
            member_id: member,
        }),
        Event::TaskStarted(ids),
        logged(1.5),
        logged(2.0),
        last,
    ]
}

#[tokio::test]
async fn a_large_log_replays_fast_and_counts_right() {
    let env = TestEnv::new().await;
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).single().unwrap();
    let mut total = 0usize;
    let mut first_project = None;
    for p in 0..PROJECTS {
        let project = ProjectId(Uuid::new_v4());
        first_project.get_or_insert(project);
        let members: Vec<MemberId> = (0..MEMBERS_PER_PROJECT)
            .map(|_| MemberId(Uuid::new_v4()))
            .collect();
        let mut streams: Vec<StreamAppend> = members
            .iter()
            .map(|m| {
                let registered = MemberRegistered {
                    member_id: *m,
                    name: format!("M{p}"),
                    skills: vec![],
                    capacity_hours_per_week: 32.0,
                };
                stream(vec![Event::MemberRegistered(registered)], start)
            })
            .collect();
        let mut project_events = vec![Event::ProjectCreated(ProjectCreated {
            project_id: project,
            name: format!("P{p}"),
            start_date: start.date_naive(),
            deadline: None,
        })];
        project_events.extend(members.iter().map(|m| {
            Event::MemberJoinedProject(MemberJoinedProject {
                project_id: project,
                member_id: *m,
                role: Some("developer".into()),
                capacity_hours_per_week: 32.0,
                skills: vec![],
            })
        }));
        streams.push(stream(project_events, start));
        for i in 0..TASKS_PER_PROJECT {
            streams.push(stream(
                task_history(
                    TaskId(Uuid::new_v4()),
                    project,
                    members[i % MEMBERS_PER_PROJECT],
                    i,
                ),
                start,
            ));
        }
        total += streams.iter().map(|s| s.events.len()).sum::<usize>();
        store::append(
            &env.pool,
            &AppendRequest {
                command: None,
                streams,
            },
        )
        .await
        .unwrap();
    }

    let report = replay(&env, 2000).await;
    let rate = report.events as f64 / report.seconds;
    eprintln!(
        "boards replayed {} events in {:.2} s: {rate:.0} events/s",
        report.events, report.seconds
    );
    assert_eq!(report.events, total as u64);

    let pool = boards_pool(&env).await;
    let project = boards::project(&pool, first_project.unwrap().0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(project.members.len(), MEMBERS_PER_PROJECT);
    assert_eq!(project.task_counts.done, 34);
    assert_eq!(project.task_counts.blocked, 66);
    let board = boards::board(&pool, project.project_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(board.work_in_progress, 66);
    let task = boards::task(&pool, board.columns[3].tasks[0].task_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(task.logged_hours, 3.5);
}
