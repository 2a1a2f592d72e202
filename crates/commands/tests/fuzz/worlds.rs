//! Arbitrary worlds to decide in: states of every aggregate over a small pool of ids, shaped
//! by no history at all, so that `decide` meets what no valid log could produce too (cycles,
//! a task of a missing project, an assignee who is no member, a blocked task with nowhere to go).

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use domain::*;
use proptest::prelude::*;
use uuid::Uuid;

pub fn project() -> impl Strategy<Value = ProjectId> {
    (0..3u128).prop_map(|n| ProjectId(Uuid::from_u128(0x1000 + n)))
}
pub fn task() -> impl Strategy<Value = TaskId> {
    (0..6u128).prop_map(|n| TaskId(Uuid::from_u128(0x2000 + n)))
}
pub fn member() -> impl Strategy<Value = MemberId> {
    (0..3u128).prop_map(|n| MemberId(Uuid::from_u128(0x3000 + n)))
}
pub fn milestone() -> impl Strategy<Value = MilestoneId> {
    (0..3u128).prop_map(|n| MilestoneId(Uuid::from_u128(0x4000 + n)))
}

fn day() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        (0..2000u64)
            .prop_map(|d| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(d)),
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
    ]
}

/// Finite, as anything folded from stored JSON is, but not always in range.
fn hours() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 0.0..200.0f64, 1 => Just(-1.0), 1 => Just(f64::MAX), 1 => Just(0.0)]
}

fn status() -> impl Strategy<Value = TaskStatus> {
    prop::sample::select(TaskStatus::ALL.to_vec())
}

fn task_state() -> impl Strategy<Value = State> {
    (
        (task(), project(), status(), prop::option::of(status())),
        (
            prop::option::of(member()),
            hours(),
            0..9u8,
            prop::collection::btree_set(task(), 0..4),
        ),
        (
            prop::option::of(milestone()),
            prop::option::of(-100_000i64..100_000),
            0..5u32,
            hours(),
        ),
    )
        .prop_map(
            |(
                (id, project_id, status, blocked_from),
                (assignee, estimate_hours, priority, depends_on),
                (milestone_id, due, reopen_count, logged_hours),
            )| {
                State::Task(TaskState {
                    id,
                    project_id,
                    title: "t".into(),
                    description: None,
                    status,
                    blocked_from,
                    assignee,
                    estimate_hours,
                    priority,
                    labels: vec![],
                    skills: vec![],
                    depends_on,
                    milestone_id,
                    due_date: due
                        .and_then(|h| Utc.timestamp_opt(1_750_000_000 + h * 3600, 0).single()),
                    reopen_count,
                    logged_hours,
                })
            },
        )
}

fn project_state() -> impl Strategy<Value = State> {
    let milestones = prop::collection::btree_map(milestone(), (day(), any::<bool>()), 0..3);
    let members =
        prop::collection::btree_map(member(), prop::option::of(Just("role".to_owned())), 0..3);
    (
        project(),
        day(),
        prop::option::of(day()),
        prop::sample::select(ProjectStatus::ALL.to_vec()),
        milestones,
        members,
    )
        .prop_map(|(id, start_date, deadline, status, milestones, members)| {
            State::Project(ProjectState {
                id,
                name: "p".into(),
                start_date,
                deadline,
                status,
                milestones: milestones
                    .into_iter()
                    .map(|(m, (due_date, completed))| {
                        (
                            m,
                            Milestone {
                                name: "m".into(),
                                due_date,
                                completed,
                            },
                        )
                    })
                    .collect(),
                members,
            })
        })
}

fn member_state() -> impl Strategy<Value = State> {
    (
        member(),
        hours(),
        prop::collection::vec((day(), day()), 0..3),
    )
        .prop_map(|(id, capacity_hours_per_week, time_off)| {
            State::Member(MemberState {
                id,
                name: "m".into(),
                skills: vec![],
                capacity_hours_per_week,
                time_off,
            })
        })
}

fn stream_of(state: &State) -> StreamId {
    match state {
        State::Task(t) => StreamId::task(t.id),
        State::Project(p) => StreamId::project(p.id),
        State::Member(m) => StreamId::member(m.id),
    }
}

/// Streams and their states; now and then a state under another aggregate's stream.
pub fn world() -> impl Strategy<Value = BTreeMap<StreamId, State>> {
    let any_state = prop_oneof![3 => task_state(), 1 => project_state(), 1 => member_state()];
    let misplaced = prop::option::weighted(0.05, (task(), project_state()));
    (prop::collection::vec(any_state, 0..14), misplaced).prop_map(|(states, misplaced)| {
        let mut world: BTreeMap<StreamId, State> =
            states.into_iter().map(|s| (stream_of(&s), s)).collect();
        if let Some((task, state)) = misplaced {
            world.insert(StreamId::task(task), state);
        }
        world
    })
}
