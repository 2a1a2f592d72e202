//! The feature state: everything the features need, folded from the log in log order, and the
//! read access the prediction worker needs.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use domain::{Event, MemberId, ProjectId, TaskId};

use crate::history::{
    CycleWindow, DEFAULT_CYCLE_P85_HOURS, OVERRUN_PRIOR_WEIGHT, OverrunStats, ProjectFlow,
};
use crate::view::{MemberView, ProjectView, TaskView};

/// Folds the log incrementally. Every event costs O(1) amortised besides the tasks it names
/// (dependencies, labels); nothing is recomputed over the whole history.
#[derive(Clone, Debug, Default)]
pub struct FeatureState {
    pub(crate) tasks: HashMap<TaskId, TaskView>,
    pub(crate) members: HashMap<MemberId, MemberView>,
    pub(crate) projects: HashMap<ProjectId, ProjectView>,
    pub(crate) flows: HashMap<ProjectId, ProjectFlow>,
    /// Overruns per (normalized) label.
    pub(crate) labels: HashMap<String, OverrunStats>,
    /// Overruns of every completed run: the prior the other means shrink toward.
    pub(crate) overrun: OverrunStats,
    /// Overruns of the completed runs whose assignee lacked a skill the task asked for, and of
    /// those whose assignee had them all.
    pub(crate) lacking_skill_overrun: OverrunStats,
    pub(crate) full_skill_overrun: OverrunStats,
    /// Cycle times of every project: the prior of a project with too few of its own.
    pub(crate) cycles: CycleWindow,
    /// The latest business time folded.
    pub(crate) clock: Option<DateTime<Utc>>,
}

/// What events changed: the tasks they named, and the members and projects whose open tasks read
/// what changed. [`FeatureState::apply_noting`] gathers them over a batch of events, and
/// [`Changes::tasks_in`] widens them to tasks once, at the end of the batch.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    pub tasks: BTreeSet<TaskId>,
    pub members: BTreeSet<MemberId>,
    pub projects: BTreeSet<ProjectId>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty() && self.members.is_empty() && self.projects.is_empty()
    }

    pub fn clear(&mut self) {
        self.tasks.clear();
        self.members.clear();
        self.projects.clear();
    }

    /// The tasks whose features may have changed, sorted: those named, and the open tasks of
    /// the members and projects named, in `state` as it is now. A task that left such an open
    /// set during the batch was named by the event that took it out, so nothing is missed.
    pub fn tasks_in(&self, state: &FeatureState) -> Vec<TaskId> {
        let mut tasks: BTreeSet<TaskId> = self.tasks.clone();
        for member in self.members.iter().filter_map(|id| state.members.get(id)) {
            tasks.extend(member.open_tasks.iter().copied());
        }
        for flow in self.projects.iter().filter_map(|id| state.flows.get(id)) {
            tasks.extend(flow.open_tasks.iter().copied());
        }
        tasks.into_iter().collect()
    }
}

impl FeatureState {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one event with its business time, in log order, and returns the tasks whose
    /// features it may have changed, sorted: the task itself, the tasks on either side of its
    /// dependencies, the open tasks of a member whose workload, capacity or history changed, and
    /// the open tasks of a project on a completion (throughput, cycle time, overrun).
    ///
    /// Not reported: changes through time alone (`as_of`), and the slow drift of the global
    /// priors and of label statistics shared across projects.
    ///
    /// Total, like `domain::evolve`: an event that does not fit (unknown task, a move the state
    /// machine forbids) changes nothing.
    pub fn apply(&mut self, event: &Event, occurred_at: DateTime<Utc>) -> Vec<TaskId> {
        let mut changes = Changes::default();
        self.fold(event, occurred_at, &mut changes);
        changes.tasks_in(self)
    }

    /// [`FeatureState::apply`] for a batch: notes what changed in `changes` without widening it
    /// to tasks, which [`Changes::tasks_in`] does once for the whole batch. A member with many
    /// open tasks then costs once per batch, not once per event.
    pub fn apply_noting(
        &mut self,
        event: &Event,
        occurred_at: DateTime<Utc>,
        changes: &mut Changes,
    ) {
        self.fold(event, occurred_at, changes);
    }

    pub fn task(&self, task: TaskId) -> Option<&TaskView> {
        self.tasks.get(&task)
    }

    /// The project's tasks that are neither done nor cancelled, by id.
    pub fn open_tasks_of_project(&self, project: ProjectId) -> impl Iterator<Item = &TaskView> {
        self.flows
            .get(&project)
            .into_iter()
            .flat_map(|flow| flow.open_tasks.iter())
            .filter_map(|id| self.tasks.get(id))
    }

    pub fn member(&self, member: MemberId) -> Option<&MemberView> {
        self.members.get(&member)
    }

    pub fn project(&self, project: ProjectId) -> Option<&ProjectView> {
        self.projects.get(&project)
    }

    /// The project's members, by id, with their role in the project.
    pub fn project_members(
        &self,
        project: ProjectId,
    ) -> impl Iterator<Item = (&MemberView, Option<&str>)> {
        self.projects
            .get(&project)
            .into_iter()
            .flat_map(|project| project.members.iter())
            .filter_map(|(id, role)| Some((self.members.get(id)?, role.as_deref())))
    }

    /// What the project's tasks did so far: open tasks, recent completions, cycle times.
    pub fn project_flow(&self, project: ProjectId) -> Option<&ProjectFlow> {
        self.flows.get(&project)
    }

    /// The p85 cycle time the features use for the project: its own once it has enough
    /// completions, else the whole log's, else [`DEFAULT_CYCLE_P85_HOURS`].
    pub fn cycle_p85_hours(&self, project: ProjectId) -> f64 {
        self.flows
            .get(&project)
            .and_then(|flow| flow.cycles.p85())
            .or_else(|| self.cycles.p85())
            .unwrap_or(DEFAULT_CYCLE_P85_HOURS)
    }

    /// The mean overrun of every completed run, with one pseudo-observation of 0 (elapsed as
    /// estimated): the prior of the assignee, label and project means.
    pub fn global_log_overrun(&self) -> f64 {
        self.overrun.smoothed(0.0, 1.0)
    }

    /// How much more the runs of assignees lacking a skill of their task overran than the
    /// others: the difference of the two mean overruns, each smoothed toward the global mean.
    pub fn skill_gap_log_overrun(&self) -> f64 {
        let global = self.global_log_overrun();
        self.lacking_skill_overrun
            .smoothed(global, OVERRUN_PRIOR_WEIGHT)
            - self
                .full_skill_overrun
                .smoothed(global, OVERRUN_PRIOR_WEIGHT)
    }

    /// The latest business time folded: features are meant to be asked as of this or later.
    pub fn clock(&self) -> Option<DateTime<Utc>> {
        self.clock
    }
}
