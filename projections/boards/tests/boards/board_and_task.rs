//! After a replay, a project's board and a task's details are what the history says.

use chrono::{DateTime, Utc};
use testkit::TestEnv;
use uuid::Uuid;

use crate::{boards_pool, history, replay};

fn time(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[tokio::test]
async fn the_board_has_four_sorted_columns_without_cancelled_tasks() {
    let env = TestEnv::new().await;
    let h = history::write(&env.pool).await;
    replay(&env, 1000).await;
    let pool = boards_pool(&env).await;

    let board = boards::board(&pool, h.atlas)
        .await
        .unwrap()
        .expect("Atlas has a board");
    assert_eq!(board.project_id, h.atlas);
    assert_eq!(board.name, "Atlas");
    let columns: Vec<(&str, i64, Vec<Uuid>)> = board
        .columns
        .iter()
        .map(|c| {
            (
                c.key.as_str(),
                c.count,
                c.tasks.iter().map(|t| t.task_id).collect(),
            )
        })
        .collect();
    let t = h.t;
    assert_eq!(
        columns,
        vec![
            // Login (p1), then Docs and Tests (p3, same due date: the older first).
            ("todo", 3, vec![t[5], t[3], t[6]]),
            ("in_progress", 1, vec![t[2]]),
            ("blocked", 1, vec![t[1]]),
            ("done", 1, vec![t[0]]),
        ]
    );
    assert_eq!(board.work_in_progress, 2);
    let docs = &board.columns[0].tasks[1];
    assert_eq!(
        (
            docs.title.as_str(),
            docs.assignee,
            docs.estimate_hours,
            docs.priority
        ),
        ("Docs", None, 6.0, 3)
    );
    assert_eq!(docs.due_date, Some(time("2026-04-30T17:00:00Z")));
    assert_eq!(docs.risk, None);
    let mockups = &board.columns[1].tasks[0];
    assert_eq!(
        (mockups.assignee, mockups.due_date),
        (Some(h.bob), Some(time("2026-04-05T12:00:00Z")))
    );

    let borealis = boards::board(&pool, h.borealis).await.unwrap().unwrap();
    assert_eq!(borealis.name, "Borealis II");
    assert_eq!(
        borealis.columns[0]
            .tasks
            .iter()
            .map(|c| c.task_id)
            .collect::<Vec<_>>(),
        vec![t[7]]
    );
    assert_eq!(borealis.work_in_progress, 0);
    assert_eq!(boards::board(&pool, Uuid::new_v4()).await.unwrap(), None);
}

#[tokio::test]
async fn a_task_shows_everything_about_it() {
    let env = TestEnv::new().await;
    let h = history::write(&env.pool).await;
    replay(&env, 1000).await;
    let pool = boards_pool(&env).await;
    let t = h.t;

    let login = boards::task(&pool, t[5])
        .await
        .unwrap()
        .expect("Login exists");
    assert_eq!(
        (login.status.as_str(), login.assignee, login.reopen_count),
        ("todo", Some(h.ada), 1)
    );
    assert_eq!(login.started_at, Some(h.t5_first_start));
    assert_eq!(login.completed_at, None, "reopened");
    assert_eq!(login.milestone_id, Some(h.alpha));
    assert_eq!(login.description.as_deref(), Some("Login, carefully"));
    assert_eq!(
        (login.labels.clone(), login.skills.clone()),
        (vec!["backend".to_owned()], vec!["rust".to_owned()])
    );

    let schema = boards::task(&pool, t[0]).await.unwrap().unwrap();
    assert_eq!((schema.status.as_str(), schema.logged_hours), ("done", 7.5));
    assert_eq!(schema.completed_at, Some(h.t0_completed_at));
    assert!(schema.created_at < schema.started_at.unwrap());

    let api = boards::task(&pool, t[1]).await.unwrap().unwrap();
    assert_eq!(
        (api.status.as_str(), api.depends_on.clone()),
        ("blocked", vec![])
    );
    let tests = boards::task(&pool, t[6]).await.unwrap().unwrap();
    assert_eq!(tests.depends_on, vec![t[3]]);
    let docs = boards::task(&pool, t[3]).await.unwrap().unwrap();
    assert_eq!((docs.assignee, docs.estimate_hours), (None, 6.0));
    let spike = boards::task(&pool, t[4]).await.unwrap().unwrap();
    assert_eq!(spike.status, "cancelled");
    let infra = boards::task(&pool, t[7]).await.unwrap().unwrap();
    assert_eq!((infra.project_id, infra.milestone_id), (h.borealis, None));
    assert_eq!(boards::task(&pool, Uuid::new_v4()).await.unwrap(), None);
}
