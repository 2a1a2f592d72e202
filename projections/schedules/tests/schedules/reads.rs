//! The read functions' answers on the Apollo history, computed by hand.
//!
//! As of Monday 2024-03-04: Ada (40 h, 09:00–17:00, off on Wednesday) does Design (16 h less
//! 4 logged), then her Zeus task (same priority, created later), then Docs. Bob (20 h, 09:00–13:00)
//! can start Build once Design is done. Test, unassigned, follows Build on the standard calendar.

use chrono::NaiveDate;
use schedules::{member_schedule, project_schedule};
use testkit::TestEnv;
use uuid::Uuid;

use crate::history::{Ids, apollo, at};
use crate::replayed;

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn ids_of<T>(items: &[T], id: impl Fn(&T) -> Uuid) -> Vec<Uuid> {
    items.iter().map(id).collect()
}

#[tokio::test]
async fn a_member_schedule_runs_their_tasks_one_at_a_time_across_projects() {
    let env = TestEnv::new().await;
    let ids = Ids::new();
    apollo(&env.pool, &ids).await;
    let pool = replayed(&env, 1000).await;

    let ada = member_schedule(&pool, ids.ada, day("2024-03-04"))
        .await
        .unwrap()
        .expect("Ada is known");
    assert_eq!(
        (ada.name.as_str(), ada.capacity_hours_per_week),
        ("Ada", 40.0)
    );
    assert_eq!(
        ids_of(&ada.tasks, |t| t.task_id),
        vec![ids.design, ids.other, ids.docs]
    );
    let plan: Vec<_> = ada
        .tasks
        .iter()
        .map(|t| (t.hours, t.planned_start, t.planned_finish, t.late))
        .collect();
    assert_eq!(
        plan,
        vec![
            (
                12.0,
                at("2024-03-04T09:00:00Z"),
                at("2024-03-05T13:00:00Z"),
                false
            ),
            // Wednesday is time off.
            (
                8.0,
                at("2024-03-05T13:00:00Z"),
                at("2024-03-07T13:00:00Z"),
                false
            ),
            (
                8.0,
                at("2024-03-07T13:00:00Z"),
                at("2024-03-08T13:00:00Z"),
                false
            ),
        ]
    );
    assert_eq!(ada.tasks[0].status, "in_progress");
    assert!(ada.unscheduled.is_empty() && ada.cycles.is_empty());

    // Bob waits for Ada's Design (planned at its hours on her calendar), then works mornings.
    let bob = member_schedule(&pool, ids.bob, day("2024-03-04"))
        .await
        .unwrap()
        .expect("Bob is known");
    assert_eq!(bob.capacity_hours_per_week, 20.0);
    assert_eq!(ids_of(&bob.tasks, |t| t.task_id), vec![ids.build]);
    let build = &bob.tasks[0];
    assert_eq!(
        (build.planned_start, build.planned_finish),
        (at("2024-03-06T09:00:00Z"), at("2024-03-12T13:00:00Z"))
    );
    assert!(
        build.late,
        "due 2024-03-11 17:00, planned to finish on the 12th"
    );

    assert_eq!(
        member_schedule(&pool, Uuid::new_v4(), day("2024-03-04"))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_project_schedule_has_milestones_weeks_and_the_critical_path() {
    let env = TestEnv::new().await;
    let ids = Ids::new();
    apollo(&env.pool, &ids).await;
    let pool = replayed(&env, 1000).await;

    let apollo = project_schedule(&pool, ids.apollo, day("2024-03-04"))
        .await
        .unwrap()
        .expect("Apollo is known");
    assert_eq!(
        (apollo.name.as_str(), apollo.status.as_str()),
        ("Apollo", "active")
    );
    assert_eq!(
        ids_of(&apollo.tasks, |t| t.task_id),
        vec![ids.design, ids.build, ids.docs, ids.test]
    );
    let test = &apollo.tasks[3];
    assert_eq!(
        (test.assignee, test.planned_start, test.planned_finish),
        (None, at("2024-03-12T13:00:00Z"), at("2024-03-12T17:00:00Z"))
    );
    // Ada's Zeus work comes before Docs, so Docs is planned after it.
    assert_eq!(apollo.tasks[2].planned_start, at("2024-03-07T13:00:00Z"));
    assert_eq!(
        (apollo.planned_finish, apollo.late),
        (Some(at("2024-03-12T17:00:00Z")), false)
    );

    let milestones: Vec<_> = apollo
        .milestones
        .iter()
        .map(|m| {
            (
                m.milestone_id,
                m.due_date,
                m.open_tasks,
                m.planned_finish,
                m.late,
            )
        })
        .collect();
    assert_eq!(
        milestones,
        vec![
            (
                ids.ga,
                day("2024-03-08"),
                1,
                Some(at("2024-03-12T17:00:00Z")),
                true
            ),
            (
                ids.beta,
                day("2024-03-15"),
                2,
                Some(at("2024-03-12T13:00:00Z")),
                false
            ),
        ]
    );
    assert!(
        apollo
            .milestones
            .iter()
            .all(|m| m.forecast_p85.is_none() && !m.completed)
    );

    assert_eq!(apollo.weeks.len(), 2);
    let (one, two) = (&apollo.weeks[0], &apollo.weeks[1]);
    assert_eq!(
        (one.week, one.starts_on, one.milestones_due.clone()),
        (1, day("2024-03-04"), vec![ids.ga])
    );
    assert_eq!(one.starting, vec![ids.design, ids.build, ids.docs]);
    assert_eq!(one.finishing, vec![ids.design, ids.docs]);
    assert_eq!(
        (two.week, two.milestones_due.clone(), two.starting.clone()),
        (2, vec![ids.beta], vec![ids.test])
    );
    assert_eq!(two.finishing, vec![ids.build, ids.test]);
    assert!(one.in_progress.is_empty() && two.in_progress.is_empty());

    assert_eq!(
        apollo.critical_path.task_ids,
        vec![ids.design, ids.build, ids.test]
    );
    assert_eq!(apollo.critical_path.hours, 36.0);
    assert!(apollo.cycles.is_empty() && apollo.unscheduled.is_empty());

    let json = serde_json::to_value(&apollo).unwrap();
    assert_eq!(
        json["milestones"][0]["forecast_p85"],
        serde_json::Value::Null
    );
    assert_eq!(json["critical_path"]["hours"], 36.0);

    // A week later, nothing is planned before the new as_of.
    let later = project_schedule(&pool, ids.apollo, day("2024-03-11"))
        .await
        .unwrap()
        .expect("Apollo is known");
    assert_eq!(later.tasks[0].planned_start, at("2024-03-11T09:00:00Z"));

    assert_eq!(
        project_schedule(&pool, Uuid::new_v4(), day("2024-03-04"))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn an_empty_project_has_an_empty_schedule() {
    let env = TestEnv::new().await;
    let ids = Ids::new();
    crate::history::send(
        &env.pool,
        "project.create",
        serde_json::json!({"project_id": ids.zeus, "name": "Empty", "start_date": "2024-03-04"}),
        "2024-03-01T10:00:00Z",
    )
    .await;
    let pool = replayed(&env, 1000).await;
    let empty = project_schedule(&pool, ids.zeus, day("2024-03-04"))
        .await
        .unwrap()
        .expect("the project is known");
    assert!(empty.tasks.is_empty() && empty.milestones.is_empty() && empty.weeks.is_empty());
    assert_eq!((empty.planned_finish, empty.late), (None, false));
    assert!(empty.critical_path.task_ids.is_empty());
    assert_eq!(empty.critical_path.hours, 0.0);
}
