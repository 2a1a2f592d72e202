//! What the worker stores for the small project, read as the prediction worker reads it.

use std::collections::BTreeSet;

use features::store::{self, StoredTask};
use features::{FEATURE_NAMES, FeatureWorker};
use futures::StreamExt as _;
use testkit::TestEnv;
use uuid::Uuid;

use crate::{at, build_world, features_pool, run_until_caught_up};

fn row(rows: &[StoredTask], task: Uuid) -> &StoredTask {
    rows.iter()
        .find(|r| r.task_id == task)
        .unwrap_or_else(|| panic!("a row for task {task}"))
}

#[tokio::test]
async fn the_store_holds_every_task_the_open_ones_candidates_the_project_and_the_run() {
    let env = TestEnv::new().await;
    let w = build_world(&env).await;
    let mut news = env
        .nats
        .subscribe(env.subjects.features_updated())
        .await
        .unwrap();
    run_until_caught_up(
        &env,
        FeatureWorker::new(Some(env.nats.clone()), env.subjects.clone()),
    )
    .await;
    let pool = features_pool(&env).await;

    let rows = store::changed_tasks(&pool, 0, 1000).await.unwrap();
    let ids: BTreeSet<Uuid> = rows.iter().map(|r| r.task_id).collect();
    assert_eq!(
        ids,
        BTreeSet::from([w.done, w.started, w.queued, w.unassigned])
    );
    assert!(rows.iter().all(|r| r.features.len() == FEATURE_NAMES.len()));
    assert!(rows.iter().all(|r| r.project_id == w.project));

    let done = row(&rows, w.done);
    assert!(!done.open);
    assert_eq!(done.context.status, "done");
    assert!(done.candidates.is_empty());

    let started = row(&rows, w.started);
    assert!(started.open);
    assert_eq!(started.context.status, "in_progress");
    assert_eq!(started.context.assignee, Some(w.ada));
    assert_eq!(started.context.started_at, Some(at(26)));
    assert_eq!(started.context.depends_on, vec![w.done]);
    assert_eq!(started.context.milestone_id, Some(w.milestone));
    assert_eq!(started.as_of, at(26));
    assert!(started.candidates.is_empty());

    let queued = row(&rows, w.queued);
    assert!(queued.open);
    assert_eq!(queued.context.assignee, Some(w.bob));
    // Not named since hour 2, yet computed again when the business day changed.
    assert_eq!(queued.as_of, at(26));

    let unassigned = row(&rows, w.unassigned);
    assert!(unassigned.open);
    assert_eq!(unassigned.context.assignee, None);
    assert_eq!(unassigned.context.estimate_hours, 6.0);
    assert_eq!(unassigned.context.skills, vec!["rust".to_owned()]);
    let candidates: Vec<(Uuid, f64, f64, f64)> = unassigned
        .candidates
        .iter()
        .map(|c| {
            assert_eq!(c.features.len(), FEATURE_NAMES.len());
            (
                c.member_id,
                c.skill_match,
                c.queued_open_hours,
                c.capacity_hours_per_week,
            )
        })
        .collect();
    let mut expected = vec![(w.ada, 1.0, 16.0, 40.0), (w.bob, 0.0, 4.0, 20.0)];
    expected.sort_by_key(|c| c.0);
    assert_eq!(
        candidates, expected,
        "one per project member, Cy is in none"
    );

    let open = store::open_tasks_of_project(&pool, w.project)
        .await
        .unwrap();
    assert_eq!(open.len(), 3);
    assert_eq!(store::all_open_tasks(&pool).await.unwrap(), open);

    let project = store::project_context(&pool, w.project)
        .await
        .unwrap()
        .expect("the project's context");
    assert_eq!(project.start_date.to_string(), "2026-01-05");
    assert_eq!(
        project.deadline.map(|d| d.to_string()),
        Some("2026-03-31".into())
    );
    assert_eq!(project.milestones.len(), 1);
    assert_eq!(project.milestones[0].milestone_id, w.milestone);
    assert_eq!(project.milestones[0].due_date.to_string(), "2026-02-16");
    let mut members: Vec<(Uuid, f64, f64)> = project
        .members
        .iter()
        .map(|m| (m.member_id, m.capacity_hours_per_week, m.queued_open_hours))
        .collect();
    members.sort_by_key(|m| m.0);
    let mut expected = vec![(w.ada, 40.0, 16.0), (w.bob, 20.0, 4.0)];
    expected.sort_by_key(|m| m.0);
    assert_eq!(members, expected);
    assert_eq!(
        store::project_context(&pool, Uuid::new_v4()).await.unwrap(),
        None
    );

    let samples = store::samples(&pool).await.unwrap();
    assert_eq!(samples.len(), 1, "one completed run");
    let sample = &samples[0];
    assert_eq!(sample.task_id, w.done);
    assert_eq!(sample.member_id, Some(w.ada));
    assert_eq!(sample.started_at, at(3));
    assert_eq!(sample.completed_at, at(13));
    assert_eq!(sample.duration_hours, 10.0);
    assert_eq!(sample.estimate_hours, 8.0);
    assert_eq!(sample.late, Some(false));
    assert_eq!(sample.hours_to_due, Some(24.0 * 7.0 - 3.0));
    assert_eq!(sample.features.len(), FEATURE_NAMES.len());
    assert!(sample.start_position < sample.completed_position);

    // The news names a batch's seq.
    let message = tokio::time::timeout(std::time::Duration::from_secs(5), news.next())
        .await
        .expect("news of the batch")
        .expect("a message");
    let seq: i64 = std::str::from_utf8(&message.payload)
        .unwrap()
        .parse()
        .unwrap();
    assert!(rows.iter().any(|r| r.seq == seq));
    pool.close().await;
}

#[tokio::test]
async fn changed_tasks_never_cuts_a_batch() {
    let env = TestEnv::new().await;
    build_world(&env).await;
    run_until_caught_up(&env, FeatureWorker::new(None, env.subjects.clone())).await;
    let pool = features_pool(&env).await;
    let all = store::changed_tasks(&pool, 0, 1000).await.unwrap();
    let seqs: Vec<i64> = all.iter().map(|r| r.seq).collect();
    assert!(seqs.is_sorted(), "in seq order");
    let first = store::changed_tasks(&pool, 0, 1).await.unwrap();
    let same_seq = all.iter().filter(|r| r.seq == seqs[0]).count();
    assert_eq!(
        first.len(),
        same_seq,
        "the whole first batch, past the limit"
    );
    let top = *seqs.last().unwrap();
    assert!(
        store::changed_tasks(&pool, top, 10)
            .await
            .unwrap()
            .is_empty()
    );
    pool.close().await;
}
