//! Task tests: the state machine over every status × command.

mod create;
mod dependencies;
mod work;

use chrono::{TimeZone, Utc};

use crate::command::{
    AssignTask, ChangeDueDate, ChangeEstimate, Command, LogWork, TaskDependency, TaskRef,
    TaskWithReason,
};
use crate::event::{Event, EventType};
use crate::ids::{ProjectId, StreamId, TaskId};
use crate::rejection::RejectionCode::{InvalidTransition, NotFound};
use crate::scenario::*;
use crate::state::State;
use crate::task::{Move, TaskStatus, next_status};

fn the_project() -> ProjectId {
    project_id(1)
}

fn the_task() -> TaskId {
    task_id(1)
}

/// Project 1 with members 1 and 2; task 2 (todo) and task 3 (done) beside; task 1 depends on
/// task 3, is assigned to member 1, and has been moved into `status`.
fn world_with_task_in(status: TaskStatus) -> Scenario {
    let (p, t) = (the_project(), the_task());
    let mut scenario = Scenario::given([
        project_created(p),
        member_registered(member_id(1)),
        member_registered(member_id(2)),
        member_joined(p, member_id(1)),
        member_joined(p, member_id(2)),
        task_created(task_id(2), p, &[]),
        task_created(task_id(3), p, &[]),
        task_created(t, p, &[task_id(3)]),
        task_assigned(t, p, member_id(1)),
    ]);
    let path: &[Move] = match status {
        TaskStatus::Todo => &[],
        TaskStatus::InProgress => &[Move::Start],
        TaskStatus::Blocked => &[Move::Start, Move::Block],
        TaskStatus::Done => &[Move::Start, Move::Complete],
        TaskStatus::Cancelled => &[Move::Cancel],
    };
    scenario.record(path.iter().map(|step| task_moved(t, p, *step)));
    assert_eq!(task_status(&scenario), status);
    scenario
}

fn task_status(scenario: &Scenario) -> TaskStatus {
    match scenario.state(&StreamId::task(the_task())) {
        Some(State::Task(task)) => task.status,
        other => panic!("no task: {other:?}"),
    }
}

fn reason() -> TaskWithReason {
    TaskWithReason {
        task_id: the_task(),
        reason: Some("because".into()),
    }
}

/// Every task command but creation, with the event it records when accepted.
fn task_commands() -> Vec<(Command, EventType)> {
    let t = the_task();
    vec![
        (
            Command::StartTask(TaskRef { task_id: t }),
            EventType::TaskStarted,
        ),
        (Command::BlockTask(reason()), EventType::TaskBlocked),
        (
            Command::UnblockTask(TaskRef { task_id: t }),
            EventType::TaskUnblocked,
        ),
        (
            Command::CompleteTask(TaskRef { task_id: t }),
            EventType::TaskCompleted,
        ),
        (Command::ReopenTask(reason()), EventType::TaskReopened),
        (Command::CancelTask(reason()), EventType::TaskCancelled),
        (
            Command::AssignTask(AssignTask {
                task_id: t,
                member_id: member_id(2),
            }),
            EventType::TaskAssigned,
        ),
        (
            Command::UnassignTask(TaskRef { task_id: t }),
            EventType::TaskUnassigned,
        ),
        (
            Command::LogWork(LogWork {
                task_id: t,
                hours: 2.0,
                member_id: None,
            }),
            EventType::TaskWorkLogged,
        ),
        (
            Command::ChangeEstimate(ChangeEstimate {
                task_id: t,
                estimate_hours: 5.0,
            }),
            EventType::TaskEstimateChanged,
        ),
        (
            Command::ChangeDueDate(ChangeDueDate {
                task_id: t,
                due_date: Utc.with_ymd_and_hms(2025, 5, 1, 17, 0, 0).unwrap(),
            }),
            EventType::TaskDueDateChanged,
        ),
        (
            Command::AddDependency(TaskDependency {
                task_id: t,
                depends_on: task_id(2),
            }),
            EventType::TaskDependencyAdded,
        ),
        (
            Command::RemoveDependency(TaskDependency {
                task_id: t,
                depends_on: task_id(3),
            }),
            EventType::TaskDependencyRemoved,
        ),
    ]
}

