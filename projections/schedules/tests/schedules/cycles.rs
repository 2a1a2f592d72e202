//! A dependency cycle the domain would refuse, slipped into the log behind its back: the
//! projection and the read functions must stay total.

use chrono::NaiveDate;
use schedules::plan::Unscheduled;
use schedules::{member_schedule, project_schedule};
use serde_json::json;
use testkit::TestEnv;
use uuid::Uuid;

use crate::history::{Ids, apollo, at};
use crate::replayed;

/// Appends `task.dependency_added` (design waits for test) straight to the log.
async fn design_waits_for_test(env: &TestEnv, ids: &Ids) {
    let stream = format!("task-{}", ids.design);
    let version = store::read_stream(&env.pool, &stream).await.unwrap().len() as i32;
    let event = store::NewEvent {
        event_id: Uuid::new_v4(),
        event_type: "task.dependency_added".into(),
        schema_version: 1,
        payload: json!({"task_id": ids.design, "project_id": ids.apollo, "depends_on": ids.test}),
        metadata: json!({"actor": "test", "project_id": ids.apollo}),
        occurred_at: at("2024-03-01T16:00:00Z"),
    };
    let request = store::AppendRequest {
        command: None,
        streams: vec![store::StreamAppend {
            stream_id: stream,
            expected_version: version,
            events: vec![event],
        }],
    };
    store::append(&env.pool, &request).await.unwrap();
}

#[tokio::test]
async fn a_cycle_is_reported_and_its_tasks_left_unscheduled() {
    let env = TestEnv::new().await;
    let ids = Ids::new();
    apollo(&env.pool, &ids).await;
    design_waits_for_test(&env, &ids).await;
    let pool = replayed(&env, 1000).await;
    let as_of: NaiveDate = "2024-03-04".parse().unwrap();
    let mut cycle = vec![ids.design, ids.build, ids.test];
    cycle.sort();

    let ada = member_schedule(&pool, ids.ada, as_of)
        .await
        .unwrap()
        .expect("Ada is known");
    assert_eq!(ada.cycles, vec![cycle.clone()]);
    assert_eq!(
        ada.unscheduled
            .iter()
            .map(|t| (t.task_id, t.reason))
            .collect::<Vec<_>>(),
        vec![(ids.design, Unscheduled::InCycle)]
    );
    // Her other work moves up.
    assert_eq!(
        ada.tasks.iter().map(|t| t.task_id).collect::<Vec<_>>(),
        vec![ids.other, ids.docs]
    );
    assert_eq!(ada.tasks[0].planned_start, at("2024-03-04T09:00:00Z"));

    let apollo = project_schedule(&pool, ids.apollo, as_of)
        .await
        .unwrap()
        .expect("Apollo is known");
    assert_eq!(apollo.cycles, vec![cycle.clone()]);
    let mut unscheduled: Vec<Uuid> = apollo.unscheduled.iter().map(|t| t.task_id).collect();
    unscheduled.sort();
    assert_eq!(unscheduled, cycle);
    assert_eq!(apollo.critical_path.task_ids, vec![ids.docs]);
    assert_eq!(apollo.planned_finish, None);
    assert!(apollo.milestones.iter().all(|m| m.planned_finish.is_none()));
}
