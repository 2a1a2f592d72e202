//! The read functions' answers over the history in `history`, against figures computed by hand.

use analytics::{AccuracyStats, Analytics, CycleTime, ProjectAnalytics, project_analytics};
use chrono::NaiveDate;
use domain::ProjectId;
use testkit::TestEnv;
use uuid::Uuid;

use crate::analytics_pool;
use crate::history::{self, Ids, at};

pub(crate) fn march(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, day).expect("a date in March")
}

pub(crate) async fn rebuilt() -> (TestEnv, sqlx::PgPool, Ids) {
    let env = TestEnv::new().await;
    let ids = history::append(&env.pool).await;
    consumer::replay(&env.connect_options(), &Analytics, 1000)
        .await
        .expect("replay");
    let pool = analytics_pool(&env).await;
    (env, pool, ids)
}

async fn answer(pool: &sqlx::PgPool, ids: &Ids, as_of: NaiveDate) -> ProjectAnalytics {
    project_analytics(pool, ProjectId(ids.project), as_of)
        .await
        .expect("reading")
        .expect("the project exists")
}

#[tokio::test]
async fn project_analytics_as_of_the_twelfth() {
    let (_env, pool, ids) = rebuilt().await;
    let a = answer(&pool, &ids, march(12)).await;
    assert_eq!(
        (a.project_id, a.name.as_str(), a.as_of, a.from),
        (ids.project, "P", march(12), march(3))
    );

    // T3's completion on the 5th was undone by its reopening: it counts in the week of the 10th.
    let weeks: Vec<_> = a
        .throughput
        .iter()
        .map(|w| (w.week.as_str(), w.week_start, w.completed))
        .collect();
    assert_eq!(
        weeks,
        vec![("2025-W10", march(3), 2), ("2025-W11", march(10), 1)]
    );

    // T1 24 h, T2 48 h, T3 120 h (first start to last completion); nearest rank over 3 values.
    assert_eq!(
        a.cycle_time,
        CycleTime {
            count: 3,
            p50_hours: Some(48.0),
            p85_hours: Some(120.0),
            p95_hours: Some(120.0)
        }
    );

    let flow: Vec<_> = a
        .cumulative_flow
        .iter()
        .map(|d| {
            (
                d.date,
                [d.todo, d.in_progress, d.blocked, d.done, d.cancelled],
            )
        })
        .collect();
    let expected = [
        [2, 1, 0, 0, 0],
        [2, 0, 1, 1, 0],
        [2, 1, 0, 2, 0],
        [3, 0, 0, 2, 0],
        [1, 2, 0, 2, 0],
        [0, 2, 0, 2, 1],
        [0, 2, 0, 2, 1],
        [1, 1, 0, 3, 1],
        [2, 1, 1, 3, 1],
        [1, 2, 1, 3, 1],
    ];
    assert_eq!(flow, (3..=12).map(march).zip(expected).collect::<Vec<_>>());

    let burn_up: Vec<_> = a
        .burn_up
        .iter()
        .map(|d| (d.done_hours, d.done_tasks, d.scope_hours, d.scope_tasks))
        .collect();
    let expected = [
        (0.0, 0, 18.0, 3),
        (8.0, 1, 23.0, 4),
        (14.0, 2, 26.0, 5),
        (12.0, 2, 31.0, 5),
        (12.0, 2, 31.0, 5),
        (12.0, 2, 28.0, 4),
        (12.0, 2, 28.0, 4),
        (18.0, 3, 30.0, 5),
        (18.0, 3, 33.0, 7),
        (18.0, 3, 33.0, 7),
    ];
    assert_eq!(burn_up, expected);
    assert_eq!(a.burn_up.last().map(|d| d.date), Some(march(12)));

    // M2 (due the 5th) first; its series stops at its due date.
    let [m2, m1] = a.burn_down.as_slice() else {
        panic!("two milestones: {:?}", a.burn_down)
    };
    assert_eq!(
        (
            m2.milestone_id,
            m2.due_date,
            m2.remaining_hours,
            m2.remaining_tasks
        ),
        (ids.m2, march(5), 2.0, 1)
    );
    assert_eq!(
        m2.days
            .iter()
            .map(|d| (d.date, d.remaining_hours))
            .collect::<Vec<_>>(),
        [(march(3), 0.0), (march(4), 0.0), (march(5), 0.0)]
    );
    assert_eq!(
        (
            m1.milestone_id,
            m1.name.as_str(),
            m1.due_date,
            m1.completed_at
        ),
        (ids.m1, "M1", march(14), None)
    );
    let remaining: Vec<_> = m1
        .days
        .iter()
        .map(|d| (d.remaining_hours, d.remaining_tasks))
        .collect();
    let expected = [
        (12.0, 2),
        (9.0, 2),
        (12.0, 3),
        (13.0, 2),
        (13.0, 2),
        (10.0, 1),
        (10.0, 1),
        (10.0, 1),
        (10.0, 1),
        (10.0, 1),
    ];
    assert_eq!(remaining, expected);
    assert_eq!((m1.remaining_hours, m1.remaining_tasks), (10.0, 1));

    // T4 started on the 7th at 09:00: 135 h by the end of the 12th, over the p85 of 120 h.
    // T8 started on the 12th at 12:00: 12 h. T7 was blocked before it ever started.
    let ageing: Vec<_> = a
        .ageing_wip
        .iter()
        .map(|w| {
            (
                w.task_id,
                w.status.as_str(),
                w.assignee,
                w.started_at,
                w.age_hours,
                w.over_p85,
            )
        })
        .collect();
    assert_eq!(
        ageing,
        vec![
            (
                ids.tasks[4],
                "in_progress",
                Some(ids.bo),
                at("2025-03-07T09:00:00Z"),
                135.0,
                true
            ),
            (
                ids.tasks[8],
                "in_progress",
                None,
                at("2025-03-12T12:00:00Z"),
                12.0,
                false
            ),
        ]
    );

    // Ratios: T1 10/8 = 1.25 (Ada, api), T2 2/4 = 0.5 (Bo, api+ui), T3 9/6 = 1.5 (Ada, ui).
    let accuracy = &a.estimate_accuracy;
    assert_eq!(
        accuracy.overall,
        AccuracyStats {
            count: 3,
            mean_ratio: Some(1.083333),
            median_ratio: Some(1.25)
        }
    );
    assert_eq!(accuracy.without_logged_hours, 0);
    let member = |id: Uuid| {
        accuracy
            .by_member
            .iter()
            .find(|m| m.member_id == id)
            .map(|m| (m.name.clone(), m.stats.clone()))
    };
    assert_eq!(
        member(ids.ada),
        Some((
            Some("Ada".into()),
            AccuracyStats {
                count: 2,
                mean_ratio: Some(1.375),
                median_ratio: Some(1.375)
            }
        ))
    );
    assert_eq!(
        member(ids.bo),
        Some((
            Some("Bo".into()),
            AccuracyStats {
                count: 1,
                mean_ratio: Some(0.5),
                median_ratio: Some(0.5)
            }
        ))
    );
    assert_eq!(accuracy.by_member.len(), 2);
    let labels: Vec<_> = accuracy
        .by_label
        .iter()
        .map(|l| {
            (
                l.label.as_str(),
                l.stats.count,
                l.stats.mean_ratio,
                l.stats.median_ratio,
            )
        })
        .collect();
    assert_eq!(
        labels,
        vec![
            ("api", 2, Some(0.875), Some(0.875)),
            ("ui", 2, Some(1.0), Some(1.0))
        ]
    );

    assert_eq!(a.risk_distribution.tasks, 0);
    assert_eq!(a.risk_distribution.buckets.len(), 10);
    assert!(a.risk_distribution.buckets.iter().all(|b| b.count == 0));
}

