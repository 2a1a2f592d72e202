//! Command tests: type names, payload parsing with named fields, targets and references.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::ids::{ProjectId, TaskId};
use crate::scenario::*;
use crate::schema::command_example;
use crate::state::evolve;

#[test]
fn type_names_are_unique_and_parse_back() {
    let names: BTreeSet<&str> = CommandType::ALL.iter().map(CommandType::as_str).collect();
    assert_eq!(names.len(), CommandType::ALL.len());
    assert_eq!(
        CommandType::ALL.len(),
        25,
        "one per row of the contract table"
    );
    for t in CommandType::ALL {
        assert_eq!(CommandType::parse(t.as_str()), Some(t));
        assert!(["project", "task", "member"].contains(&t.category()), "{t}");
        let command = Command::parse(t.as_str(), &command_example(t)["payload"]).unwrap();
        assert_eq!(command.command_type(), t);
        assert_eq!(command.target().category(), t.category());
    }
    assert_eq!(CommandType::parse("task.Start"), None);
}

#[test]
fn an_unknown_type_is_named_as_such() {
    let rejection = Command::parse("task.explode", &json!({})).unwrap_err();
    assert_eq!(rejection.code, RejectionCode::UnknownCommandType);
    assert_eq!(rejection.field.as_deref(), Some("type"));
}

#[test]
fn a_malformed_payload_names_the_field() {
    let payload = || command_example(CommandType::TaskCreate)["payload"].clone();
    let mut missing = payload();
    missing.as_object_mut().unwrap().remove("title");
    let mut unknown = payload();
    unknown["colour"] = json!("red");
    let mut mistyped = payload();
    mistyped["priority"] = json!("high");
    let mut bad_id = payload();
    bad_id["depends_on"] = json!(["nope"]);
    let mut bad_date = payload();
    bad_date["due_date"] = json!("tomorrow");
    for (value, field) in [
        (missing, "payload.title"),
        (unknown, "payload.colour"),
        (mistyped, "payload.priority"),
        (bad_id, "payload.depends_on"),
        (bad_date, "payload.due_date"),
        (json!("text"), "payload"),
    ] {
        let rejection = Command::parse("task.create", &value).unwrap_err();
        assert_eq!(rejection.code, RejectionCode::InvalidCommand);
        assert_eq!(rejection.field.as_deref(), Some(field), "{rejection}");
    }
    let status = json!({"project_id": project_id(1), "status": "archived"});
    let rejection = Command::parse("project.change_status", &status).unwrap_err();
    assert_eq!(rejection.field.as_deref(), Some("payload.status"));
}

#[test]
fn optional_fields_may_be_left_out() {
    let minimal = json!({"task_id": task_id(1), "project_id": project_id(1), "title": "t", "estimate_hours": 1, "priority": 1});
    let Ok(Command::CreateTask(c)) = Command::parse("task.create", &minimal) else {
        panic!()
    };
    assert!(c.labels.is_empty() && c.depends_on.is_empty() && c.due_date.is_none());
}

fn streams(command: &Command, current: Option<&State>) -> Vec<StreamId> {
    command.references(current)
}

#[test]
fn references_name_what_decide_must_see() {
    let (p, t): (ProjectId, TaskId) = (project_id(1), task_id(1));
    let mut create = create_task(t, p);
    create.depends_on = vec![task_id(2), t, task_id(2)];
    assert_eq!(
        streams(&Command::CreateTask(create), None),
        [StreamId::project(p), StreamId::task(task_id(2))],
        "the target itself is never a reference"
    );

    let task = evolve(None, &task_created(t, p, &[]));
    let assign = Command::AssignTask(AssignTask {
        task_id: t,
        member_id: member_id(1),
    });
    assert_eq!(
        streams(&assign, task.as_ref()),
        [StreamId::member(member_id(1)), StreamId::project(p)]
    );
    assert_eq!(streams(&assign, None), [StreamId::member(member_id(1))]);

    let add = Command::AddDependency(TaskDependency {
        task_id: t,
        depends_on: task_id(2),
    });
    assert_eq!(streams(&add, task.as_ref()), [StreamId::task(task_id(2))]);
    let log = Command::LogWork(LogWork {
        task_id: t,
        hours: 1.0,
        member_id: None,
    });
    assert!(streams(&log, task.as_ref()).is_empty());
    let join = Command::AddProjectMember(AddProjectMember {
        project_id: p,
        member_id: member_id(1),
        role: None,
    });
    assert_eq!(streams(&join, None), [StreamId::member(member_id(1))]);
}

#[test]
fn dates_outside_the_window_are_refused_naming_the_field() {
    let cases = [
        ("project.create", "start_date", json!("0000-01-01")),
        ("project.create", "deadline", json!("+10000-01-01")),
        ("project.add_milestone", "due_date", json!("1969-12-31")),
        ("project.move_milestone", "due_date", json!("+200000-01-01")),
        ("member.add_time_off", "from", json!("-0001-06-01")),
        ("task.create", "due_date", json!("+10000-01-01T00:00:00Z")),
        (
            "task.change_due_date",
            "due_date",
            json!("0001-01-01T00:00:00Z"),
        ),
    ];
    for (command_type, field, value) in cases {
        let kind = CommandType::parse(command_type).unwrap();
        let mut payload = command_example(kind)["payload"].clone();
        payload[field] = value;
        let command = Command::parse(command_type, &payload).unwrap();
        let rejection = command.validate().unwrap_err();
        assert_eq!(rejection.code, RejectionCode::InvalidCommand);
        assert_eq!(
            rejection.field.as_deref(),
            Some(format!("payload.{field}").as_str()),
            "{command_type}"
        );
    }
}
