//! Project tests: given events, when a project command, then events or a rejection.

use chrono::NaiveDate;

use crate::command::{
    AddMilestone, AddProjectMember, ChangeProjectStatus, Command, CompleteMilestone, CreateProject,
    MoveMilestone, RemoveProjectMember, RenameProject,
};
use crate::event::{Event, EventType};
use crate::ids::StreamId;
use crate::project::{ProjectState, ProjectStatus};
use crate::rejection::RejectionCode::{AlreadyExists, InvalidCommand, InvalidTransition, NotFound};
use crate::scenario::*;
use crate::state::State;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
}

fn create(edit: impl FnOnce(&mut CreateProject)) -> Command {
    let mut c = CreateProject {
        project_id: project_id(1),
        name: "Billing".into(),
        start_date: day(3),
        deadline: Some(day(31)),
    };
    edit(&mut c);
    Command::CreateProject(c)
}

fn project(scenario: &Scenario) -> ProjectState {
    match scenario.state(&StreamId::project(project_id(1))) {
        Some(State::Project(project)) => project,
        other => panic!("no project: {other:?}"),
    }
}

fn world() -> Scenario {
    Scenario::given([
        project_created(project_id(1)),
        member_registered(member_id(1)),
    ])
}

fn add_member(n: u128) -> Command {
    Command::AddProjectMember(AddProjectMember {
        project_id: project_id(1),
        member_id: member_id(n),
        role: Some("dev".into()),
    })
}

fn add_milestone(name: &str) -> Command {
    Command::AddMilestone(AddMilestone {
        project_id: project_id(1),
        milestone_id: milestone_id(1),
        name: name.into(),
        due_date: day(20),
    })
}

fn status(status: ProjectStatus) -> Command {
    Command::ChangeProjectStatus(ChangeProjectStatus {
        project_id: project_id(1),
        status,
    })
}

#[test]
fn a_project_is_created_once_and_starts_active() {
    let mut scenario = Scenario::default();
    scenario.run(&create(|_| {})).unwrap();
    assert_eq!(project(&scenario).status, ProjectStatus::Active);
    assert_rejected(
        scenario.when(&create(|_| {})),
        AlreadyExists,
        "payload.project_id",
    );
}

#[test]
fn creation_checks_name_and_dates() {
    let given = Scenario::default();
    assert_rejected(
        given.when(&create(|c| c.name = "  ".into())),
        InvalidCommand,
        "payload.name",
    );
    assert_rejected(
        given.when(&create(|c| c.name = "n".repeat(201))),
        InvalidCommand,
        "payload.name",
    );
    assert_rejected(
        given.when(&create(|c| c.deadline = Some(day(2)))),
        InvalidCommand,
        "payload.deadline",
    );
    assert!(given.when(&create(|c| c.deadline = Some(day(3)))).is_ok());
}

#[test]
fn commands_on_a_missing_project_are_not_found() {
    let given = Scenario::given([member_registered(member_id(1))]);
    let rename = Command::RenameProject(RenameProject {
        project_id: project_id(1),
        name: "New".into(),
    });
    for command in [
        rename,
        add_member(1),
        add_milestone("Beta"),
        status(ProjectStatus::Closed),
    ] {
        assert_rejected(given.when(&command), NotFound, "payload.project_id");
    }
}

#[test]
fn members_join_once_and_leave_only_when_in() {
    let mut scenario = world();
    assert_rejected(scenario.when(&add_member(2)), NotFound, "payload.member_id");
    let events = scenario.run(&add_member(1)).unwrap();
    let [Event::MemberJoinedProject(joined)] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(
        (joined.capacity_hours_per_week, joined.skills.clone()),
        (32.0, vec!["rust".to_owned()])
    );
    assert_eq!(
        project(&scenario).members.get(&member_id(1)),
        Some(&Some("dev".to_owned()))
    );
    assert_rejected(
        scenario.when(&add_member(1)),
        AlreadyExists,
        "payload.member_id",
    );

    let remove = |n| {
        Command::RemoveProjectMember(RemoveProjectMember {
            project_id: project_id(1),
            member_id: member_id(n),
        })
    };
    scenario.run(&remove(1)).unwrap();
    assert!(project(&scenario).members.is_empty());
    assert_rejected(scenario.when(&remove(1)), NotFound, "payload.member_id");
}

#[test]
fn milestones_are_added_once_moved_and_completed_once() {
    let mut scenario = world();
    assert_rejected(
        scenario.when(&add_milestone(" ")),
        InvalidCommand,
        "payload.name",
    );
    scenario.run(&add_milestone("Beta")).unwrap();
    assert_rejected(
        scenario.when(&add_milestone("Beta")),
        AlreadyExists,
        "payload.milestone_id",
    );

    let move_to = |n, d| {
        Command::MoveMilestone(MoveMilestone {
            project_id: project_id(1),
            milestone_id: milestone_id(n),
            due_date: day(d),
        })
    };
    let complete = |n| {
        Command::CompleteMilestone(CompleteMilestone {
            project_id: project_id(1),
            milestone_id: milestone_id(n),
        })
    };
    assert_rejected(
        scenario.when(&move_to(2, 25)),
        NotFound,
        "payload.milestone_id",
    );
    assert_rejected(
        scenario.when(&complete(2)),
        NotFound,
        "payload.milestone_id",
    );
    scenario.run(&move_to(1, 25)).unwrap();
    scenario.run(&complete(1)).unwrap();
    let milestone = project(&scenario).milestones[&milestone_id(1)].clone();
    assert_eq!((milestone.due_date, milestone.completed), (day(25), true));
    assert_rejected(
        scenario.when(&complete(1)),
        InvalidTransition,
        "payload.milestone_id",
    );
    assert_rejected(
        scenario.when(&move_to(1, 28)),
        InvalidTransition,
        "payload.milestone_id",
    );
}

#[test]
fn status_changes_must_change_something_and_closing_freezes_growth() {
    let mut scenario = world();
    assert_rejected(
        scenario.when(&status(ProjectStatus::Active)),
        InvalidTransition,
        "payload.status",
    );
    let events = scenario.run(&status(ProjectStatus::Closed)).unwrap();
    assert!(
        matches!(&events[..], [Event::ProjectStatusChanged(e)] if e.previous == ProjectStatus::Active)
    );
    assert_rejected(
        scenario.when(&add_milestone("Beta")),
        InvalidTransition,
        "payload.project_id",
    );
    assert_rejected(
        scenario.when(&add_member(1)),
        InvalidTransition,
        "payload.project_id",
    );
    let rename = Command::RenameProject(RenameProject {
        project_id: project_id(1),
        name: "Archive".into(),
    });
    assert_eq!(
        scenario.run(&rename).unwrap()[0].kind(),
        EventType::ProjectRenamed
    );
    scenario.run(&status(ProjectStatus::OnHold)).unwrap();
    assert!(scenario.when(&add_milestone("Beta")).is_ok());
    assert_eq!(project(&scenario).name, "Archive");
}

#[test]
fn status_names_match_their_serde_names() {
    for status in ProjectStatus::ALL {
        assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
    }
}
