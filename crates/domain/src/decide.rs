//! `decide`: from a command, the target's state and the referenced states, to events or a rejection.

use crate::command::Command;
use crate::event::Event;
use crate::rejection::Rejection;
use crate::state::{References, State};
use crate::{member, project, task};

/// Decides a command. Pure: the same inputs always give the same answer.
///
/// `current` is the target stream's state (`None` when it has no events); `refs` holds the
/// states of the streams [`Command::references`] named, as far as they exist.
pub fn decide(
    command: &Command,
    current: Option<&State>,
    refs: &References,
) -> Result<Vec<Event>, Rejection> {
    command.validate()?;
    let target = command.target();
    // A state of another aggregate cannot be the target's: it only arrives through a handler bug,
    // and the target, as the command means it, does not exist.
    let current = current.filter(|state| state.category() == target.category());
    match (command, current) {
        (_, Some(_)) if command.command_type().creates() => Err(already_exists_target(command)),
        (Command::RegisterMember(c), None) => Ok(member::register(c)),
        (Command::CreateProject(c), None) => Ok(project::create(c)),
        (Command::CreateTask(c), None) => task::create(c, refs),
        (_, None) => Err(not_found_target(command)),
        (_, Some(State::Member(member))) => member::decide(command, member),
        (_, Some(State::Project(project))) => project::decide(command, project, refs),
        (_, Some(State::Task(task))) => task::decide(command, task, refs),
    }
}

/// The field holding the target's id, e.g. `payload.task_id`.
fn target_field(command: &Command) -> String {
    format!("payload.{}_id", command.command_type().category())
}

fn target_name(command: &Command) -> String {
    let target = command.target();
    match target.uuid() {
        Some(id) => format!("{} {id}", target.category()),
        None => target.to_string(),
    }
}

pub(crate) fn not_found_target(command: &Command) -> Rejection {
    Rejection::not_found(
        &target_field(command),
        format!("{} does not exist", target_name(command)),
    )
}

fn already_exists_target(command: &Command) -> Rejection {
    Rejection::already_exists(
        &target_field(command),
        format!("{} already exists", target_name(command)),
    )
}
