//! Pure domain: ids, commands, events, aggregates, rejections. No I/O, no async.

mod command;
mod decide;
mod event;
mod ids;
pub mod limits;
mod member;
mod namespace;
mod project;
mod rejection;
#[cfg(test)]
mod scenario;
mod schema;
mod schema_examples;
mod state;
mod task;

pub use command::{
    AddMilestone, AddProjectMember, AddTimeOff, AssignTask, ChangeDueDate, ChangeEstimate,
    ChangeMemberCapacity, ChangeProjectStatus, Command, CommandEnvelope, CommandType,
    CompleteMilestone, CreateProject, CreateTask, LogWork, MoveMilestone, RegisterMember,
    RemoveProjectMember, RenameProject, TaskDependency, TaskRef, TaskWithReason, read_command_id,
};
pub use decide::decide;
pub use event::{
    AssignmentCandidate, AssignmentRecommended, CURRENT_SCHEMA_VERSION, CompletionForecast, Event,
    EventType, ForecastHealth, MemberCapacityChanged, MemberJoinedProject, MemberLeftProject,
    MemberRegistered, MemberTimeOffAdded, MilestoneAdded, MilestoneCompleted, MilestoneForecast,
    MilestoneMoved, ModelPromoted, ModelTrained, ProjectCreated, ProjectForecasted, ProjectRenamed,
    ProjectStatusChanged, RiskFactor, TaskAssigned, TaskChanged, TaskChangedBecause, TaskCreated,
    TaskDependencyChanged, TaskDueDateChanged, TaskEstimateChanged, TaskForecasted,
    TaskRiskAssessed, TaskUnassigned, TaskWorkLogged, UpcastError, model_registry_stream,
};
pub use ids::{MemberId, MilestoneId, ProjectId, StreamId, TaskId};
pub use member::MemberState;
pub use namespace::{InvalidNamespace, Namespace};
pub use project::{Milestone, ProjectState, ProjectStatus};
pub use rejection::{Rejection, RejectionCode};
pub use schema::{
    command_example, command_schema, command_schema_file, event_example, event_schema,
    event_schema_file,
};
pub use state::{References, State, evolve, fold, reachable};
pub use task::{Move, TaskState, TaskStatus, next_status};
