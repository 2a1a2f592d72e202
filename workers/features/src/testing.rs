//! Test support: ids, business times and the events of a small world.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::{
    Event, MemberId, MemberJoinedProject, MemberRegistered, Move, ProjectCreated, ProjectId,
    TaskAssigned, TaskChanged, TaskChangedBecause, TaskCreated, TaskDependencyChanged,
    TaskDueDateChanged, TaskEstimateChanged, TaskId, TaskUnassigned, TaskWorkLogged,
};
use uuid::Uuid;

pub(crate) fn project_id(n: u128) -> ProjectId {
    ProjectId(Uuid::from_u128(0x1000 + n))
}

pub(crate) fn task_id(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(0x2000 + n))
}

pub(crate) fn member_id(n: u128) -> MemberId {
    MemberId(Uuid::from_u128(0x3000 + n))
}

/// Monday 3 March 2025, 09:00 UTC, plus `hours`.
pub(crate) fn at(hours: f64) -> DateTime<Utc> {
    let t0 = Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).single().unwrap();
    t0 + Duration::milliseconds((hours * 3_600_000.0).round() as i64)
}

pub(crate) fn project_created(project: ProjectId) -> Event {
    Event::ProjectCreated(ProjectCreated {
        project_id: project,
        name: "Billing".into(),
        start_date: NaiveDate::from_ymd_opt(2025, 3, 3).unwrap(),
        deadline: None,
    })
}

pub(crate) fn member_registered(member: MemberId, skills: &[&str], capacity: f64) -> Event {
    Event::MemberRegistered(MemberRegistered {
        member_id: member,
        name: "Ada".into(),
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        capacity_hours_per_week: capacity,
    })
}

pub(crate) fn member_joined(project: ProjectId, member: MemberId) -> Event {
    Event::MemberJoinedProject(MemberJoinedProject {
        project_id: project,
        member_id: member,
        role: None,
        capacity_hours_per_week: 40.0,
        skills: vec![],
    })
}

/// The parts of a new task the tests vary.
#[derive(Clone, Debug)]
pub(crate) struct NewTask {
    pub estimate_hours: f64,
    pub priority: u8,
    pub labels: Vec<String>,
    pub skills: Vec<String>,
    pub due_date: Option<DateTime<Utc>>,
    pub depends_on: Vec<TaskId>,
}

impl Default for NewTask {
    fn default() -> Self {
        NewTask {
            estimate_hours: 8.0,
            priority: 2,
            labels: vec![],
            skills: vec![],
            due_date: None,
            depends_on: vec![],
        }
    }
}

pub(crate) fn task_created(task: TaskId, project: ProjectId, new: NewTask) -> Event {
    Event::TaskCreated(TaskCreated {
        task_id: task,
        project_id: project,
        title: "Generate invoices".into(),
        description: None,
        estimate_hours: new.estimate_hours,
        priority: new.priority,
        labels: new.labels,
        skills: new.skills,
        milestone_id: None,
        due_date: new.due_date,
        depends_on: new.depends_on,
    })
}

pub(crate) fn assigned(task: TaskId, project: ProjectId, member: MemberId) -> Event {
    Event::TaskAssigned(TaskAssigned {
        task_id: task,
        project_id: project,
        member_id: member,
    })
}

pub(crate) fn unassigned(task: TaskId, project: ProjectId, member: MemberId) -> Event {
    Event::TaskUnassigned(TaskUnassigned {
        task_id: task,
        project_id: project,
        member_id: member,
    })
}

/// The event a state-machine move records.
pub(crate) fn moved(task: TaskId, project: ProjectId, step: Move) -> Event {
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

pub(crate) fn estimate_changed(task: TaskId, project: ProjectId, hours: f64) -> Event {
    Event::TaskEstimateChanged(TaskEstimateChanged {
        task_id: task,
        project_id: project,
        estimate_hours: hours,
    })
}

pub(crate) fn due_date_changed(task: TaskId, project: ProjectId, due: DateTime<Utc>) -> Event {
    Event::TaskDueDateChanged(TaskDueDateChanged {
        task_id: task,
        project_id: project,
        due_date: due,
    })
}

pub(crate) fn dependency_added(task: TaskId, project: ProjectId, dep: TaskId) -> Event {
    Event::TaskDependencyAdded(TaskDependencyChanged {
        task_id: task,
        project_id: project,
        depends_on: dep,
    })
}

pub(crate) fn dependency_removed(task: TaskId, project: ProjectId, dep: TaskId) -> Event {
    Event::TaskDependencyRemoved(TaskDependencyChanged {
        task_id: task,
        project_id: project,
        depends_on: dep,
    })
}

pub(crate) fn work_logged(task: TaskId, project: ProjectId, hours: f64) -> Event {
    Event::TaskWorkLogged(TaskWorkLogged {
        task_id: task,
        project_id: project,
        hours,
        member_id: None,
    })
}

/// Project 1 with member 1 (skills rust and sql, 40 hours a week) and member 2 (python, 20
/// hours), folded into a fresh state; events are applied at hours after [`at`]`(0)`.
pub(crate) struct World {
    pub state: crate::FeatureState,
}

impl World {
    pub(crate) fn new() -> Self {
        let mut world = World {
            state: crate::FeatureState::new(),
        };
        let p = project_id(1);
        for event in [
            project_created(p),
            member_registered(member_id(1), &["Rust", "sql"], 40.0),
            member_registered(member_id(2), &["python"], 20.0),
            member_joined(p, member_id(1)),
            member_joined(p, member_id(2)),
        ] {
            world.apply(0.0, event);
        }
        world
    }

    pub(crate) fn apply(&mut self, hours: f64, event: Event) -> Vec<TaskId> {
        self.state.apply(&event, at(hours))
    }

    /// Creates task `n` in project 1 at `hours`.
    pub(crate) fn create(&mut self, hours: f64, n: u128, new: NewTask) {
        self.apply(hours, task_created(task_id(n), project_id(1), new));
    }

    /// Moves task `n` of project 1 at `hours`.
    pub(crate) fn step(&mut self, hours: f64, n: u128, step: Move) {
        self.apply(hours, moved(task_id(n), project_id(1), step));
    }

    pub(crate) fn assign(&mut self, hours: f64, n: u128, member: u128) {
        self.apply(
            hours,
            assigned(task_id(n), project_id(1), member_id(member)),
        );
    }

    /// Task `n`'s features as of `hours`, by name.
    pub(crate) fn row(&self, n: u128, hours: f64) -> crate::FeatureRow {
        self.state
            .task_row(task_id(n), at(hours))
            .expect("a known task")
    }

    /// Task `n`'s features as of `hours` as if `member` were its assignee.
    pub(crate) fn row_for(&self, n: u128, member: u128, hours: f64) -> crate::FeatureRow {
        self.state
            .task_row_for(task_id(n), member_id(member), at(hours))
            .expect("a known task and member")
    }
}

/// `a` and `b` agree to 1e-9.
#[track_caller]
pub(crate) fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}
