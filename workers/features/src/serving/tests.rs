//! Serving tests: the rows do not depend on how the log is cut into batches; candidates, the
//! daily refresh and project contexts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use domain::{Event, MemberLeftProject, MilestoneAdded, MilestoneId, Move};
use proptest::prelude::*;
use uuid::Uuid;

use super::{Changed, Serving, TaskRow};
use crate::store::ProjectContext;
use crate::testing::*;
use crate::{FEATURE_NAMES, Sample};

/// The store as a series of batches leaves it: the latest row per key, every sample.
#[derive(Debug, Default, PartialEq)]
struct Store {
    tasks: BTreeMap<Uuid, TaskRow>,
    projects: BTreeMap<Uuid, ProjectContext>,
    samples: Vec<Sample>,
}

impl Store {
    fn write(&mut self, changed: Changed) {
        self.tasks
            .extend(changed.tasks.into_iter().map(|row| (row.task_id, row)));
        self.projects.extend(changed.projects);
        self.samples.extend(changed.samples);
    }
}

/// Folds `events` (at their hours), taking what changed after each event whose index is in
/// `cuts` and at the end.
fn fold(events: &[(f64, Event)], cuts: &[usize]) -> Store {
    let mut serving = Serving::default();
    let mut store = Store::default();
    for (i, (hours, event)) in events.iter().enumerate() {
        serving.observe(event, at(*hours), i as i64 + 1);
        if cuts.contains(&i) {
            store.write(serving.take_changed());
        }
    }
    store.write(serving.take_changed());
    store
}

fn setup() -> Vec<(f64, Event)> {
    let p = project_id(1);
    vec![
        (0.0, project_created(p)),
        (0.0, member_registered(member_id(1), &["rust"], 40.0)),
        (0.0, member_registered(member_id(2), &["python"], 20.0)),
        (0.0, member_joined(p, member_id(1))),
        (0.0, member_joined(p, member_id(2))),
    ]
}

fn task(n: u128) -> domain::TaskId {
    task_id(n)
}

fn rust_task() -> NewTask {
    NewTask {
        skills: vec!["rust".into()],
        due_date: Some(at(72.0)),
        ..NewTask::default()
    }
}

#[test]
fn a_candidate_carries_the_members_queue_in_the_order_it_is_worked() {
    let p = project_id(1);
    let mut events = setup();
    let urgent = NewTask {
        priority: 1,
        due_date: Some(at(48.0)),
        ..NewTask::default()
    };
    events.extend([
        (1.0, task_created(task(1), p, rust_task())),
        (1.0, task_created(task(2), p, NewTask::default())),
        (1.0, task_created(task(3), p, urgent)),
        (
            1.0,
            task_created(
                task(4),
                p,
                NewTask {
                    priority: 4,
                    ..NewTask::default()
                },
            ),
        ),
        (2.0, assigned(task(2), p, member_id(1))),
        (2.0, assigned(task(3), p, member_id(1))),
        (2.0, assigned(task(4), p, member_id(1))),
        (3.0, moved(task(4), p, Move::Start)),
    ]);
    let queue_of = |store: &Store| -> Vec<(Uuid, u8, bool)> {
        store.tasks[&task(1).0].candidates[0]
            .queue
            .iter()
            .map(|q| (q.task_id, q.priority, q.started_at.is_some()))
            .collect()
    };
    let store = fold(&events, &[]);
    // Started first, then priority 1, then the rest.
    assert_eq!(
        queue_of(&store),
        vec![
            (task(4).0, 4, true),
            (task(3).0, 1, false),
            (task(2).0, NewTask::default().priority, false),
        ]
    );
    assert_eq!(
        store.tasks[&task(1).0].candidates[0].queue[1].due_date,
        Some(at(48.0))
    );
    assert!(store.tasks[&task(1).0].candidates[1].queue.is_empty());
    // A new due date on a queued task reaches the candidates of the unassigned one.
    events.push((4.0, due_date_changed(task(3), p, at(96.0))));
    let store = fold(&events, &[events.len() - 2]);
    assert_eq!(
        store.tasks[&task(1).0].candidates[0].queue[1].due_date,
        Some(at(96.0))
    );
    assert_eq!(store.tasks[&task(1).0].as_of, at(4.0));
}

