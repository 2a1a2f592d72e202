//! Commands: their type names (written once, here), the typed command, and what it targets.

mod deserialize;
mod envelope;
mod member;
mod project;
mod task;

use std::collections::BTreeSet;

use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

pub use self::envelope::{CommandEnvelope, read_command_id};
pub use self::member::{AddTimeOff, ChangeMemberCapacity, RegisterMember};
pub use self::project::{
    AddMilestone, AddProjectMember, ChangeProjectStatus, CompleteMilestone, CreateProject,
    MoveMilestone, RemoveProjectMember, RenameProject,
};
pub use self::task::{
    AssignTask, ChangeDueDate, ChangeEstimate, CreateTask, LogWork, TaskDependency, TaskRef,
    TaskWithReason,
};
use crate::ids::StreamId;
use crate::rejection::{Rejection, RejectionCode};
use crate::state::State;

/// What every command payload knows without looking at any state.
trait Payload {
    /// The stream the command's events go to.
    fn target(&self) -> StreamId;
    /// The checks that need no state: ranges, lengths, blank names.
    fn validate(&self) -> Result<(), Rejection>;
}

macro_rules! commands {
    ($($kind:ident = $name:literal => $variant:ident($payload:ty),)*) => {
        /// The type of a command, `<aggregate>.<verb>`, as in the envelope and the subject.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum CommandType {
            $($kind,)*
        }

        const COMMAND_TYPE_COUNT: usize = [$($name),*].len();

        impl CommandType {
            pub const ALL: [CommandType; COMMAND_TYPE_COUNT] = [$(CommandType::$kind),*];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $(CommandType::$kind => $name,)*
                }
            }

            /// The JSON Schema of the payload, from the Rust type.
            pub(crate) fn payload_schema(&self, generator: &mut SchemaGenerator) -> Schema {
                match self {
                    $(CommandType::$kind => generator.root_schema_for::<$payload>(),)*
                }
            }
        }

        /// A command with a typed payload, one variant per [`CommandType`].
        #[derive(Clone, Debug, PartialEq)]
        pub enum Command {
            $($variant($payload),)*
        }

        impl Command {
            pub fn command_type(&self) -> CommandType {
                match self {
                    $(Command::$variant(_) => CommandType::$kind,)*
                }
            }

            /// The stream the events go to.
            pub fn target(&self) -> StreamId {
                match self {
                    $(Command::$variant(p) => p.target(),)*
                }
            }

            /// The payload as JSON, as a client would send it.
            pub fn payload(&self) -> Value {
                // Serializing these plain structs cannot fail: every map key is a string.
                match self {
                    $(Command::$variant(p) => serde_json::to_value(p).unwrap_or(Value::Null),)*
                }
            }

            pub(crate) fn validate(&self) -> Result<(), Rejection> {
                match self {
                    $(Command::$variant(p) => p.validate(),)*
                }
            }

            fn decode(kind: CommandType, payload: &Value) -> Result<Command, Rejection> {
                Ok(match kind {
                    $(CommandType::$kind => Command::$variant(deserialize::typed(payload, "payload")?),)*
                })
            }
        }
    };
}

commands! {
    MemberRegister = "member.register" => RegisterMember(RegisterMember),
    MemberChangeCapacity = "member.change_capacity" => ChangeMemberCapacity(ChangeMemberCapacity),
    MemberAddTimeOff = "member.add_time_off" => AddTimeOff(AddTimeOff),
    ProjectCreate = "project.create" => CreateProject(CreateProject),
    ProjectRename = "project.rename" => RenameProject(RenameProject),
    ProjectAddMember = "project.add_member" => AddProjectMember(AddProjectMember),
    ProjectRemoveMember = "project.remove_member" => RemoveProjectMember(RemoveProjectMember),
    ProjectAddMilestone = "project.add_milestone" => AddMilestone(AddMilestone),
    ProjectMoveMilestone = "project.move_milestone" => MoveMilestone(MoveMilestone),
    ProjectCompleteMilestone = "project.complete_milestone" => CompleteMilestone(CompleteMilestone),
    ProjectChangeStatus = "project.change_status" => ChangeProjectStatus(ChangeProjectStatus),
    TaskCreate = "task.create" => CreateTask(CreateTask),
    TaskAssign = "task.assign" => AssignTask(AssignTask),
    TaskUnassign = "task.unassign" => UnassignTask(TaskRef),
    TaskStart = "task.start" => StartTask(TaskRef),
    TaskBlock = "task.block" => BlockTask(TaskWithReason),
    TaskUnblock = "task.unblock" => UnblockTask(TaskRef),
    TaskComplete = "task.complete" => CompleteTask(TaskRef),
    TaskReopen = "task.reopen" => ReopenTask(TaskWithReason),
    TaskCancel = "task.cancel" => CancelTask(TaskWithReason),
    TaskLogWork = "task.log_work" => LogWork(LogWork),
    TaskChangeEstimate = "task.change_estimate" => ChangeEstimate(ChangeEstimate),
    TaskChangeDueDate = "task.change_due_date" => ChangeDueDate(ChangeDueDate),
    TaskAddDependency = "task.add_dependency" => AddDependency(TaskDependency),
    TaskRemoveDependency = "task.remove_dependency" => RemoveDependency(TaskDependency),
}

impl CommandType {
    pub fn parse(s: &str) -> Option<CommandType> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }

    /// The aggregate, i.e. the target stream's category: the first token of the type.
    pub fn category(&self) -> &'static str {
        self.as_str()
            .split_once('.')
            .map_or("", |(category, _)| category)
    }

    /// Whether the command creates its target (and so must not find it existing).
    pub fn creates(&self) -> bool {
        matches!(
            self,
            CommandType::MemberRegister | CommandType::ProjectCreate | CommandType::TaskCreate
        )
    }
}

impl std::fmt::Display for CommandType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Command {
    /// Reads the typed command from the envelope's `type` and `payload`.
    pub fn parse(command_type: &str, payload: &Value) -> Result<Command, Rejection> {
        let kind = CommandType::parse(command_type).ok_or_else(|| {
            Rejection::new(
                RejectionCode::UnknownCommandType,
                format!("unknown command type {command_type:?}"),
            )
            .with_field("type")
        })?;
        Command::decode(kind, payload)
    }

    /// Streams besides the target that `decide` must see: the project of a new task, the member
    /// being assigned, dependency tasks, …. `current` is the target's state when it exists.
    ///
    /// For `task.add_dependency` the handler must also load, transitively, every task the loaded
    /// tasks depend on (see [`crate::References::unresolved_dependencies`]) so cycles can be seen.
    pub fn references(&self, current: Option<&State>) -> Vec<StreamId> {
        let mut streams = BTreeSet::new();
        match self {
            Command::CreateTask(c) => {
                streams.insert(StreamId::project(c.project_id));
                streams.extend(c.depends_on.iter().copied().map(StreamId::task));
            }
            Command::AssignTask(c) => {
                streams.insert(StreamId::member(c.member_id));
                if let Some(State::Task(task)) = current {
                    streams.insert(StreamId::project(task.project_id));
                }
            }
            Command::LogWork(c) => streams.extend(c.member_id.map(StreamId::member)),
            Command::AddDependency(c) => {
                streams.insert(StreamId::task(c.depends_on));
            }
            Command::AddProjectMember(c) => {
                streams.insert(StreamId::member(c.member_id));
            }
            _ => {}
        }
        streams.remove(&self.target());
        streams.into_iter().collect()
    }
}

#[cfg(test)]
mod tests;
