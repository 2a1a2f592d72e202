//! What the feature worker folds: the training log, and which rows of the feature store each
//! event changed, each computed exactly as it stood right after the last event that changed it.
//!
//! # Why as of the last change, not as of the batch
//!
//! A row must not depend on how the log was cut into batches, or a rebuild (one batch size) and
//! the live worker (whatever the broker delivered) would disagree. So a task row holds the
//! features as of the business time of the last event that changed them (`as_of`, the fold's
//! clock then), with the state as it was right after that event.
//!
//! Computing every changed row after every event would cost a whole project's open tasks per
//! completion. Instead each event stamps what it changed (tasks, members, projects, in the order
//! of the log), and the end of a batch widens the stamps to tasks once, each task taking its
//! latest stamp, and computes each task once. That gives the rows of the last change as long as
//! nothing a row reads changed since without a stamp reaching it: every change the fold notes
//! ([`Changes`]) stamps, this fold adds the candidates' side (below), and the log-wide
//! statistics a completion moves silently are set back to the row's generation for it
//! (`serving/generations.rs`). A closed task is computed at once: it leaves the open sets the
//! stamps widen to, yet its features still read its assignee's workload.
//!
//! Besides what [`Changes`] names, an event changes:
//! - the candidates of every open unassigned task of a project whose members change, or one of
//!   whose members' workload, capacity or history changes;
//! - the context of a project whose plan (creation, milestones) or members change;
//! - every open task's time-based features, which drift: all are computed again when the
//!   business time enters a new day (UTC).
//!
//! A stamp widens, at the end of the batch, to the open sets as they are then: a task that
//! entered such a set later was named by the event that put it there, with a later stamp.

mod generations;
mod rows;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use domain::{Event, MemberId, Move, ProjectId, TaskId};
use uuid::Uuid;

use self::generations::Generations;
use self::rows::{project_context, task_row};
use crate::store::{CandidateFeatures, ProjectContext, TaskContext};
use crate::{Changes, FeatureState, Sample, TrainingLog};

/// A row of `feature_tasks` before the batch's `seq` is known.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TaskRow {
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub open: bool,
    pub as_of: DateTime<Utc>,
    pub features: Vec<f64>,
    pub context: TaskContext,
    pub candidates: Vec<CandidateFeatures>,
}

/// What a batch changed, ready to write: tasks and projects by id, samples in completion order.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Changed {
    pub tasks: Vec<TaskRow>,
    pub projects: Vec<(Uuid, ProjectContext)>,
    pub samples: Vec<Sample>,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.projects.is_empty() && self.samples.is_empty()
    }
}

/// When an event changed something: its place in the log, the fold's clock after it, and the
/// generation of the log-wide statistics it saw.
#[derive(Clone, Copy, Debug)]
struct Stamp {
    order: u64,
    as_of: DateTime<Utc>,
    generation: usize,
}

/// The training log and the rows it changed since they were last taken.
#[derive(Debug, Default)]
pub(crate) struct Serving {
    log: TrainingLog,
    /// Reused for every event.
    changes: Changes,
    /// Events folded: the order of stamps.
    folded: u64,
    /// The projects each member belongs to, as the state says.
    member_projects: HashMap<MemberId, BTreeSet<ProjectId>>,
    /// Open tasks without an assignee, per project: those that carry candidates.
    unassigned: HashMap<ProjectId, BTreeSet<TaskId>>,
    /// Every project a creation or a task named: where open tasks are looked for.
    projects: BTreeSet<ProjectId>,
    /// What changed since the rows were last taken, with the latest stamp of each: open tasks;
    /// members (their open tasks, and the candidates in their projects); projects' open tasks;
    /// projects' candidates; every open task.
    tasks: HashMap<TaskId, Stamp>,
    members: HashMap<MemberId, Stamp>,
    project_tasks: HashMap<ProjectId, Stamp>,
    project_candidates: HashMap<ProjectId, Stamp>,
    all_open: Option<Stamp>,
    generations: Generations,
    /// Rows computed since they were last taken (closed tasks, at once).
    rows: BTreeMap<TaskId, TaskRow>,
    dirty_projects: BTreeSet<ProjectId>,
}

