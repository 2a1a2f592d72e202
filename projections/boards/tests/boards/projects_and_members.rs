//! After a replay, projects and members, with their memberships and open work, are what the history says.

use boards::{MemberProject, MilestoneView, ProjectMember, TaskCounts};
use chrono::NaiveDate;
use testkit::TestEnv;
use uuid::Uuid;

use crate::{boards_pool, history, replay};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[tokio::test]
async fn projects_page_by_id_and_show_members_milestones_and_counts() {
    let env = TestEnv::new().await;
    let h = history::write(&env.pool).await;
    replay(&env, 1000).await;
    let pool = boards_pool(&env).await;

    let mut ids = [h.atlas, h.borealis];
    ids.sort();
    let first = boards::projects(&pool, 1, None).await.unwrap();
    assert_eq!(
        first.iter().map(|p| p.project_id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    let second = boards::projects(&pool, 1, Some(ids[0])).await.unwrap();
    assert_eq!(
        second.iter().map(|p| p.project_id).collect::<Vec<_>>(),
        vec![ids[1]]
    );
    assert!(
        boards::projects(&pool, 10, Some(ids[1]))
            .await
            .unwrap()
            .is_empty()
    );
    let all = boards::projects(&pool, 10, None).await.unwrap();
    let borealis = all.iter().find(|p| p.project_id == h.borealis).unwrap();
    assert_eq!(
        (
            borealis.name.as_str(),
            borealis.status.as_str(),
            borealis.deadline
        ),
        ("Borealis II", "on_hold", None)
    );

    let atlas = boards::project(&pool, h.atlas)
        .await
        .unwrap()
        .expect("Atlas exists");
    assert_eq!(
        (atlas.name.as_str(), atlas.status.as_str()),
        ("Atlas", "active")
    );
    assert_eq!(
        (atlas.start_date, atlas.deadline),
        (date("2026-03-02"), Some(date("2026-06-30")))
    );
    assert_eq!(atlas.created_at, h.atlas_created_at);
    assert_eq!(
        atlas.members,
        vec![
            ProjectMember {
                member_id: h.ada,
                name: Some("Ada".into()),
                role: Some("lead".into())
            },
            ProjectMember {
                member_id: h.bob,
                name: Some("Bob".into()),
                role: Some("designer".into())
            },
        ]
    );
    assert_eq!(
        atlas.milestones,
        vec![
            MilestoneView {
                milestone_id: h.alpha,
                name: "Alpha".into(),
                due_date: date("2026-04-15"),
                completed: true,
                completed_at: Some(h.alpha_completed_at),
            },
            MilestoneView {
                milestone_id: h.beta,
                name: "Beta".into(),
                due_date: date("2026-05-15"),
                completed: false,
                completed_at: None
            },
        ]
    );
    assert_eq!(
        atlas.task_counts,
        TaskCounts {
            todo: 3,
            in_progress: 1,
            blocked: 1,
            done: 1,
            cancelled: 1
        }
    );

    let borealis = boards::project(&pool, h.borealis).await.unwrap().unwrap();
    assert_eq!(
        borealis
            .members
            .iter()
            .map(|m| m.member_id)
            .collect::<Vec<_>>(),
        vec![h.ada],
        "Cy left"
    );
    assert_eq!(
        borealis.task_counts,
        TaskCounts {
            todo: 1,
            ..TaskCounts::default()
        }
    );
    assert_eq!(boards::project(&pool, Uuid::new_v4()).await.unwrap(), None);
}

#[tokio::test]
async fn members_show_their_projects_and_open_work_in_order() {
    let env = TestEnv::new().await;
    let h = history::write(&env.pool).await;
    replay(&env, 1000).await;
    let pool = boards_pool(&env).await;
    let t = h.t;

    let ada = boards::member(&pool, h.ada)
        .await
        .unwrap()
        .expect("Ada is registered");
    assert_eq!(
        (
            ada.name.as_str(),
            ada.skills.clone(),
            ada.capacity_hours_per_week
        ),
        ("Ada", vec!["rust".into(), "sql".into()], 32.0)
    );
    assert_eq!(
        ada.projects,
        vec![
            MemberProject {
                project_id: h.atlas,
                name: "Atlas".into(),
                role: Some("lead".into())
            },
            MemberProject {
                project_id: h.borealis,
                name: "Borealis II".into(),
                role: Some("developer".into())
            },
        ]
    );
    let cy = boards::member(&pool, h.cy).await.unwrap().unwrap();
    assert_eq!((cy.capacity_hours_per_week, cy.projects.len()), (20.0, 0));

    let work = boards::member_work(&pool, h.ada).await.unwrap().unwrap();
    // Login (p1), then Infra (p2, due 1 April) before API (p2, due 10 April); Schema is done.
    assert_eq!(
        work.tasks.iter().map(|w| w.task_id).collect::<Vec<_>>(),
        vec![t[5], t[7], t[1]]
    );
    assert_eq!(
        work.tasks
            .iter()
            .map(|w| w.status.as_str())
            .collect::<Vec<_>>(),
        ["todo", "todo", "blocked"]
    );
    assert_eq!(work.tasks[1].project_id, h.borealis);
    let bob = boards::member_work(&pool, h.bob).await.unwrap().unwrap();
    assert_eq!(
        bob.tasks.iter().map(|w| w.task_id).collect::<Vec<_>>(),
        vec![t[2]]
    );
    assert!(
        boards::member_work(&pool, h.cy)
            .await
            .unwrap()
            .unwrap()
            .tasks
            .is_empty()
    );
    assert_eq!(
        boards::member_work(&pool, Uuid::new_v4()).await.unwrap(),
        None
    );
    assert_eq!(boards::member(&pool, Uuid::new_v4()).await.unwrap(), None);
}
