//! The task aggregate's decisions: creation, the state machine, assignment, dependencies, work.

use std::collections::BTreeSet;

use crate::command::{AssignTask, Command, CreateTask, TaskDependency, TaskWithReason};
use crate::event::{
    Event, TaskAssigned, TaskChanged, TaskChangedBecause, TaskCreated, TaskDependencyChanged,
    TaskDueDateChanged, TaskEstimateChanged, TaskUnassigned, TaskWorkLogged,
};
use crate::ids::TaskId;
use crate::limits::MAX_DEPENDENCIES;
use crate::rejection::Rejection;
use crate::state::{References, reachable};
use crate::task::{Move, TaskState, TaskStatus};

const TASK: &str = "payload.task_id";
const DEPENDS_ON: &str = "payload.depends_on";
const MEMBER: &str = "payload.member_id";

/// `task.create` on a stream with no task yet; `refs` holds the project and the dependencies.
pub(crate) fn create(c: &CreateTask, refs: &References) -> Result<Vec<Event>, Rejection> {
    let project = refs.project(c.project_id).ok_or_else(|| {
        Rejection::not_found(
            "payload.project_id",
            format!("project {} does not exist", c.project_id),
        )
    })?;
    if project.is_closed() {
        return Err(Rejection::transition(
            "payload.project_id",
            format!(
                "cannot create a task in project {}: it is closed",
                project.id
            ),
        ));
    }
    if let Some(milestone) = c
        .milestone_id
        .filter(|m| !project.milestones.contains_key(m))
    {
        return Err(Rejection::not_found(
            "payload.milestone_id",
            format!(
                "milestone {milestone} does not exist in project {}",
                project.id
            ),
        ));
    }
    let depends_on: BTreeSet<TaskId> = c.depends_on.iter().copied().collect();
    for dep in &depends_on {
        let task = refs.task(*dep).ok_or_else(|| {
            Rejection::not_found(DEPENDS_ON, format!("task {dep} does not exist"))
        })?;
        if task.project_id != c.project_id {
            return Err(Rejection::invalid(
                DEPENDS_ON,
                format!("task {dep} belongs to another project"),
            ));
        }
    }
    Ok(vec![Event::TaskCreated(TaskCreated {
        task_id: c.task_id,
        project_id: c.project_id,
        title: c.title.clone(),
        description: c.description.clone(),
        estimate_hours: c.estimate_hours,
        priority: c.priority,
        labels: c.labels.clone(),
        skills: c.skills.clone(),
        milestone_id: c.milestone_id,
        due_date: c.due_date,
        depends_on: depends_on.into_iter().collect(),
    })])
}

/// Decides a command on an existing task.
pub(crate) fn decide(
    command: &Command,
    task: &TaskState,
    refs: &References,
) -> Result<Vec<Event>, Rejection> {
    let ids = TaskChanged {
        task_id: task.id,
        project_id: task.project_id,
    };
    let event = match command {
        Command::StartTask(_) => step(task, Move::Start).map(|()| Event::TaskStarted(ids))?,
        Command::BlockTask(c) => {
            step(task, Move::Block).map(|()| Event::TaskBlocked(because(task, c)))?
        }
        Command::UnblockTask(_) => step(task, Move::Unblock).map(|()| Event::TaskUnblocked(ids))?,
        Command::CompleteTask(_) => {
            step(task, Move::Complete).map(|()| Event::TaskCompleted(ids))?
        }
        Command::ReopenTask(c) => {
            step(task, Move::Reopen).map(|()| Event::TaskReopened(because(task, c)))?
        }
        Command::CancelTask(c) => {
            step(task, Move::Cancel).map(|()| Event::TaskCancelled(because(task, c)))?
        }
        Command::AssignTask(c) => assign(task, c, refs)?,
        Command::UnassignTask(_) => {
            still_open(task, "unassign")?;
            let member_id = task.assignee.ok_or_else(|| {
                Rejection::transition(TASK, "cannot unassign a task that has no assignee")
            })?;
            Event::TaskUnassigned(TaskUnassigned {
                task_id: task.id,
                project_id: task.project_id,
                member_id,
            })
        }
        Command::LogWork(c) => {
            // Work may be logged late on a done task; a cancelled one was never worked to the end.
            if task.status == TaskStatus::Cancelled {
                return Err(Rejection::transition(
                    TASK,
                    "cannot log work on a task that is cancelled",
                ));
            }
            if let Some(member) = c.member_id.filter(|m| refs.member(*m).is_none()) {
                return Err(Rejection::not_found(
                    MEMBER,
                    format!("member {member} is not registered"),
                ));
            }
            Event::TaskWorkLogged(TaskWorkLogged {
                task_id: task.id,
                project_id: task.project_id,
                hours: c.hours,
                member_id: c.member_id,
            })
        }
        Command::ChangeEstimate(c) => {
            still_open(task, "change the estimate of")?;
            Event::TaskEstimateChanged(TaskEstimateChanged {
                task_id: task.id,
                project_id: task.project_id,
                estimate_hours: c.estimate_hours,
            })
        }
        Command::ChangeDueDate(c) => {
            still_open(task, "change the due date of")?;
            Event::TaskDueDateChanged(TaskDueDateChanged {
                task_id: task.id,
                project_id: task.project_id,
                due_date: c.due_date,
            })
        }
        Command::AddDependency(c) => add_dependency(task, c, refs)?,
        Command::RemoveDependency(c) => {
            still_open(task, "remove a dependency from")?;
            if !task.depends_on.contains(&c.depends_on) {
                return Err(Rejection::not_found(
                    DEPENDS_ON,
                    format!("task {} does not depend on task {}", task.id, c.depends_on),
                ));
            }
            Event::TaskDependencyRemoved(dependency(task, c))
        }
        other => return Err(crate::decide::not_found_target(other)),
    };
    Ok(vec![event])
}

