//! Writes the compact commands out as envelopes, with payloads built from the domain's own
//! command types, so their shape is the contract's by construction.

use chrono::SecondsFormat;
use domain::{
    AddMilestone, AddProjectMember, AddTimeOff, AssignTask, ChangeDueDate, ChangeEstimate,
    ChangeMemberCapacity, ChangeProjectStatus, Command, CompleteMilestone, CreateProject,
    CreateTask, LogWork, MemberId, MilestoneId, MoveMilestone, ProjectId, RegisterMember,
    RemoveProjectMember, RenameProject, TaskDependency, TaskId, TaskRef, TaskWithReason,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::clock::{day_of, to_date, to_datetime};
use crate::command::{Actor, Cmd, Emitted};
use crate::engine::Engine;
use crate::output::SimCommand;
use crate::random::Dice;
use crate::words::{self, BLOCK_REASONS, CANCEL_REASONS, REOPEN_REASONS};
use crate::world::{AREAS, Skills};

/// Below this many commands, one thread writes them all.
const COMMANDS_PER_THREAD: usize = 100_000;

/// Every emitted command as an envelope; command ids come from `dice`, in order. Big histories
/// are written by a few threads (most of the time goes to allocating the JSON values); the
/// result does not depend on how many.
pub(crate) fn write(engine: &Engine, dice: &mut Dice) -> Vec<SimCommand> {
    let ids: Vec<Uuid> = engine.emitted.iter().map(|_| dice.uuid()).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8)
        .min(engine.emitted.len() / COMMANDS_PER_THREAD)
        .max(1);
    let chunk = engine.emitted.len().div_ceil(threads).max(1);
    let write_chunk = |(emitted, ids): (&[Emitted], &[Uuid])| -> Vec<SimCommand> {
        emitted
            .iter()
            .zip(ids)
            .map(|(emitted, id)| envelope(engine, emitted, *id))
            .collect()
    };
    let chunks = engine.emitted.chunks(chunk).zip(ids.chunks(chunk));
    if threads == 1 {
        return chunks.flat_map(write_chunk).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .map(|chunk| scope.spawn(move || write_chunk(chunk)))
            .collect();
        let mut commands = Vec::with_capacity(engine.emitted.len());
        for handle in handles {
            // A panic in a writer is a bug here: pass it on.
            match handle.join() {
                Ok(part) => commands.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        commands
    })
}

fn envelope(engine: &Engine, emitted: &Emitted, command_id: Uuid) -> SimCommand {
    let command = command(engine, emitted.cmd);
    let command_type = command.command_type().as_str();
    let occurred_at = to_datetime(emitted.at);
    let actor = match emitted.actor {
        Actor::Member(m) => engine.members[m as usize].handle.clone(),
        Actor::Planner => "planner".to_owned(),
    };
    let mut map = Map::new();
    map.insert("command_id".into(), Value::String(command_id.to_string()));
    map.insert("type".into(), Value::String(command_type.to_owned()));
    map.insert("actor".into(), Value::String(actor));
    map.insert(
        "occurred_at".into(),
        Value::String(occurred_at.to_rfc3339_opts(SecondsFormat::Secs, true)),
    );
    map.insert("payload".into(), command.payload());
    SimCommand {
        occurred_at,
        command_type,
        command_id,
        envelope: Value::Object(map),
    }
}

fn role(skills: Skills) -> &'static str {
    match skills.list().first() {
        Some(2) => "frontend developer",
        Some(3) => "operations",
        Some(4) => "ml engineer",
        Some(5) => "designer",
        _ => "developer",
    }
}

