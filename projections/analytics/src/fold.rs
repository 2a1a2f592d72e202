//! The pure fold of a batch: the rows it touches, loaded beforehand, changed in memory, plus the
//! transitions and scope changes it appends. No I/O here; `apply` loads and saves.

mod task;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use consumer::LoggedEvent;
use domain::Event;
use uuid::Uuid;

use crate::model::{MemberRow, MilestoneRow, ProjectRow, ScopeChange, TaskRow, Transition};

/// The keys of the rows a batch reads or changes, to load them in one query per table.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Keys {
    pub tasks: Vec<Uuid>,
    pub projects: Vec<Uuid>,
    pub members: Vec<Uuid>,
    /// (project, milestone) pairs.
    pub milestones: Vec<(Uuid, Uuid)>,
}

pub(crate) fn keys(events: &[LoggedEvent]) -> Keys {
    let (mut tasks, mut projects, mut members, mut milestones) = (
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
        BTreeSet::new(),
    );
    for logged in events {
        match &logged.event {
            Event::ProjectCreated(e) => _ = projects.insert(e.project_id.0),
            Event::ProjectRenamed(e) => _ = projects.insert(e.project_id.0),
            Event::MilestoneAdded(e) => _ = milestones.insert((e.project_id.0, e.milestone_id.0)),
            Event::MilestoneMoved(e) => _ = milestones.insert((e.project_id.0, e.milestone_id.0)),
            Event::MilestoneCompleted(e) => {
                _ = milestones.insert((e.project_id.0, e.milestone_id.0))
            }
            Event::MemberRegistered(e) => _ = members.insert(e.member_id.0),
            Event::MemberCapacityChanged(e) => _ = members.insert(e.member_id.0),
            event => {
                if let Some(id) = task::task_of(event) {
                    tasks.insert(id);
                }
            }
        }
    }
    Keys {
        tasks: tasks.into_iter().collect(),
        projects: projects.into_iter().collect(),
        members: members.into_iter().collect(),
        milestones: milestones.into_iter().collect(),
    }
}

/// The rows of a batch, before and while folding. Maps are ordered so that writes are too.
#[derive(Debug, Default)]
pub(crate) struct Fold {
    tasks: BTreeMap<Uuid, TaskRow>,
    projects: BTreeMap<Uuid, ProjectRow>,
    members: BTreeMap<Uuid, MemberRow>,
    milestones: BTreeMap<(Uuid, Uuid), MilestoneRow>,
    changed_tasks: BTreeSet<Uuid>,
    /// Tasks created in this batch: inserted, where the others are updated.
    created_tasks: BTreeSet<Uuid>,
    changed_projects: BTreeSet<Uuid>,
    changed_members: BTreeSet<Uuid>,
    changed_milestones: BTreeSet<(Uuid, Uuid)>,
    transitions: Vec<Transition>,
    scope: Vec<ScopeChange>,
}

/// What a folded batch writes: changed rows (whole) and appended facts.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Changes {
    /// Tasks created by the batch.
    pub new_tasks: Vec<TaskRow>,
    /// Tasks that existed before the batch and changed.
    pub tasks: Vec<TaskRow>,
    pub projects: Vec<ProjectRow>,
    pub members: Vec<MemberRow>,
    pub milestones: Vec<MilestoneRow>,
    pub transitions: Vec<Transition>,
    pub scope: Vec<ScopeChange>,
}

impl Fold {
    /// Starts from the rows currently stored for the batch's keys.
    pub fn new(
        tasks: Vec<TaskRow>,
        projects: Vec<ProjectRow>,
        members: Vec<MemberRow>,
        milestones: Vec<MilestoneRow>,
    ) -> Self {
        Fold {
            tasks: tasks.into_iter().map(|t| (t.id, t)).collect(),
            projects: projects.into_iter().map(|p| (p.id, p)).collect(),
            members: members.into_iter().map(|m| (m.id, m)).collect(),
            milestones: milestones
                .into_iter()
                .map(|m| ((m.project_id, m.id), m))
                .collect(),
            ..Fold::default()
        }
    }

    /// Folds one event in; events about rows never seen, or of no interest, change nothing.
    pub fn apply(&mut self, position: i64, at: DateTime<Utc>, event: &Event) {
        match event {
            Event::ProjectCreated(e) => {
                let row = ProjectRow {
                    id: e.project_id.0,
                    name: e.name.clone(),
                    start_date: e.start_date,
                    deadline: e.deadline,
                };
                self.projects.entry(row.id).or_insert(row);
                self.changed_projects.insert(e.project_id.0);
            }
            Event::ProjectRenamed(e) => {
                if let Some(project) = self.projects.get_mut(&e.project_id.0) {
                    project.name.clone_from(&e.name);
                    self.changed_projects.insert(project.id);
                }
            }
            Event::MilestoneAdded(e) => {
                let key = (e.project_id.0, e.milestone_id.0);
                let row = MilestoneRow {
                    project_id: key.0,
                    id: key.1,
                    name: e.name.clone(),
                    due_date: e.due_date,
                    completed_at: None,
                };
                self.milestones.entry(key).or_insert(row);
                self.changed_milestones.insert(key);
            }
            Event::MilestoneMoved(e) => self.milestone(e.project_id.0, e.milestone_id.0, |m| {
                m.due_date = e.due_date
            }),
            Event::MilestoneCompleted(e) => self.milestone(e.project_id.0, e.milestone_id.0, |m| {
                m.completed_at = Some(at)
            }),
            Event::MemberRegistered(e) => {
                let row = MemberRow {
                    id: e.member_id.0,
                    name: e.name.clone(),
                    capacity_hours_per_week: e.capacity_hours_per_week,
                };
                self.members.entry(row.id).or_insert(row);
                self.changed_members.insert(e.member_id.0);
            }
            Event::MemberCapacityChanged(e) => {
                if let Some(member) = self.members.get_mut(&e.member_id.0) {
                    member.capacity_hours_per_week = e.capacity_hours_per_week;
                    self.changed_members.insert(member.id);
                }
            }
            event => self.apply_task(position, at, event),
        }
    }

    fn milestone(&mut self, project: Uuid, id: Uuid, change: impl FnOnce(&mut MilestoneRow)) {
        if let Some(milestone) = self.milestones.get_mut(&(project, id)) {
            change(milestone);
            self.changed_milestones.insert((project, id));
        }
    }

    pub fn into_changes(mut self) -> Changes {
        let (new_tasks, tasks) = self
            .changed_tasks
            .iter()
            .filter_map(|id| self.tasks.remove(id))
            .partition(|task| self.created_tasks.contains(&task.id));
        Changes {
            new_tasks,
            tasks,
            projects: self
                .changed_projects
                .iter()
                .filter_map(|id| self.projects.remove(id))
                .collect(),
            members: self
                .changed_members
                .iter()
                .filter_map(|id| self.members.remove(id))
                .collect(),
            milestones: self
                .changed_milestones
                .iter()
                .filter_map(|key| self.milestones.remove(key))
                .collect(),
            transitions: self.transitions,
            scope: self.scope,
        }
    }
}

/// Folds a whole batch over the rows loaded for it.
pub(crate) fn fold_batch(fold: Fold, events: &[LoggedEvent]) -> Changes {
    let mut fold = fold;
    for logged in events {
        fold.apply(
            logged.recorded.global_position,
            logged.recorded.occurred_at,
            &logged.event,
        );
    }
    fold.into_changes()
}

#[cfg(test)]
mod tests;
