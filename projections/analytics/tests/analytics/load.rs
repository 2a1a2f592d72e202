//! Members' open work across projects, and the answer for a project never created.

use analytics::{member_load, project_analytics};
use domain::ProjectId;
use uuid::Uuid;

use crate::answers::{march, rebuilt};

#[tokio::test]
async fn member_load_spans_projects_and_an_unknown_project_is_none() {
    let (_env, pool, ids) = rebuilt().await;
    let load: Vec<_> = member_load(&pool)
        .await
        .expect("reading")
        .into_iter()
        .map(|l| {
            (
                l.member_id,
                l.name,
                l.capacity_hours_per_week,
                l.open_tasks,
                l.open_hours,
                l.load_ratio,
            )
        })
        .collect();
    // Ada: T6 (2 h). Bo: T4 (10 − 3 logged) and Q1 (13 h) against 25 h. Cy: nothing.
    assert_eq!(
        load,
        vec![
            (ids.ada, "Ada".into(), 40.0, 1, 2.0, Some(0.05)),
            (ids.bo, "Bo".into(), 25.0, 2, 20.0, Some(0.8)),
            (ids.cy, "Cy".into(), 30.0, 0, 0.0, Some(0.0)),
        ]
    );
    let unknown = project_analytics(&pool, ProjectId(Uuid::new_v4()), march(12))
        .await
        .expect("reading");
    assert_eq!(unknown, None);
}
