//! Member tests: given events, when a member command, then events or a rejection.

use chrono::NaiveDate;

use crate::command::{AddTimeOff, ChangeMemberCapacity, Command, RegisterMember};
use crate::ids::StreamId;
use crate::member::MemberState;
use crate::rejection::RejectionCode::{AlreadyExists, InvalidCommand, NotFound};
use crate::scenario::*;
use crate::state::State;

fn register(edit: impl FnOnce(&mut RegisterMember)) -> Command {
    let mut c = RegisterMember {
        member_id: member_id(1),
        name: "Ada".into(),
        skills: vec!["rust".into()],
        capacity_hours_per_week: 40.0,
    };
    edit(&mut c);
    Command::RegisterMember(c)
}

fn capacity(hours: f64) -> Command {
    Command::ChangeMemberCapacity(ChangeMemberCapacity {
        member_id: member_id(1),
        capacity_hours_per_week: hours,
    })
}

fn time_off(from: u32, to: u32) -> Command {
    let day = |d| NaiveDate::from_ymd_opt(2025, 4, d).unwrap();
    Command::AddTimeOff(AddTimeOff {
        member_id: member_id(1),
        from: day(from),
        to: day(to),
    })
}

fn member(scenario: &Scenario) -> MemberState {
    match scenario.state(&StreamId::member(member_id(1))) {
        Some(State::Member(member)) => member,
        other => panic!("no member: {other:?}"),
    }
}

#[test]
fn a_member_is_registered_once() {
    let mut scenario = Scenario::default();
    scenario.run(&register(|_| {})).unwrap();
    assert_eq!(member(&scenario).capacity_hours_per_week, 40.0);
    assert_rejected(
        scenario.when(&register(|_| {})),
        AlreadyExists,
        "payload.member_id",
    );
}

#[test]
fn registration_checks_name_skills_and_capacity() {
    let given = Scenario::default();
    assert_rejected(
        given.when(&register(|c| c.name = String::new())),
        InvalidCommand,
        "payload.name",
    );
    assert_rejected(
        given.when(&register(|c| c.skills = vec!["s".into(); 51])),
        InvalidCommand,
        "payload.skills",
    );
    for bad in [-0.5, 168.5, f64::NAN, f64::INFINITY] {
        assert_rejected(
            given.when(&register(|c| c.capacity_hours_per_week = bad)),
            InvalidCommand,
            "payload.capacity_hours_per_week",
        );
    }
    assert!(
        given
            .when(&register(|c| c.capacity_hours_per_week = 0.0))
            .is_ok()
    );
}

#[test]
fn capacity_changes_within_a_week() {
    let mut scenario = Scenario::given([member_registered(member_id(1))]);
    scenario.run(&capacity(168.0)).unwrap();
    scenario.run(&capacity(0.0)).unwrap();
    assert_eq!(member(&scenario).capacity_hours_per_week, 0.0);
    assert_rejected(
        scenario.when(&capacity(168.1)),
        InvalidCommand,
        "payload.capacity_hours_per_week",
    );
}

#[test]
fn time_off_must_not_end_before_it_starts() {
    let mut scenario = Scenario::given([member_registered(member_id(1))]);
    assert_rejected(
        scenario.when(&time_off(10, 9)),
        InvalidCommand,
        "payload.to",
    );
    scenario.run(&time_off(10, 10)).unwrap();
    scenario.run(&time_off(14, 18)).unwrap();
    assert_eq!(member(&scenario).time_off.len(), 2);
}

#[test]
fn commands_on_a_missing_member_are_not_found() {
    let given = Scenario::default();
    for command in [capacity(10.0), time_off(1, 2)] {
        assert_rejected(given.when(&command), NotFound, "payload.member_id");
    }
}
