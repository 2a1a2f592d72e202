//! How task events change the feature state: the task, its assignee's workload, its project's
//! open tasks, and on completion every history the run belongs to.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use domain::{Event, MemberId, Move, ProjectId, TaskCreated, TaskId, TaskStatus};

use super::{deduplicated, member_entry, sane_hours};
use crate::calendar::{RunCalendar, WorkingHours};
use crate::history::{hours_between, log_overrun};
use crate::state::{Changes, FeatureState};
use crate::vector::{NO_TIME_OFF, next_time_off, share_of_skills};
use crate::view::{MemberView, TaskView, normalized};

/// What a task contributes to its assignee's workload and its project's open tasks.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Load {
    task: TaskId,
    project: ProjectId,
    member: Option<MemberId>,
    open: bool,
    done: bool,
    in_progress: bool,
    estimate_millis: i64,
    // The member's queue as the candidates carry it orders by these.
    priority: u8,
    due_date: Option<DateTime<Utc>>,
    started_at: Option<DateTime<Utc>>,
}

impl Load {
    fn of(task: &TaskView) -> Self {
        Load {
            task: task.id,
            project: task.project_id,
            member: task.assignee,
            open: task.is_open(),
            done: task.status == TaskStatus::Done,
            in_progress: task.status == TaskStatus::InProgress,
            estimate_millis: task.estimate_millis(),
            priority: task.priority,
            due_date: task.due_date,
            started_at: task.started_at,
        }
    }
}

/// A run that just completed, as the history records it.
struct CompletedRun {
    project: ProjectId,
    assignee: Option<MemberId>,
    labels: Vec<String>,
    cycle_hours: f64,
    overrun: f64,
    /// Completed after the due date in force at completion; `None` without one.
    late: Option<bool>,
    /// The assignee lacked a skill the task asks for; `None` without an assignee.
    lacked_skill: Option<bool>,
}

impl FeatureState {
    pub(super) fn create_task(
        &mut self,
        e: &TaskCreated,
        at: DateTime<Utc>,
        changes: &mut Changes,
    ) {
        if self.tasks.contains_key(&e.task_id) {
            return;
        }
        let depends_on: BTreeSet<TaskId> = e
            .depends_on
            .iter()
            .copied()
            .filter(|dep| *dep != e.task_id)
            .collect();
        for dep in &depends_on {
            if let Some(dep_task) = self.tasks.get_mut(dep) {
                dep_task.dependents.insert(e.task_id);
                changes.tasks.insert(*dep);
            }
        }
        let estimate_hours = sane_hours(e.estimate_hours);
        let task = TaskView {
            id: e.task_id,
            project_id: e.project_id,
            milestone_id: e.milestone_id,
            status: TaskStatus::Todo,
            blocked_from: None,
            assignee: None,
            estimate_hours,
            priority: e.priority,
            labels: deduplicated(normalized(&e.labels)),
            skills: deduplicated(normalized(&e.skills)),
            depends_on,
            dependents: BTreeSet::new(),
            due_date: e.due_date,
            created_at: at,
            started_at: None,
            estimate_at_start: estimate_hours,
            completed_at: None,
            logged_hours: 0.0,
            reopen_count: 0,
            due_date_changes: 0,
            estimate_changes: 0,
        };
        self.flows
            .entry(e.project_id)
            .or_default()
            .open_tasks
            .insert(e.task_id);
        self.tasks.insert(e.task_id, task);
        changes.tasks.insert(e.task_id);
    }

    pub(super) fn change_task(&mut self, event: &Event, at: DateTime<Utc>, changes: &mut Changes) {
        let Some(id) = changed_task(event) else {
            return;
        };
        let Some(task) = self.tasks.get_mut(&id) else {
            return;
        };
        let before = Load::of(task);
        let mut dependency = None;
        let changed = match event {
            Event::TaskAssigned(e) => task.assignee.replace(e.member_id) != Some(e.member_id),
            Event::TaskUnassigned(_) => task.assignee.take().is_some(),
            Event::TaskStarted(_) => task.take(Move::Start, at),
            Event::TaskBlocked(_) => task.take(Move::Block, at),
            Event::TaskUnblocked(_) => task.take(Move::Unblock, at),
            Event::TaskCompleted(_) => task.take(Move::Complete, at),
            Event::TaskReopened(_) => task.take(Move::Reopen, at),
            Event::TaskCancelled(_) => task.take(Move::Cancel, at),
            Event::TaskEstimateChanged(e) => {
                task.estimate_hours = sane_hours(e.estimate_hours);
                task.estimate_changes = task.estimate_changes.saturating_add(1);
                true
            }
            Event::TaskDueDateChanged(e) => {
                task.due_date = Some(e.due_date);
                task.due_date_changes = task.due_date_changes.saturating_add(1);
                true
            }
            Event::TaskDependencyAdded(e) => {
                let added = e.depends_on != id && task.depends_on.insert(e.depends_on);
                dependency = added.then_some((e.depends_on, true));
                added
            }
            Event::TaskDependencyRemoved(e) => {
                let removed = task.depends_on.remove(&e.depends_on);
                dependency = removed.then_some((e.depends_on, false));
                removed
            }
            Event::TaskWorkLogged(e) => {
                task.logged_hours += sane_hours(e.hours);
                true
            }
            _ => false,
        };
        if !changed {
            return;
        }
        changes.tasks.insert(id);
        let after = Load::of(task);
        if (before.open, before.done) != (after.open, after.done) {
            changes.tasks.extend(task.dependents.iter().copied());
            changes.tasks.extend(task.depends_on.iter().copied());
        }
        let completed = matches!(event, Event::TaskCompleted(_)).then(|| {
            let assignee = task.assignee.and_then(|m| self.members.get(&m));
            CompletedRun::of(task, assignee, at)
        });
        self.move_load(before, after, changes);
        if let Some((dep, added)) = dependency
            && let Some(dep_task) = self.tasks.get_mut(&dep)
        {
            if added {
                dep_task.dependents.insert(id);
            } else {
                dep_task.dependents.remove(&id);
            }
            changes.tasks.insert(dep);
        }
        if let Some(run) = completed {
            self.record(run, at, changes);
        }
    }