fn step(task: &TaskState, step: Move) -> Result<(), Rejection> {
    match task.after(step) {
        Some(_) => Ok(()),
        None => Err(Rejection::transition(
            TASK,
            format!(
                "cannot {} a task that is {}",
                step.as_str(),
                task.status.as_str()
            ),
        )),
    }
}

/// Done and cancelled tasks keep their plan as it was.
fn still_open(task: &TaskState, verb: &str) -> Result<(), Rejection> {
    if task.status.is_closed() {
        return Err(Rejection::transition(
            TASK,
            format!("cannot {verb} a task that is {}", task.status.as_str()),
        ));
    }
    Ok(())
}

fn because(task: &TaskState, c: &TaskWithReason) -> TaskChangedBecause {
    TaskChangedBecause {
        task_id: task.id,
        project_id: task.project_id,
        reason: c.reason.clone(),
    }
}

fn dependency(task: &TaskState, c: &TaskDependency) -> TaskDependencyChanged {
    TaskDependencyChanged {
        task_id: task.id,
        project_id: task.project_id,
        depends_on: c.depends_on,
    }
}

fn assign(task: &TaskState, c: &AssignTask, refs: &References) -> Result<Event, Rejection> {
    still_open(task, "assign")?;
    if task.assignee == Some(c.member_id) {
        return Err(Rejection::transition(
            MEMBER,
            "the task is already assigned to this member",
        ));
    }
    if refs.member(c.member_id).is_none() {
        return Err(Rejection::not_found(
            MEMBER,
            format!("member {} is not registered", c.member_id),
        ));
    }
    let project = refs.project(task.project_id).ok_or_else(|| {
        Rejection::not_found(
            TASK,
            format!("project {} of the task does not exist", task.project_id),
        )
    })?;
    if !project.members.contains_key(&c.member_id) {
        return Err(Rejection::invalid(
            MEMBER,
            format!(
                "member {} is not a member of project {}",
                c.member_id, project.id
            ),
        ));
    }
    Ok(Event::TaskAssigned(TaskAssigned {
        task_id: task.id,
        project_id: task.project_id,
        member_id: c.member_id,
    }))
}

/// `refs` must hold the dependency and, transitively, every task it depends on.
fn add_dependency(
    task: &TaskState,
    c: &TaskDependency,
    refs: &References,
) -> Result<Event, Rejection> {
    still_open(task, "add a dependency to")?;
    let dep = refs.task(c.depends_on).ok_or_else(|| {
        Rejection::not_found(DEPENDS_ON, format!("task {} does not exist", c.depends_on))
    })?;
    if dep.project_id != task.project_id {
        return Err(Rejection::invalid(
            DEPENDS_ON,
            format!("task {} belongs to another project", dep.id),
        ));
    }
    if task.depends_on.contains(&dep.id) {
        return Err(Rejection::invalid(
            DEPENDS_ON,
            format!("task {} already depends on task {}", task.id, dep.id),
        ));
    }
    if task.depends_on.len() >= MAX_DEPENDENCIES as usize {
        return Err(Rejection::invalid(
            DEPENDS_ON,
            format!("a task can depend on at most {MAX_DEPENDENCIES} tasks"),
        ));
    }
    if reachable(dep.id, task.id, refs) {
        return Err(Rejection::invalid(
            DEPENDS_ON,
            format!(
                "dependency cycle: task {} already waits for task {}",
                dep.id, task.id
            ),
        ));
    }
    Ok(Event::TaskDependencyAdded(dependency(task, c)))
}
