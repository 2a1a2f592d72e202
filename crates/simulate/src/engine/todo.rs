//! Changes to tasks not started yet: re-estimates, new due dates, cancellations, dependencies.

use domain::TaskStatus;

use super::streams::Purpose;
use super::{Engine, Happening};
use crate::clock::{day_of, end_of_day, workday_at_or_after};
use crate::command::{Actor, Cmd};
use crate::words::{BLOCK_REASONS, CANCEL_REASONS};
use crate::world::round_estimate;

/// A planned change to a task, applied only if the task is still waiting to start then.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TodoChange {
    Estimate,
    DueDate,
    Cancel,
    AddDependency,
    RemoveDependency,
    /// Blocked before it starts (waiting on something), for a few days.
    Block,
    Unblock,
}

impl TodoChange {
    pub(super) fn index(self) -> u8 {
        match self {
            TodoChange::Estimate => 0,
            TodoChange::DueDate => 1,
            TodoChange::Cancel => 2,
            TodoChange::AddDependency => 3,
            TodoChange::RemoveDependency => 4,
            TodoChange::Block => 5,
            TodoChange::Unblock => 6,
        }
    }
}

/// Dependencies added later point to one of this many tasks created just before.
const ADDED_DEPENDENCY_WINDOW: usize = 15;

impl Engine {
    /// Decides at creation which changes a task will see, and when (days after creation).
    pub(super) fn schedule_todo_changes(&mut self, t: u32) {
        let task = &self.tasks[t as usize];
        let due = if task.due.is_some() { 0.05 } else { 0.0 };
        let deps = if task.deps.is_empty() { 0.0 } else { 0.06 };
        let plan = [
            (TodoChange::Estimate, 0.06, 1.0, 10.0),
            (TodoChange::DueDate, due, 2.0, 14.0),
            (TodoChange::Cancel, 0.035, 1.0, 30.0),
            (TodoChange::AddDependency, 0.03, 0.5, 5.0),
            (TodoChange::RemoveDependency, deps, 1.0, 7.0),
            (TodoChange::Block, 0.04, 0.5, 10.0),
        ];
        for (change, chance, from_days, to_days) in plan {
            if self.dice.chance(chance) {
                let days = self.dice.between(from_days, to_days);
                self.later(days * 24.0, Happening::Todo(t, change));
            }
        }
    }

    /// In a replay, each planned change draws from its own stream: whether it still applies
    /// depends on the play, and its draws must not shift the task's others.
    pub(super) fn todo_change(&mut self, t: u32, change: TodoChange) {
        self.keyed_task(t, Purpose::Change(change.index()), |engine| {
            engine.apply_todo_change(t, change)
        });
    }

    fn apply_todo_change(&mut self, t: u32, change: TodoChange) {
        let task = &self.tasks[t as usize];
        if let TodoChange::Unblock = change {
            if task.status == TaskStatus::Blocked && task.run.is_none() {
                self.tasks[t as usize].status = TaskStatus::Todo;
                self.emit(Actor::Planner, Cmd::Unblock(t));
                self.became_ready(t);
            }
            return;
        }
        if task.status != TaskStatus::Todo || task.run.is_some() {
            return;
        }
        let actor = task.assignee.map_or(Actor::Planner, Actor::Member);
        match change {
            TodoChange::Estimate => {
                let estimate = round_estimate(task.estimate * self.dice.log_normal(1.1, 0.35));
                if estimate != task.estimate {
                    self.tasks[t as usize].estimate = estimate;
                    self.emit(actor, Cmd::ChangeEstimate(t, estimate));
                }
            }
            TodoChange::DueDate => {
                let Some(due) = task.due else { return };
                let days = self.dice.int(2, 10);
                let due = end_of_day(workday_at_or_after(day_of(due) + days));
                self.dequeue(t);
                self.tasks[t as usize].due = Some(due);
                self.enqueue(t);
                self.emit(Actor::Planner, Cmd::ChangeDueDate(t, due));
            }
            TodoChange::Cancel => self.cancel_todo(t, actor),
            TodoChange::Block => {
                self.dequeue(t);
                self.tasks[t as usize].status = TaskStatus::Blocked;
                let reason = self.dice.index(BLOCK_REASONS.len()) as u8;
                self.emit(Actor::Planner, Cmd::Block(t, reason));
                let days = self.dice.between(1.0, 7.0);
                self.later(days * 24.0, Happening::Todo(t, TodoChange::Unblock));
            }
            TodoChange::Unblock => {}
            TodoChange::AddDependency => self.add_dependency(t),
            TodoChange::RemoveDependency => {
                if task.deps.is_empty() {
                    return;
                }
                let dep = task.deps[self.dice.index(task.deps.len())];
                let waited = !self.is_finished(dep);
                let task = &mut self.tasks[t as usize];
                task.deps.retain(|&d| d != dep);
                self.emit(actor, Cmd::RemoveDependency(t, dep));
                if waited {
                    self.tasks[t as usize].unfinished -= 1;
                    self.became_ready(t);
                }
            }
        }
    }

    fn cancel_todo(&mut self, t: u32, actor: Actor) {
        self.dequeue(t);
        let task = &mut self.tasks[t as usize];
        task.status = TaskStatus::Cancelled;
        if let Some(m) = task.assignee {
            self.members[m as usize].assigned_todo -= 1;
        }
        let reason = self.dice.index(CANCEL_REASONS.len()) as u8;
        self.emit(actor, Cmd::Cancel(t, reason));
        self.dependency_finished(t);
        self.untangle_dependents(t);
        self.close_task(t);
    }

    /// After a cancellation, some waiting tasks drop the dependency on it.
    pub(super) fn untangle_dependents(&mut self, t: u32) {
        let dependents = self.tasks[t as usize].dependents.clone();
        let mut removed = 0;
        for d in dependents {
            let task = &self.tasks[d as usize];
            let open = !matches!(task.status, TaskStatus::Done | TaskStatus::Cancelled);
            if removed < 2 && open && task.deps.contains(&t) && self.dice.chance(0.5) {
                self.tasks[d as usize].deps.retain(|&x| x != t);
                self.emit(Actor::Planner, Cmd::RemoveDependency(d, t));
                removed += 1;
            }
        }
    }

    /// A task learns that it must wait for an open task created a little before it.
    fn add_dependency(&mut self, t: u32) {
        let task = &self.tasks[t as usize];
        let earlier = &self.projects[task.project as usize].tasks[..task.ordinal as usize - 1];
        let window = &earlier[earlier.len().saturating_sub(ADDED_DEPENDENCY_WINDOW)..];
        if window.is_empty() {
            return;
        }
        let dep = window[self.dice.index(window.len())];
        let candidate = &self.tasks[dep as usize];
        if candidate.closed || candidate.status == TaskStatus::Cancelled || task.deps.contains(&dep)
        {
            return;
        }
        let waits = !self.is_finished(dep);
        self.dequeue(t);
        let task = &mut self.tasks[t as usize];
        task.deps.push(dep);
        if waits {
            task.unfinished += 1;
        }
        self.tasks[dep as usize].dependents.push(t);
        self.enqueue(t);
        self.emit(Actor::Planner, Cmd::AddDependency(t, dep));
    }
}