/// The typed command an emitted one stands for.
fn command(engine: &Engine, cmd: Cmd) -> Command {
    let member = |m: u32| &engine.members[m as usize];
    let member_id = |m: u32| MemberId(member(m).id);
    let project = |p: u32| &engine.projects[p as usize];
    let project_id = |p: u32| ProjectId(project(p).id);
    let milestone = |p: u32, ms: u8| &project(p).milestones[usize::from(ms)];
    let milestone_id = |p: u32, ms: u8| MilestoneId(milestone(p, ms).id);
    let task_id = |t: u32| TaskId(engine.tasks[t as usize].id);
    let task_ref = |t: u32| TaskRef {
        task_id: task_id(t),
    };
    let because = |t: u32, reasons: &[&str], i: u8| TaskWithReason {
        task_id: task_id(t),
        reason: Some(reasons[usize::from(i)].to_owned()),
    };
    match cmd {
        Cmd::RegisterMember(m) => Command::RegisterMember(RegisterMember {
            member_id: member_id(m),
            name: member(m).name.clone(),
            skills: member(m).skills.names(),
            capacity_hours_per_week: member(m).registered_capacity,
        }),
        Cmd::ChangeCapacity(m, capacity) => Command::ChangeMemberCapacity(ChangeMemberCapacity {
            member_id: member_id(m),
            capacity_hours_per_week: capacity,
        }),
        Cmd::AddTimeOff(m, from, to) => Command::AddTimeOff(AddTimeOff {
            member_id: member_id(m),
            from: to_date(from),
            to: to_date(to),
        }),
        Cmd::CreateProject(p) => Command::CreateProject(CreateProject {
            project_id: project_id(p),
            name: project(p).names[0].clone(),
            start_date: to_date(day_of(project(p).start)),
            deadline: Some(to_date(project(p).deadline_day)),
        }),
        Cmd::RenameProject(p, i) => Command::RenameProject(RenameProject {
            project_id: project_id(p),
            name: project(p).names[usize::from(i)].clone(),
        }),
        Cmd::AddMember(p, m) => Command::AddProjectMember(AddProjectMember {
            project_id: project_id(p),
            member_id: member_id(m),
            role: Some(role(member(m).skills).to_owned()),
        }),
        Cmd::RemoveMember(p, m) => Command::RemoveProjectMember(RemoveProjectMember {
            project_id: project_id(p),
            member_id: member_id(m),
        }),
        Cmd::AddMilestone(p, ms) => Command::AddMilestone(AddMilestone {
            project_id: project_id(p),
            milestone_id: milestone_id(p, ms),
            name: milestone(p, ms).name.clone(),
            due_date: to_date(milestone(p, ms).planned_day),
        }),
        Cmd::MoveMilestone(p, ms, day) => Command::MoveMilestone(MoveMilestone {
            project_id: project_id(p),
            milestone_id: milestone_id(p, ms),
            due_date: to_date(day),
        }),
        Cmd::CompleteMilestone(p, ms) => Command::CompleteMilestone(CompleteMilestone {
            project_id: project_id(p),
            milestone_id: milestone_id(p, ms),
        }),
        Cmd::ChangeStatus(p, status) => Command::ChangeProjectStatus(ChangeProjectStatus {
            project_id: project_id(p),
            status,
        }),
        Cmd::CreateTask(t) => Command::CreateTask(create_task(engine, t)),
        Cmd::Assign(t, m) => Command::AssignTask(AssignTask {
            task_id: task_id(t),
            member_id: member_id(m),
        }),
        Cmd::Unassign(t) => Command::UnassignTask(task_ref(t)),
        Cmd::Start(t) => Command::StartTask(task_ref(t)),
        Cmd::Block(t, i) => Command::BlockTask(because(t, &BLOCK_REASONS, i)),
        Cmd::Unblock(t) => Command::UnblockTask(task_ref(t)),
        Cmd::Complete(t) => Command::CompleteTask(task_ref(t)),
        Cmd::Reopen(t, i) => Command::ReopenTask(because(t, &REOPEN_REASONS, i)),
        Cmd::Cancel(t, i) => Command::CancelTask(because(t, &CANCEL_REASONS, i)),
        Cmd::LogWork(t, hours, m) => Command::LogWork(LogWork {
            task_id: task_id(t),
            hours,
            member_id: m.map(member_id),
        }),
        Cmd::ChangeEstimate(t, estimate_hours) => Command::ChangeEstimate(ChangeEstimate {
            task_id: task_id(t),
            estimate_hours,
        }),
        Cmd::ChangeDueDate(t, due) => Command::ChangeDueDate(ChangeDueDate {
            task_id: task_id(t),
            due_date: to_datetime(due),
        }),
        Cmd::AddDependency(t, dep) => Command::AddDependency(TaskDependency {
            task_id: task_id(t),
            depends_on: task_id(dep),
        }),
        Cmd::RemoveDependency(t, dep) => Command::RemoveDependency(TaskDependency {
            task_id: task_id(t),
            depends_on: task_id(dep),
        }),
    }
}

/// `task.create` with the task as it was when created.
fn create_task(engine: &Engine, t: u32) -> CreateTask {
    let task = &engine.tasks[t as usize];
    let project = &engine.projects[task.project as usize];
    let mut labels = vec![task.label.as_str().to_owned()];
    labels.extend(task.area.map(|a| AREAS[usize::from(a)].to_owned()));
    CreateTask {
        task_id: TaskId(task.id),
        project_id: ProjectId(project.id),
        title: format!("{} #{}", words::title(task.label, task.title), task.ordinal),
        description: task
            .described
            .then(|| words::description(task.label, task.title)),
        estimate_hours: task.created_estimate,
        priority: task.priority,
        labels,
        skills: task.skills.names(),
        milestone_id: task
            .milestone
            .map(|ms| MilestoneId(project.milestones[usize::from(ms)].id)),
        due_date: task.created_due.map(to_datetime),
        depends_on: task
            .created_deps
            .iter()
            .map(|&d| TaskId(engine.tasks[d as usize].id))
            .collect(),
    }
}
