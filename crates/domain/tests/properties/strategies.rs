//! Generators of commands over a small pool of ids, and a prelude that sets up a world.

use chrono::{NaiveDate, TimeZone, Utc};
use domain::*;
use proptest::prelude::*;
use uuid::Uuid;

fn pid(n: u128) -> ProjectId {
    ProjectId(Uuid::from_u128(0x1000 + n))
}
fn tid(n: u128) -> TaskId {
    TaskId(Uuid::from_u128(0x2000 + n))
}
fn mid(n: u128) -> MemberId {
    MemberId(Uuid::from_u128(0x3000 + n))
}
fn msid(n: u128) -> MilestoneId {
    MilestoneId(Uuid::from_u128(0x4000 + n))
}

fn project() -> impl Strategy<Value = ProjectId> {
    (0..2u128).prop_map(pid)
}
fn task() -> impl Strategy<Value = TaskId> {
    (0..5u128).prop_map(tid)
}
fn member() -> impl Strategy<Value = MemberId> {
    (0..3u128).prop_map(mid)
}
fn milestone() -> impl Strategy<Value = MilestoneId> {
    (0..2u128).prop_map(msid)
}
fn day() -> impl Strategy<Value = NaiveDate> {
    (1..60u64).prop_map(|d| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(d))
}
/// Mostly sensible hours, sometimes out of range or not a number at all.
fn hours() -> impl Strategy<Value = f64> {
    prop_oneof![16 => 0.25..30.0f64, 1 => Just(0.0), 1 => Just(-2.0), 1 => Just(500.0), 1 => Just(f64::NAN)]
}
fn name() -> impl Strategy<Value = String> {
    prop_oneof![4 => Just("Billing".to_owned()), 1 => Just(" ".to_owned())]
}
fn reason() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(Just("because".to_owned()))
}

fn task_command() -> impl Strategy<Value = Command> {
    // Weighted so that tasks often travel the whole machine before a (terminal) cancel.
    let by_ref = (task(), 0..9u8).prop_map(|(task_id, verb)| {
        let r = TaskRef { task_id };
        match verb {
            0..=2 => Command::StartTask(r),
            3..=5 => Command::CompleteTask(r),
            6 | 7 => Command::UnblockTask(r),
            _ => Command::UnassignTask(r),
        }
    });
    let with_reason = (task(), reason(), 0..7u8).prop_map(|(task_id, reason, verb)| {
        let r = TaskWithReason { task_id, reason };
        match verb {
            0..=2 => Command::BlockTask(r),
            3..=5 => Command::ReopenTask(r),
            _ => Command::CancelTask(r),
        }
    });
    let create = (
        task(),
        project(),
        hours(),
        1..6u8,
        proptest::option::of(milestone()),
        proptest::collection::vec(task(), 0..2),
        name(),
    )
        .prop_map(
            |(task_id, project_id, estimate_hours, priority, milestone_id, depends_on, title)| {
                Command::CreateTask(CreateTask {
                    task_id,
                    project_id,
                    title,
                    description: None,
                    estimate_hours,
                    priority,
                    labels: vec![],
                    skills: vec![],
                    milestone_id,
                    due_date: None,
                    depends_on,
                })
            },
        );
    let dependency = (task(), task(), any::<bool>()).prop_map(|(task_id, depends_on, add)| {
        let d = TaskDependency {
            task_id,
            depends_on,
        };
        if add {
            Command::AddDependency(d)
        } else {
            Command::RemoveDependency(d)
        }
    });
    prop_oneof![
        3 => create,
        4 => by_ref,
        3 => with_reason,
        4 => dependency,
        2 => (task(), member()).prop_map(|(task_id, member_id)| Command::AssignTask(AssignTask { task_id, member_id })),
        2 => (task(), hours(), proptest::option::of(member()))
            .prop_map(|(task_id, hours, member_id)| Command::LogWork(LogWork { task_id, hours, member_id })),
        1 => (task(), hours()).prop_map(|(task_id, estimate_hours)| Command::ChangeEstimate(ChangeEstimate { task_id, estimate_hours })),
        1 => (task(), 0..100i64).prop_map(|(task_id, h)| Command::ChangeDueDate(ChangeDueDate {
            task_id,
            due_date: Utc.timestamp_opt(1_740_000_000 + h * 3600, 0).unwrap(),
        })),
    ]
}

fn other_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        2 => (project(), name(), day()).prop_map(|(project_id, name, start_date)| {
            Command::CreateProject(CreateProject { project_id, name, start_date, deadline: None })
        }),
        2 => (member(), name(), hours()).prop_map(|(member_id, name, capacity_hours_per_week)| {
            Command::RegisterMember(RegisterMember { member_id, name, skills: vec![], capacity_hours_per_week })
        }),
        2 => (project(), member()).prop_map(|(project_id, member_id)| {
            Command::AddProjectMember(AddProjectMember { project_id, member_id, role: None })
        }),
        1 => (project(), member()).prop_map(|(project_id, member_id)| {
            Command::RemoveProjectMember(RemoveProjectMember { project_id, member_id })
        }),
        1 => (project(), milestone(), name(), day()).prop_map(|(project_id, milestone_id, name, due_date)| {
            Command::AddMilestone(AddMilestone { project_id, milestone_id, name, due_date })
        }),
        1 => (project(), milestone()).prop_map(|(project_id, milestone_id)| {
            Command::CompleteMilestone(CompleteMilestone { project_id, milestone_id })
        }),
        1 => (project(), 0..3usize).prop_map(|(project_id, s)| {
            Command::ChangeProjectStatus(ChangeProjectStatus { project_id, status: ProjectStatus::ALL[s] })
        }),
        1 => (member(), hours()).prop_map(|(member_id, capacity_hours_per_week)| {
            Command::ChangeMemberCapacity(ChangeMemberCapacity { member_id, capacity_hours_per_week })
        }),
        1 => (member(), day(), day()).prop_map(|(member_id, from, to)| Command::AddTimeOff(AddTimeOff { member_id, from, to })),
    ]
}

pub fn command() -> impl Strategy<Value = Command> {
    prop_oneof![5 => task_command(), 1 => other_command()]
}

/// Two projects with members, a milestone and tasks 0..=3, so that random commands often land.
pub fn prelude() -> Vec<Command> {
    let day = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    let mut commands: Vec<Command> = (0..2)
        .map(|p| {
            Command::CreateProject(CreateProject {
                project_id: pid(p),
                name: "P".into(),
                start_date: day,
                deadline: None,
            })
        })
        .collect();
    for m in 0..3 {
        commands.push(Command::RegisterMember(RegisterMember {
            member_id: mid(m),
            name: "M".into(),
            skills: vec![],
            capacity_hours_per_week: 40.0,
        }));
        let project_id = pid(m / 2);
        commands.push(Command::AddProjectMember(AddProjectMember {
            project_id,
            member_id: mid(m),
            role: None,
        }));
    }
    commands.push(Command::AddMilestone(AddMilestone {
        project_id: pid(0),
        milestone_id: msid(0),
        name: "M1".into(),
        due_date: day,
    }));
    for t in 0..4 {
        let project_id = pid(u128::from(t == 3));
        commands.push(Command::CreateTask(CreateTask {
            task_id: tid(t),
            project_id,
            title: "T".into(),
            description: None,
            estimate_hours: 4.0,
            priority: 2,
            labels: vec![],
            skills: vec![],
            milestone_id: None,
            due_date: None,
            depends_on: vec![],
        }));
    }
    commands
}