#[test]
fn every_status_accepts_exactly_the_allowed_commands() {
    use TaskStatus::{Blocked, Cancelled, Done, InProgress, Todo};
    // Rows follow `task_commands()`; columns are todo, in_progress, blocked, done, cancelled.
    let allowed: [(EventType, [bool; 5]); 13] = [
        (EventType::TaskStarted, [true, false, false, false, false]),
        (EventType::TaskBlocked, [true, true, false, false, false]),
        (EventType::TaskUnblocked, [false, false, true, false, false]),
        (EventType::TaskCompleted, [false, true, false, false, false]),
        (EventType::TaskReopened, [false, false, false, true, false]),
        (EventType::TaskCancelled, [true, true, true, false, false]),
        (EventType::TaskAssigned, [true, true, true, false, false]),
        (EventType::TaskUnassigned, [true, true, true, false, false]),
        (EventType::TaskWorkLogged, [true, true, true, true, false]),
        (
            EventType::TaskEstimateChanged,
            [true, true, true, false, false],
        ),
        (
            EventType::TaskDueDateChanged,
            [true, true, true, false, false],
        ),
        (
            EventType::TaskDependencyAdded,
            [true, true, true, false, false],
        ),
        (
            EventType::TaskDependencyRemoved,
            [true, true, true, false, false],
        ),
    ];
    for ((command, recorded), (row, allowed)) in task_commands().into_iter().zip(allowed) {
        assert_eq!(recorded, row);
        for (status, allowed) in [Todo, InProgress, Blocked, Done, Cancelled]
            .into_iter()
            .zip(allowed)
        {
            let given = world_with_task_in(status);
            let outcome = given.when(&command);
            match (allowed, outcome) {
                (true, Ok(events)) => {
                    let kinds: Vec<EventType> = events.iter().map(Event::kind).collect();
                    assert_eq!(kinds, [recorded], "{recorded} from {status:?}");
                    assert!(events.iter().all(|e| e.stream() == command.target()));
                }
                (false, outcome) => assert_rejected(outcome, InvalidTransition, "payload.task_id"),
                (true, Err(rejection)) => panic!("{recorded} from {status:?}: {rejection}"),
            }
        }
    }
}

#[test]
fn the_rejection_says_what_and_from_where() {
    let given = world_with_task_in(TaskStatus::Done);
    let rejection = given
        .when(&Command::StartTask(TaskRef {
            task_id: the_task(),
        }))
        .unwrap_err();
    assert_eq!(rejection.message, "cannot start a task that is done");
}

#[test]
fn each_move_lands_where_the_state_machine_says() {
    for from in TaskStatus::ALL {
        for step in Move::ALL {
            let Some(to) = next_status(from, step, Some(TaskStatus::InProgress)) else {
                continue;
            };
            let mut scenario = world_with_task_in(from);
            scenario.record([task_moved(the_task(), the_project(), step)]);
            assert_eq!(task_status(&scenario), to, "{step:?} from {from:?}");
        }
    }
}

#[test]
fn a_task_blocked_before_it_started_unblocks_to_todo() {
    let mut scenario = world_with_task_in(TaskStatus::Todo);
    scenario.run(&Command::BlockTask(reason())).unwrap();
    scenario
        .run(&Command::UnblockTask(TaskRef {
            task_id: the_task(),
        }))
        .unwrap();
    assert_eq!(task_status(&scenario), TaskStatus::Todo);
}

#[test]
fn reopening_counts_and_returns_to_todo() {
    let mut scenario = world_with_task_in(TaskStatus::Done);
    scenario.run(&Command::ReopenTask(reason())).unwrap();
    scenario
        .run(&Command::StartTask(TaskRef {
            task_id: the_task(),
        }))
        .unwrap();
    scenario
        .run(&Command::CompleteTask(TaskRef {
            task_id: the_task(),
        }))
        .unwrap();
    scenario.run(&Command::ReopenTask(reason())).unwrap();
    let Some(State::Task(task)) = scenario.state(&StreamId::task(the_task())) else {
        panic!()
    };
    assert_eq!((task.status, task.reopen_count), (TaskStatus::Todo, 2));
}

#[test]
fn commands_on_a_missing_task_are_not_found() {
    let given = Scenario::given([project_created(the_project())]);
    for (command, _) in task_commands() {
        assert_rejected(given.when(&command), NotFound, "payload.task_id");
    }
}
