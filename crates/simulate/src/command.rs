//! The commands the simulation emits, compact (indices into the world) until they are written out.

use domain::ProjectStatus;

/// One command, naming the world's members, projects and tasks by index.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Cmd {
    RegisterMember(u32),
    ChangeCapacity(u32, f64),
    /// Member, first and last day away (day numbers since the epoch).
    AddTimeOff(u32, i64, i64),
    CreateProject(u32),
    /// Project, index of its new name.
    RenameProject(u32, u8),
    AddMember(u32, u32),
    RemoveMember(u32, u32),
    AddMilestone(u32, u8),
    /// Project, milestone, new due day.
    MoveMilestone(u32, u8, i64),
    CompleteMilestone(u32, u8),
    ChangeStatus(u32, ProjectStatus),
    CreateTask(u32),
    Assign(u32, u32),
    Unassign(u32),
    Start(u32),
    /// Task, index of the reason.
    Block(u32, u8),
    Unblock(u32),
    Complete(u32),
    Reopen(u32, u8),
    Cancel(u32, u8),
    /// Task, hours, the member who did the work when named.
    LogWork(u32, f64, Option<u32>),
    ChangeEstimate(u32, f64),
    /// Task, new due time (seconds).
    ChangeDueDate(u32, i64),
    AddDependency(u32, u32),
    RemoveDependency(u32, u32),
}

/// Who sends a command: a member (by index) or the planner of the projects.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Actor {
    Member(u32),
    Planner,
}

/// A command at its business time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Emitted {
    pub(crate) at: i64,
    pub(crate) actor: Actor,
    pub(crate) cmd: Cmd,
}