#[test]
fn an_open_unassigned_task_carries_one_candidate_per_project_member() {
    let p = project_id(1);
    let mut events = setup();
    events.extend([
        (1.0, task_created(task(1), p, rust_task())),
        (1.0, task_created(task(2), p, NewTask::default())),
        (2.0, assigned(task(2), p, member_id(1))),
    ]);
    let store = fold(&events, &[]);
    let open = &store.tasks[&task(1).0];
    assert!(open.open);
    assert_eq!(open.features.len(), FEATURE_NAMES.len());
    let members: Vec<Uuid> = open.candidates.iter().map(|c| c.member_id).collect();
    assert_eq!(members, vec![member_id(1).0, member_id(2).0]);
    let ada = &open.candidates[0];
    assert_eq!(ada.skill_match, 1.0);
    assert_eq!(open.candidates[1].skill_match, 0.0);
    // Task 2 (8 hours) queues on member 1, and the candidate of task 1 knows it.
    assert_eq!(ada.queued_open_hours, 8.0);
    assert_eq!(ada.capacity_hours_per_week, 40.0);
    assert_eq!(ada.features.len(), FEATURE_NAMES.len());
    assert_eq!(
        open.as_of,
        at(2.0),
        "the assignment elsewhere changed the candidates"
    );
    let assigned = &store.tasks[&task(2).0];
    assert!(assigned.candidates.is_empty());
    assert_eq!(assigned.context.assignee, Some(member_id(1).0));
    assert_eq!(assigned.context.status, "todo");
}

#[test]
fn a_member_who_leaves_is_no_candidate_any_more() {
    let p = project_id(1);
    let mut events = setup();
    events.push((1.0, task_created(task(1), p, NewTask::default())));
    let before = fold(&events, &[]);
    assert_eq!(before.tasks[&task(1).0].candidates.len(), 2);
    events.push((
        2.0,
        Event::MemberLeftProject(MemberLeftProject {
            project_id: p,
            member_id: member_id(2),
        }),
    ));
    let after = fold(&events, &[5]);
    let candidates = &after.tasks[&task(1).0].candidates;
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0].member_id, member_id(1).0);
    assert_eq!(after.projects[&p.0].members.len(), 1);
}

#[test]
fn closed_tasks_are_written_closed_and_a_completed_run_makes_a_sample() {
    let p = project_id(1);
    let mut events = setup();
    events.extend([
        (1.0, task_created(task(1), p, rust_task())),
        (1.0, task_created(task(2), p, NewTask::default())),
        (2.0, assigned(task(1), p, member_id(1))),
        (3.0, moved(task(1), p, Move::Start)),
        (13.5, moved(task(1), p, Move::Complete)),
        (14.0, moved(task(2), p, Move::Cancel)),
    ]);
    let store = fold(&events, &[6, 8]);
    let done = &store.tasks[&task(1).0];
    assert!(!done.open);
    assert_eq!(done.context.status, "done");
    assert_eq!(done.context.started_at, Some(at(3.0)));
    assert!(!store.tasks[&task(2).0].open);
    assert_eq!(store.samples.len(), 1);
    let sample = &store.samples[0];
    assert_eq!(sample.duration_hours, 10.5);
    assert_eq!(sample.member_id, Some(member_id(1)));
    assert_eq!(sample.late, Some(false));
}

#[test]
fn every_open_task_is_computed_again_when_the_business_day_changes() {
    let p = project_id(1);
    let mut events = setup();
    events.extend([
        (1.0, task_created(task(1), p, rust_task())),
        (2.0, task_created(task(2), p, NewTask::default())),
    ]);
    let first = fold(&events, &[]);
    assert_eq!(first.tasks[&task(1).0].as_of, at(1.0));
    // 30 hours after Monday 09:00 is Tuesday.
    events.push((30.0, task_created(task(3), p, NewTask::default())));
    let next = fold(&events, &[6]);
    let refreshed = &next.tasks[&task(1).0];
    assert_eq!(refreshed.as_of, at(30.0));
    let age = FEATURE_NAMES
        .iter()
        .position(|n| *n == "age_hours")
        .unwrap();
    assert_eq!(refreshed.features[age], 29.0);
}

