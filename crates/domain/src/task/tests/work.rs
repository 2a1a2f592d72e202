//! Assignment, work logging and estimates on an existing task.

use super::{the_task, world_with_task_in};
use crate::command::{AssignTask, ChangeEstimate, Command, LogWork, TaskRef};
use crate::event::Event;
use crate::ids::StreamId;
use crate::rejection::RejectionCode::{InvalidCommand, InvalidTransition, NotFound};
use crate::scenario::*;
use crate::state::State;
use crate::task::TaskStatus;

#[test]
fn assigning_needs_a_registered_member_of_the_project() {
    let given = world_with_task_in(TaskStatus::Todo);
    let assign = |n| {
        Command::AssignTask(AssignTask {
            task_id: the_task(),
            member_id: member_id(n),
        })
    };
    assert_rejected(
        given.when(&assign(1)),
        InvalidTransition,
        "payload.member_id",
    );
    assert_rejected(given.when(&assign(9)), NotFound, "payload.member_id");

    let mut outsider = world_with_task_in(TaskStatus::Todo);
    outsider.record([member_registered(member_id(7))]);
    assert_rejected(
        outsider.when(&assign(7)),
        InvalidCommand,
        "payload.member_id",
    );

    let mut scenario = world_with_task_in(TaskStatus::Todo);
    scenario.run(&assign(2)).unwrap();
    let Some(State::Task(task)) = scenario.state(&StreamId::task(the_task())) else {
        panic!()
    };
    assert_eq!(task.assignee, Some(member_id(2)));
}

#[test]
fn unassigning_needs_an_assignee() {
    let mut scenario = world_with_task_in(TaskStatus::Todo);
    let unassign = Command::UnassignTask(TaskRef {
        task_id: the_task(),
    });
    let events = scenario.run(&unassign).unwrap();
    assert!(matches!(&events[..], [Event::TaskUnassigned(e)] if e.member_id == member_id(1)));
    assert_rejected(
        scenario.when(&unassign),
        InvalidTransition,
        "payload.task_id",
    );
}

#[test]
fn logged_work_adds_up_and_is_bounded() {
    let mut scenario = world_with_task_in(TaskStatus::InProgress);
    let log = |hours, member_id| {
        Command::LogWork(LogWork {
            task_id: the_task(),
            hours,
            member_id,
        })
    };
    scenario.run(&log(2.5, None)).unwrap();
    scenario.run(&log(168.0, Some(member_id(2)))).unwrap();
    let Some(State::Task(task)) = scenario.state(&StreamId::task(the_task())) else {
        panic!()
    };
    assert_eq!(task.logged_hours, 170.5);

    for hours in [0.0, -1.0, 168.5, f64::NAN, f64::INFINITY] {
        assert_rejected(
            scenario.when(&log(hours, None)),
            InvalidCommand,
            "payload.hours",
        );
    }
    assert_rejected(
        scenario.when(&log(1.0, Some(member_id(9)))),
        NotFound,
        "payload.member_id",
    );
}

#[test]
fn estimates_must_be_positive_finite_and_bounded() {
    let given = world_with_task_in(TaskStatus::Todo);
    let change = |estimate_hours| {
        Command::ChangeEstimate(ChangeEstimate {
            task_id: the_task(),
            estimate_hours,
        })
    };
    for bad in [0.0, -3.0, 10_000.5, f64::NAN, f64::NEG_INFINITY] {
        assert_rejected(
            given.when(&change(bad)),
            InvalidCommand,
            "payload.estimate_hours",
        );
    }
    assert!(given.when(&change(10_000.0)).is_ok());
}