    /// Moves a task's contribution from what it was to what it is.
    fn move_load(&mut self, before: Load, after: Load, changes: &mut Changes) {
        if before == after {
            return;
        }
        if before.open != after.open {
            let open_tasks = &mut self.flows.entry(after.project).or_default().open_tasks;
            if after.open {
                open_tasks.insert(after.task);
            } else {
                open_tasks.remove(&after.task);
            }
        }
        for (load, sign) in [(before, -1), (after, 1)] {
            let Some(member_id) = load.member.filter(|_| load.open) else {
                continue;
            };
            let member = member_entry(&mut self.members, member_id);
            if sign > 0 {
                member.open_tasks.insert(load.task);
            } else {
                member.open_tasks.remove(&load.task);
            }
            let in_progress = u32::from(load.in_progress);
            member.in_progress_tasks = if sign > 0 {
                member.in_progress_tasks.saturating_add(in_progress)
            } else {
                member.in_progress_tasks.saturating_sub(in_progress)
            };
            member.open_estimate_millis += sign * load.estimate_millis;
            changes.members.insert(member_id);
        }
    }

    /// A completed run enters the history of its project, its assignee, its labels and the log.
    fn record(&mut self, run: CompletedRun, at: DateTime<Utc>, changes: &mut Changes) {
        let clock = self.clock.unwrap_or(at);
        self.flows.entry(run.project).or_default().complete(
            at,
            clock,
            run.cycle_hours,
            run.overrun,
        );
        self.overrun.add(run.overrun);
        match run.lacked_skill {
            Some(true) => self.lacking_skill_overrun.add(run.overrun),
            Some(false) => self.full_skill_overrun.add(run.overrun),
            None => {}
        }
        self.cycles.push(run.cycle_hours);
        if let Some(member_id) = run.assignee {
            let history = &mut member_entry(&mut self.members, member_id).history;
            history.completed = history.completed.saturating_add(1);
            if let Some(late) = run.late {
                history.with_due_date = history.with_due_date.saturating_add(1);
                history.late = history.late.saturating_add(u32::from(late));
            }
            history.overrun.add(run.overrun);
            changes.members.insert(member_id);
        }
        for label in run.labels {
            self.labels.entry(label).or_default().add(run.overrun);
        }
        changes.projects.insert(run.project);
    }
}

impl CompletedRun {
    /// The overrun compares the estimate with the working hours of the run (its assignee's
    /// calendar), which is what the estimate is in; the cycle time stays elapsed.
    fn of(task: &TaskView, assignee: Option<&MemberView>, at: DateTime<Utc>) -> Self {
        let cycle_hours = task
            .started_at
            .map_or(0.0, |start| hours_between(start, at).max(0.0));
        let working_hours = task.started_at.map_or(0.0, |start| {
            let time_off = assignee.map_or(NO_TIME_OFF, |m| next_time_off(m, start));
            RunCalendar::starting(WorkingHours::default(), start, time_off)
                .working_hours(cycle_hours)
        });
        CompletedRun {
            project: task.project_id,
            assignee: task.assignee,
            labels: task.labels.clone(),
            cycle_hours,
            overrun: log_overrun(working_hours, task.estimate_at_start),
            late: task.due_date.map(|due| at > due),
            lacked_skill: assignee
                .map(|m| share_of_skills(&task.skills, |skill| m.skills.contains(skill)) < 1.0),
        }
    }
}

impl TaskView {
    /// Takes a step of the state machine, as `domain` does; false when it is forbidden.
    fn take(&mut self, step: Move, at: DateTime<Utc>) -> bool {
        let Some(next) = self.after(step) else {
            return false;
        };
        self.blocked_from = (next == TaskStatus::Blocked).then_some(self.status);
        self.status = next;
        match step {
            Move::Start => {
                self.started_at = Some(at);
                self.estimate_at_start = self.estimate_hours;
                self.completed_at = None;
            }
            Move::Complete => self.completed_at = Some(at),
            Move::Reopen => {
                self.reopen_count = self.reopen_count.saturating_add(1);
                self.started_at = None;
                self.completed_at = None;
            }
            Move::Block | Move::Unblock | Move::Cancel => {}
        }
        true
    }
}

/// The task a task event (other than creation) changes.
fn changed_task(event: &Event) -> Option<TaskId> {
    Some(match event {
        Event::TaskAssigned(e) => e.task_id,
        Event::TaskUnassigned(e) => e.task_id,
        Event::TaskStarted(e) | Event::TaskUnblocked(e) | Event::TaskCompleted(e) => e.task_id,
        Event::TaskBlocked(e) | Event::TaskReopened(e) | Event::TaskCancelled(e) => e.task_id,
        Event::TaskEstimateChanged(e) => e.task_id,
        Event::TaskDueDateChanged(e) => e.task_id,
        Event::TaskDependencyAdded(e) | Event::TaskDependencyRemoved(e) => e.task_id,
        Event::TaskWorkLogged(e) => e.task_id,
        _ => return None,
    })
}
