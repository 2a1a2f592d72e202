//! Test support: given events, when a command, then events or a rejection — with a handler-like
//! loader of the target and referenced streams.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use crate::command::{Command, CreateTask};
use crate::decide::decide;
use crate::event::{
    Event, MemberJoinedProject, MemberRegistered, MilestoneAdded, ProjectCreated, TaskAssigned,
    TaskChanged, TaskChangedBecause, TaskCreated,
};
use crate::ids::{MemberId, MilestoneId, ProjectId, StreamId, TaskId};
use crate::rejection::{Rejection, RejectionCode};
use crate::state::{References, State, fold};
use crate::task::Move;

pub(crate) fn project_id(n: u128) -> ProjectId {
    ProjectId(Uuid::from_u128(0x1000 + n))
}

pub(crate) fn task_id(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(0x2000 + n))
}

pub(crate) fn member_id(n: u128) -> MemberId {
    MemberId(Uuid::from_u128(0x3000 + n))
}

pub(crate) fn milestone_id(n: u128) -> MilestoneId {
    MilestoneId(Uuid::from_u128(0x4000 + n))
}

/// The streams of a small world, folded on demand.
#[derive(Default)]
pub(crate) struct Scenario {
    streams: BTreeMap<StreamId, Vec<Event>>,
}

impl Scenario {
    pub(crate) fn given(events: impl IntoIterator<Item = Event>) -> Self {
        let mut scenario = Scenario::default();
        scenario.record(events);
        scenario
    }

    pub(crate) fn record(&mut self, events: impl IntoIterator<Item = Event>) {
        for event in events {
            self.streams.entry(event.stream()).or_default().push(event);
        }
    }

    pub(crate) fn state(&self, stream: &StreamId) -> Option<State> {
        fold(self.streams.get(stream).into_iter().flatten())
    }

    /// Loads what a handler would load, then decides.
    pub(crate) fn when(&self, command: &Command) -> Result<Vec<Event>, Rejection> {
        let current = self.state(&command.target());
        let mut refs = References::new();
        for stream in command.references(current.as_ref()) {
            if let Some(state) = self.state(&stream) {
                refs.insert(stream, state);
            }
        }
        let mut tried = BTreeSet::new();
        loop {
            let missing: Vec<TaskId> = refs
                .unresolved_dependencies()
                .into_iter()
                .filter(|id| tried.insert(*id))
                .collect();
            if missing.is_empty() {
                break;
            }
            for id in missing {
                if let Some(state) = self.state(&StreamId::task(id)) {
                    refs.insert(StreamId::task(id), state);
                }
            }
        }
        decide(command, current.as_ref(), &refs)
    }

    /// Decides and, when accepted, records the events.
    pub(crate) fn run(&mut self, command: &Command) -> Result<Vec<Event>, Rejection> {
        let events = self.when(command)?;
        self.record(events.clone());
        Ok(events)
    }
}

#[track_caller]
pub(crate) fn assert_rejected(
    result: Result<Vec<Event>, Rejection>,
    code: RejectionCode,
    field: &str,
) {
    match result {
        Ok(events) => panic!("expected {code} on {field}, got {events:?}"),
        Err(rejection) => {
            assert_eq!(
                (rejection.code, rejection.field.as_deref()),
                (code, Some(field)),
                "{rejection}"
            );
        }
    }
}

pub(crate) fn project_created(project: ProjectId) -> Event {
    Event::ProjectCreated(ProjectCreated {
        project_id: project,
        name: "Billing".into(),
        start_date: chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap_or_default(),
        deadline: None,
    })
}

pub(crate) fn member_registered(member: MemberId) -> Event {
    Event::MemberRegistered(MemberRegistered {
        member_id: member,
        name: "Ada".into(),
        skills: vec!["rust".into()],
        capacity_hours_per_week: 32.0,
    })
}

pub(crate) fn member_joined(project: ProjectId, member: MemberId) -> Event {
    Event::MemberJoinedProject(MemberJoinedProject {
        project_id: project,
        member_id: member,
        role: None,
        capacity_hours_per_week: 32.0,
        skills: vec!["rust".into()],
    })
}

pub(crate) fn milestone_added(project: ProjectId, milestone: MilestoneId) -> Event {
    Event::MilestoneAdded(MilestoneAdded {
        project_id: project,
        milestone_id: milestone,
        name: "Beta".into(),
        due_date: chrono::NaiveDate::from_ymd_opt(2025, 5, 2).unwrap_or_default(),
    })
}

/// A valid `task.create` payload without dependencies.
pub(crate) fn create_task(task: TaskId, project: ProjectId) -> CreateTask {
    CreateTask {
        task_id: task,
        project_id: project,
        title: "Generate invoices".into(),
        description: None,
        estimate_hours: 8.0,
        priority: 2,
        labels: vec![],
        skills: vec![],
        milestone_id: None,
        due_date: None,
        depends_on: vec![],
    }
}

pub(crate) fn task_created(task: TaskId, project: ProjectId, depends_on: &[TaskId]) -> Event {
    let c = create_task(task, project);
    Event::TaskCreated(TaskCreated {
        task_id: task,
        project_id: project,
        title: c.title,
        description: None,
        estimate_hours: c.estimate_hours,
        priority: c.priority,
        labels: vec![],
        skills: vec![],
        milestone_id: None,
        due_date: None,
        depends_on: depends_on.to_vec(),
    })
}

pub(crate) fn task_assigned(task: TaskId, project: ProjectId, member: MemberId) -> Event {
    Event::TaskAssigned(TaskAssigned {
        task_id: task,
        project_id: project,
        member_id: member,
    })
}

/// The event a state-machine move records.
pub(crate) fn task_moved(task: TaskId, project: ProjectId, step: Move) -> Event {
    let ids = TaskChanged {
        task_id: task,
        project_id: project,
    };
    let because = TaskChangedBecause {
        task_id: task,
        project_id: project,
        reason: None,
    };
    match step {
        Move::Start => Event::TaskStarted(ids),
        Move::Block => Event::TaskBlocked(because),
        Move::Unblock => Event::TaskUnblocked(ids),
        Move::Complete => Event::TaskCompleted(ids),
        Move::Reopen => Event::TaskReopened(because),
        Move::Cancel => Event::TaskCancelled(because),
    }
}
