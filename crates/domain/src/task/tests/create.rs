//! `task.create`: where a task may be created, and what its payload may hold.

use crate::command::{ChangeProjectStatus, Command, CreateTask};
use crate::event::Event;
use crate::ids::StreamId;
use crate::project::ProjectStatus;
use crate::rejection::RejectionCode::{AlreadyExists, InvalidCommand, InvalidTransition, NotFound};
use crate::scenario::*;
use crate::state::State;
use crate::task::TaskStatus;

fn world() -> Scenario {
    Scenario::given([
        project_created(project_id(1)),
        project_created(project_id(2)),
        milestone_added(project_id(1), milestone_id(1)),
        task_created(task_id(2), project_id(1), &[]),
        task_created(task_id(3), project_id(1), &[]),
        task_created(task_id(9), project_id(2), &[]),
    ])
}

fn create(edit: impl FnOnce(&mut CreateTask)) -> Command {
    let mut c = create_task(task_id(1), project_id(1));
    edit(&mut c);
    Command::CreateTask(c)
}

#[test]
fn creates_a_todo_task_with_sorted_unique_dependencies() {
    let mut scenario = world();
    let events = scenario
        .run(&create(|c| {
            c.milestone_id = Some(milestone_id(1));
            c.depends_on = vec![task_id(3), task_id(2), task_id(3)];
        }))
        .unwrap();
    let [Event::TaskCreated(created)] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(created.depends_on, [task_id(2), task_id(3)]);
    assert_eq!(events[0].project_id(), Some(project_id(1)));
    let Some(State::Task(task)) = scenario.state(&StreamId::task(task_id(1))) else {
        panic!()
    };
    assert_eq!(
        (task.status, task.milestone_id),
        (TaskStatus::Todo, Some(milestone_id(1)))
    );
}

#[test]
fn a_task_is_created_once() {
    let mut scenario = world();
    scenario.run(&create(|_| {})).unwrap();
    assert_rejected(
        scenario.when(&create(|_| {})),
        AlreadyExists,
        "payload.task_id",
    );
}

#[test]
fn the_project_milestone_and_dependencies_must_exist() {
    let given = world();
    assert_rejected(
        given.when(&create(|c| c.project_id = project_id(7))),
        NotFound,
        "payload.project_id",
    );
    assert_rejected(
        given.when(&create(|c| c.milestone_id = Some(milestone_id(7)))),
        NotFound,
        "payload.milestone_id",
    );
    assert_rejected(
        given.when(&create(|c| c.depends_on = vec![task_id(7)])),
        NotFound,
        "payload.depends_on",
    );
    assert_rejected(
        given.when(&create(|c| c.depends_on = vec![task_id(9)])),
        InvalidCommand,
        "payload.depends_on",
    );
    assert_rejected(
        given.when(&create(|c| c.depends_on = vec![task_id(1)])),
        InvalidCommand,
        "payload.depends_on",
    );
}

#[test]
fn a_closed_project_takes_no_new_tasks() {
    let mut scenario = world();
    let status = |status| {
        Command::ChangeProjectStatus(ChangeProjectStatus {
            project_id: project_id(1),
            status,
        })
    };
    scenario.run(&status(ProjectStatus::Closed)).unwrap();
    assert_rejected(
        scenario.when(&create(|_| {})),
        InvalidTransition,
        "payload.project_id",
    );
    scenario.run(&status(ProjectStatus::Active)).unwrap();
    assert!(scenario.when(&create(|_| {})).is_ok());
}

/// A change that makes a valid `task.create` payload invalid.
type Edit = fn(&mut CreateTask);

#[test]
fn payload_values_are_bounded() {
    let given = world();
    let cases: [(&str, Edit); 15] = [
        ("payload.estimate_hours", |c| c.estimate_hours = 0.0),
        ("payload.estimate_hours", |c| c.estimate_hours = -2.0),
        ("payload.estimate_hours", |c| c.estimate_hours = 10_001.0),
        ("payload.estimate_hours", |c| c.estimate_hours = f64::NAN),
        ("payload.estimate_hours", |c| {
            c.estimate_hours = f64::INFINITY
        }),
        ("payload.priority", |c| c.priority = 0),
        ("payload.priority", |c| c.priority = 5),
        ("payload.title", |c| c.title = String::new()),
        ("payload.title", |c| c.title = " \n ".into()),
        ("payload.title", |c| c.title = "x".repeat(501)),
        ("payload.description", |c| {
            c.description = Some("x".repeat(10_001))
        }),
        ("payload.labels", |c| c.labels = vec!["l".into(); 51]),
        ("payload.labels", |c| c.labels = vec![String::new()]),
        ("payload.skills", |c| c.skills = vec!["s".into(); 51]),
        ("payload.depends_on", |c| {
            c.depends_on = vec![task_id(2); 1001]
        }),
    ];
    for (field, edit) in cases {
        assert_rejected(given.when(&create(edit)), InvalidCommand, field);
    }
    let at_the_limits = create(|c| {
        c.estimate_hours = 10_000.0;
        c.priority = 4;
        c.title = "x".repeat(500);
        c.labels = vec!["l".into(); 50];
        c.depends_on = vec![task_id(2); 1000];
    });
    assert!(given.when(&at_the_limits).is_ok());
}
