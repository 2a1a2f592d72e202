//! The state of any aggregate, how events fold into it, and the other streams `decide` may read.

use std::collections::{BTreeMap, BTreeSet};

use crate::event::Event;
use crate::ids::{MemberId, ProjectId, StreamId, TaskId};
use crate::member::MemberState;
use crate::project::ProjectState;
use crate::task::TaskState;

/// The folded state of one stream.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    Project(ProjectState),
    Task(TaskState),
    Member(MemberState),
}

impl State {
    /// The stream category the state belongs to: `"project"`, `"task"` or `"member"`.
    pub fn category(&self) -> &'static str {
        match self {
            State::Project(_) => "project",
            State::Task(_) => "task",
            State::Member(_) => "member",
        }
    }

    pub fn as_project(&self) -> Option<&ProjectState> {
        match self {
            State::Project(project) => Some(project),
            _ => None,
        }
    }

    pub fn as_task(&self) -> Option<&TaskState> {
        match self {
            State::Task(task) => Some(task),
            _ => None,
        }
    }

    pub fn as_member(&self) -> Option<&MemberState> {
        match self {
            State::Member(member) => Some(member),
            _ => None,
        }
    }
}

/// Folds one event into a stream's state.
///
/// Total: an event that does not fit the state (another aggregate's, a creation on an existing
/// stream, a change before any creation, a forbidden transition) leaves the state as it is.
pub fn evolve(state: Option<State>, event: &Event) -> Option<State> {
    match (state, event) {
        (None, Event::ProjectCreated(e)) => Some(State::Project(ProjectState::created(e))),
        (None, Event::TaskCreated(e)) => Some(State::Task(TaskState::created(e))),
        (None, Event::MemberRegistered(e)) => Some(State::Member(MemberState::registered(e))),
        (None, _) => None,
        (Some(State::Project(mut project)), e) => {
            project.apply(e);
            Some(State::Project(project))
        }
        (Some(State::Task(mut task)), e) => {
            task.apply(e);
            Some(State::Task(task))
        }
        (Some(State::Member(mut member)), e) => {
            member.apply(e);
            Some(State::Member(member))
        }
    }
}

/// Folds a whole stream.
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Option<State> {
    events.into_iter().fold(None, evolve)
}

/// The states of the streams a command refers to besides its target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct References {
    states: BTreeMap<StreamId, State>,
}

impl References {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, stream: StreamId, state: State) {
        self.states.insert(stream, state);
    }

    pub fn get(&self, stream: &StreamId) -> Option<&State> {
        self.states.get(stream)
    }

    pub fn contains(&self, stream: &StreamId) -> bool {
        self.states.contains_key(stream)
    }

    pub fn task(&self, id: TaskId) -> Option<&TaskState> {
        self.get(&StreamId::task(id)).and_then(State::as_task)
    }

    pub fn project(&self, id: ProjectId) -> Option<&ProjectState> {
        self.get(&StreamId::project(id)).and_then(State::as_project)
    }

    pub fn member(&self, id: MemberId) -> Option<&MemberState> {
        self.get(&StreamId::member(id)).and_then(State::as_member)
    }

    /// Tasks that loaded tasks depend on but that are not loaded yet. A handler loads these until
    /// the list is empty (remembering the ones that turned out not to exist), which gives `decide`
    /// the transitive closure it needs to see dependency cycles.
    pub fn unresolved_dependencies(&self) -> Vec<TaskId> {
        let wanted: BTreeSet<TaskId> = self
            .states
            .values()
            .filter_map(State::as_task)
            .flat_map(|task| task.depends_on.iter().copied())
            .collect();
        wanted
            .into_iter()
            .filter(|id| !self.contains(&StreamId::task(*id)))
            .collect()
    }
}

/// Whether `to` can be reached from `from` by following `depends_on` through the loaded tasks.
/// A task counts as reaching itself.
pub fn reachable(from: TaskId, to: TaskId, refs: &References) -> bool {
    let mut visited = BTreeSet::new();
    let mut pending = vec![from];
    while let Some(id) = pending.pop() {
        if id == to {
            return true;
        }
        if !visited.insert(id) {
            continue;
        }
        if let Some(task) = refs.task(id) {
            pending.extend(
                task.depends_on
                    .iter()
                    .copied()
                    .filter(|dep| !visited.contains(dep)),
            );
        }
    }
    false
}