#[test]
fn the_project_context_lists_milestones_and_members_with_their_queues() {
    let p = project_id(1);
    let milestone = MilestoneId(Uuid::from_u128(0x4001));
    let mut events = setup();
    events.extend([
        (
            1.0,
            Event::MilestoneAdded(MilestoneAdded {
                project_id: p,
                milestone_id: milestone,
                name: "Beta".into(),
                due_date: NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
            }),
        ),
        (1.0, task_created(task(1), p, NewTask::default())),
        (2.0, assigned(task(1), p, member_id(2))),
    ]);
    let store = fold(&events, &[5]);
    let context = &store.projects[&p.0];
    assert_eq!(
        context.start_date,
        NaiveDate::from_ymd_opt(2025, 3, 3).unwrap()
    );
    assert_eq!(context.milestones.len(), 1);
    assert_eq!(context.milestones[0].milestone_id, milestone.0);
    assert!(!context.milestones[0].completed);
    let queues: Vec<(Uuid, f64, f64)> = context
        .members
        .iter()
        .map(|m| (m.member_id, m.capacity_hours_per_week, m.queued_open_hours))
        .collect();
    assert_eq!(
        queues,
        vec![(member_id(1).0, 40.0, 0.0), (member_id(2).0, 20.0, 8.0)]
    );
}

/// One step of a generated history, on 2 projects, 3 members and 6 tasks.
fn step() -> impl Strategy<Value = (u8, u8, u8, u8)> {
    (0u8..17, 0u8..6, 0u8..3, 0u8..8)
}

fn history(steps: &[(u8, u8, u8, u8)]) -> Vec<(f64, Event)> {
    let projects = [project_id(1), project_id(2)];
    let mut events = vec![
        (0.0, project_created(projects[0])),
        (0.0, project_created(projects[1])),
        (0.0, member_registered(member_id(1), &["rust"], 40.0)),
        (0.0, member_registered(member_id(2), &["python"], 20.0)),
        (0.0, member_registered(member_id(3), &["rust", "sql"], 30.0)),
        (0.0, member_joined(projects[0], member_id(1))),
        (0.0, member_joined(projects[0], member_id(2))),
        (0.0, member_joined(projects[1], member_id(1))),
        (0.0, member_joined(projects[1], member_id(3))),
    ];
    for n in 0..6u128 {
        let new = NewTask {
            estimate_hours: 2.0 + n as f64 * 3.0,
            skills: if n % 2 == 0 {
                vec!["rust".into()]
            } else {
                vec![]
            },
            labels: vec![format!("l{}", n % 3)],
            due_date: Some(at(20.0 + 10.0 * n as f64)),
            depends_on: if n > 2 { vec![task(n - 3)] } else { vec![] },
            ..NewTask::default()
        };
        events.push((0.5, task_created(task(n), projects[(n % 2) as usize], new)));
    }
    let mut hours = 1.0;
    for &(kind, n, member, gap) in steps {
        // Several events share an instant; some gaps cross into the next day.
        hours += [0.0, 0.0, 0.5, 1.0, 3.0, 7.0, 20.0, 30.0][gap as usize];
        let (t, p, m) = (
            task(n.into()),
            projects[(n % 2) as usize],
            member_id(u128::from(member) + 1),
        );
        let other = task(u128::from((n + member + 1) % 6));
        let event = match kind {
            0 | 1 => assigned(t, p, m),
            2 => unassigned(t, p, m),
            3 => moved(t, p, Move::Start),
            4 => moved(t, p, Move::Complete),
            5 => moved(t, p, Move::Block),
            6 => moved(t, p, Move::Unblock),
            7 => moved(t, p, Move::Reopen),
            8 => estimate_changed(t, p, 1.0 + f64::from(member) * 4.0),
            9 => work_logged(t, p, 1.5),
            10 => Event::MemberLeftProject(MemberLeftProject {
                project_id: p,
                member_id: m,
            }),
            11 => member_joined(p, m),
            12 => moved(t, p, Move::Cancel),
            13 => dependency_added(t, p, other),
            14 => dependency_removed(t, p, other),
            15 => due_date_changed(t, p, at(hours + 5.0)),
            _ => Event::MemberCapacityChanged(domain::MemberCapacityChanged {
                member_id: m,
                capacity_hours_per_week: 10.0 + f64::from(gap) * 5.0,
            }),
        };
        events.push((hours, event));
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn rows_do_not_depend_on_the_batches(
        steps in proptest::collection::vec(step(), 0..120),
        cuts in proptest::collection::vec(0usize..80, 0..10),
    ) {
        let events = history(&steps);
        let every: Vec<usize> = (0..events.len()).collect();
        let reference = fold(&events, &every);
        prop_assert_eq!(&fold(&events, &[]), &reference);
        prop_assert_eq!(&fold(&events, &cuts), &reference);
    }
}

#[test]
fn discarded_changes_are_not_taken_again() {
    let mut serving = Serving::default();
    for (i, (hours, event)) in setup().into_iter().enumerate() {
        serving.observe(&event, at(hours), i as i64 + 1);
    }
    serving.discard_changed();
    assert!(serving.take_changed().is_empty());
}