impl Serving {
    /// Folds the next event of the log (in log order) and stamps what it changed.
    pub fn observe(&mut self, event: &Event, occurred_at: DateTime<Utc>, global_position: i64) {
        if let Event::TaskCompleted(e) = event
            && let Some(task) = self.log.state().task(e.task_id)
            && task.after(Move::Complete).is_some()
        {
            self.generations.completing(self.log.state(), &task.labels);
        }
        let before = self.log.state().clock();
        self.changes.clear();
        self.log
            .observe_noting(event, occurred_at, global_position, &mut self.changes);
        self.folded += 1;
        let state = self.log.state();
        let stamp = Stamp {
            order: self.folded,
            as_of: state.clock().unwrap_or(occurred_at),
            generation: self.generations.current(),
        };

        for id in &self.changes.tasks {
            let Some(task) = state.task(*id) else {
                continue;
            };
            self.projects.insert(task.project_id);
            let unassigned = self.unassigned.entry(task.project_id).or_default();
            if task.is_open() && task.assignee.is_none() {
                unassigned.insert(task.id);
            } else {
                unassigned.remove(&task.id);
            }
            if task.is_open() {
                self.tasks.insert(task.id, stamp);
            } else {
                self.tasks.remove(&task.id);
                self.rows
                    .insert(task.id, task_row(state, task, stamp.as_of));
            }
        }
        match event {
            Event::MemberJoinedProject(e) => {
                joined(&mut self.member_projects, state, e.member_id, e.project_id);
                self.project_candidates.insert(e.project_id, stamp);
                self.dirty_projects.insert(e.project_id);
            }
            Event::MemberLeftProject(e) => {
                joined(&mut self.member_projects, state, e.member_id, e.project_id);
                self.project_candidates.insert(e.project_id, stamp);
                self.dirty_projects.insert(e.project_id);
            }
            Event::ProjectCreated(e) => {
                self.projects.insert(e.project_id);
                self.dirty_projects.insert(e.project_id);
            }
            Event::MilestoneAdded(_) | Event::MilestoneMoved(_) | Event::MilestoneCompleted(_) => {
                self.dirty_projects.extend(event.project_id());
            }
            _ => {}
        }
        for member in &self.changes.members {
            self.members.insert(*member, stamp);
            if let Some(projects) = self.member_projects.get(member) {
                self.dirty_projects.extend(projects.iter().copied());
            }
        }
        for project in &self.changes.projects {
            self.project_tasks.insert(*project, stamp);
        }
        if before.is_some_and(|before| before.date_naive() < stamp.as_of.date_naive()) {
            self.all_open = Some(stamp);
        }
    }

    /// The rows changed since the last call, and the samples completed meanwhile.
    pub fn take_changed(&mut self) -> Changed {
        let latest = self.latest_stamps();
        let mut by_generation: BTreeMap<usize, Vec<(TaskId, DateTime<Utc>)>> = BTreeMap::new();
        for (task, stamp) in latest {
            by_generation
                .entry(stamp.generation)
                .or_default()
                .push((task, stamp.as_of));
        }
        let rows = &mut self.rows;
        self.generations
            .each_newest_first(self.log.state_mut(), |state, generation| {
                for (id, as_of) in by_generation.remove(&generation).unwrap_or_default() {
                    if let Some(task) = state.task(id) {
                        rows.insert(id, task_row(state, task, as_of));
                    }
                }
            });
        let state = self.log.state();
        let projects = std::mem::take(&mut self.dirty_projects)
            .into_iter()
            .filter_map(|id| Some((id.0, project_context(state, id)?)))
            .collect();
        Changed {
            tasks: std::mem::take(&mut self.rows).into_values().collect(),
            projects,
            samples: self.log.take_samples(),
        }
    }

    /// Forgets what changed: the store already holds it (a catch-up over a range someone else
    /// wrote, or the fold rebuilt up to a batch).
    pub fn discard_changed(&mut self) {
        self.tasks.clear();
        self.members.clear();
        self.project_tasks.clear();
        self.project_candidates.clear();
        self.all_open = None;
        self.generations.clear();
        self.rows.clear();
        self.dirty_projects.clear();
        self.log.take_samples();
    }

    /// Widens the stamps to the open tasks they reach now, each with its latest stamp, and
    /// clears them.
    fn latest_stamps(&mut self) -> HashMap<TaskId, Stamp> {
        let state = self.log.state();
        let mut latest = std::mem::take(&mut self.tasks);
        let mut reach = |tasks: &mut dyn Iterator<Item = TaskId>, stamp: Stamp| {
            for task in tasks {
                let entry = latest.entry(task).or_insert(stamp);
                if entry.order < stamp.order {
                    *entry = stamp;
                }
            }
        };
        let unassigned = |project: &ProjectId| self.unassigned.get(project).into_iter().flatten();
        for (member, stamp) in self.members.drain() {
            if let Some(view) = state.member(member) {
                reach(&mut view.open_tasks.iter().copied(), stamp);
            }
            for project in self.member_projects.get(&member).into_iter().flatten() {
                reach(&mut unassigned(project).copied(), stamp);
            }
        }
        for (project, stamp) in self.project_tasks.drain() {
            reach(
                &mut state.open_tasks_of_project(project).map(|t| t.id),
                stamp,
            );
        }
        for (project, stamp) in self.project_candidates.drain() {
            reach(&mut unassigned(&project).copied(), stamp);
        }
        if let Some(stamp) = self.all_open.take() {
            for project in &self.projects {
                reach(
                    &mut state.open_tasks_of_project(*project).map(|t| t.id),
                    stamp,
                );
            }
        }
        latest.retain(|task, _| state.task(*task).is_some_and(|t| t.is_open()));
        latest
    }
}

/// Updates the member's projects after they joined or left `project`.
fn joined(
    member_projects: &mut HashMap<MemberId, BTreeSet<ProjectId>>,
    state: &FeatureState,
    member: MemberId,
    project: ProjectId,
) {
    let is_member = state
        .project(project)
        .is_some_and(|p| p.members.contains_key(&member));
    let projects = member_projects.entry(member).or_default();
    if is_member {
        projects.insert(project);
    } else {
        projects.remove(&project);
    }
}

#[cfg(test)]
mod tests;