#[tokio::test]
async fn answers_as_of_an_earlier_day_ignore_what_came_later() {
    let (_env, pool, ids) = rebuilt().await;
    let a = answer(&pool, &ids, march(5)).await;
    // On the 5th T3 was done (12 h, not yet reopened) and T1 too (24 h).
    assert_eq!(
        a.cycle_time,
        CycleTime {
            count: 2,
            p50_hours: Some(12.0),
            p85_hours: Some(24.0),
            p95_hours: Some(24.0)
        }
    );
    assert_eq!(
        a.throughput.iter().map(|w| w.completed).collect::<Vec<_>>(),
        vec![2]
    );
    assert_eq!(a.cumulative_flow.len(), 3);
    // T2 was back in progress since the 4th at 09:00: 39 h by the end of the 5th, over p85 (24 h).
    let ageing: Vec<_> = a
        .ageing_wip
        .iter()
        .map(|w| (w.task_id, w.age_hours, w.over_p85))
        .collect();
    assert_eq!(ageing, vec![(ids.tasks[2], 39.0, true)]);
    // A day before the project started: empty series, nothing done.
    let before = answer(&pool, &ids, march(1)).await;
    assert!(
        before.cumulative_flow.is_empty()
            && before.burn_up.is_empty()
            && before.throughput.is_empty()
    );
    assert_eq!(before.cycle_time.count, 0);
}
