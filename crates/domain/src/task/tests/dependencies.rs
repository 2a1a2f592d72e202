//! Dependencies between tasks: same project, no duplicates, and never a cycle.

use crate::command::{Command, TaskDependency};
use crate::ids::{StreamId, TaskId};
use crate::rejection::RejectionCode::{InvalidCommand, NotFound};
use crate::scenario::*;
use crate::state::{References, State, reachable};

fn add(task: TaskId, depends_on: TaskId) -> Command {
    Command::AddDependency(TaskDependency {
        task_id: task,
        depends_on,
    })
}

fn remove(task: TaskId, depends_on: TaskId) -> Command {
    Command::RemoveDependency(TaskDependency {
        task_id: task,
        depends_on,
    })
}

/// Tasks 1..=4 in project 1, and task 9 in project 2.
fn world() -> Scenario {
    let mut events = vec![
        project_created(project_id(1)),
        project_created(project_id(2)),
    ];
    events.extend((1..=4).map(|n| task_created(task_id(n), project_id(1), &[])));
    events.push(task_created(task_id(9), project_id(2), &[]));
    Scenario::given(events)
}

#[test]
fn a_chain_cannot_be_closed_into_a_cycle() {
    let (a, b, c) = (task_id(1), task_id(2), task_id(3));
    let mut scenario = world();
    scenario.run(&add(a, b)).unwrap();
    scenario.run(&add(b, c)).unwrap();
    let rejection = scenario.when(&add(c, a)).unwrap_err();
    assert_eq!(rejection.field.as_deref(), Some("payload.depends_on"));
    assert!(rejection.message.contains("cycle"), "{rejection}");
    assert_rejected(
        scenario.when(&add(b, a)),
        InvalidCommand,
        "payload.depends_on",
    );
}

#[test]
fn a_diamond_is_not_a_cycle() {
    let (a, b, c, d) = (task_id(1), task_id(2), task_id(3), task_id(4));
    let mut scenario = world();
    for (task, dep) in [(a, b), (a, c), (b, d), (c, d)] {
        scenario.run(&add(task, dep)).unwrap();
    }
    assert!(scenario.when(&add(a, d)).is_ok());
}

#[test]
fn the_dependency_must_exist_be_another_task_of_the_project_and_be_new() {
    let mut scenario = world();
    assert_rejected(
        scenario.when(&add(task_id(1), task_id(7))),
        NotFound,
        "payload.depends_on",
    );
    assert_rejected(
        scenario.when(&add(task_id(1), task_id(9))),
        InvalidCommand,
        "payload.depends_on",
    );
    assert_rejected(
        scenario.when(&add(task_id(1), task_id(1))),
        InvalidCommand,
        "payload.depends_on",
    );
    scenario.run(&add(task_id(1), task_id(2))).unwrap();
    let rejection = scenario.when(&add(task_id(1), task_id(2))).unwrap_err();
    assert_eq!(rejection.code, InvalidCommand);
    assert!(
        rejection.message.contains("already depends on"),
        "{rejection}"
    );
}

#[test]
fn only_a_present_dependency_can_be_removed() {
    let mut scenario = world();
    assert_rejected(
        scenario.when(&remove(task_id(1), task_id(2))),
        NotFound,
        "payload.depends_on",
    );
    scenario.run(&add(task_id(1), task_id(2))).unwrap();
    scenario.run(&remove(task_id(1), task_id(2))).unwrap();
    let Some(State::Task(task)) = scenario.state(&StreamId::task(task_id(1))) else {
        panic!()
    };
    assert!(task.depends_on.is_empty());
    // Once removed, the reverse edge no longer closes a cycle.
    assert!(scenario.when(&add(task_id(2), task_id(1))).is_ok());
}

#[test]
fn reachable_follows_loaded_tasks_and_stops_on_cycles() {
    let mut refs = References::new();
    // A cycle in the references cannot come from decide, but the walk must still end.
    let edges = [(1, 2), (2, 3), (3, 1), (3, 4)];
    for n in 1..=4 {
        let deps: Vec<TaskId> = edges
            .iter()
            .filter(|(from, _)| *from == n)
            .map(|(_, to)| task_id(*to))
            .collect();
        let state =
            crate::state::evolve(None, &task_created(task_id(n), project_id(1), &deps)).unwrap();
        refs.insert(StreamId::task(task_id(n)), state);
    }
    assert!(reachable(task_id(1), task_id(4), &refs));
    assert!(reachable(task_id(5), task_id(5), &refs));
    assert!(!reachable(task_id(4), task_id(1), &refs));
    assert!(!reachable(task_id(1), task_id(5), &refs));
    assert!(refs.unresolved_dependencies().is_empty());
}
