//! Tidy test: the JSON Schemas in `schemas/` are exactly what the Rust types generate, every file
//! there belongs to a type, and every example is valid, parses and round-trips.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use domain::{
    Command, CommandEnvelope, CommandType, Event, EventType, References, RejectionCode,
    command_example, command_schema, command_schema_file, decide, event_example, event_schema,
    event_schema_file,
};
use serde_json::{Value, json};

const HOW_TO_UPDATE: &str = "run `UPDATE_SCHEMAS=1 cargo test -p domain --test schemas`";

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v == "1")
}

/// Every schema file that should exist, relative to `schemas/`, with its content.
fn expected_files() -> Vec<(String, Value)> {
    let commands = CommandType::ALL
        .into_iter()
        .map(|t| (command_schema_file(t), command_schema(t)));
    let events = EventType::ALL
        .into_iter()
        .map(|t| (event_schema_file(t), event_schema(t)));
    commands.chain(events).collect()
}

fn render(schema: &Value) -> String {
    serde_json::to_string_pretty(schema).unwrap() + "\n"
}

#[test]
fn schema_files_are_what_the_rust_types_generate() {
    let dir = schemas_dir();
    let mut outdated = Vec::new();
    for (file, schema) in expected_files() {
        let path = dir.join(&file);
        let wanted = render(&schema);
        let current = fs::read_to_string(&path).unwrap_or_default();
        if current == wanted {
            continue;
        }
        if updating() {
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, wanted).unwrap();
        } else {
            outdated.push(file);
        }
    }
    assert!(
        outdated.is_empty(),
        "schemas out of date: {outdated:?}; {HOW_TO_UPDATE}"
    );
}

#[test]
fn every_schema_file_belongs_to_a_type() {
    let dir = schemas_dir();
    let expected: BTreeSet<String> = expected_files().into_iter().map(|(file, _)| file).collect();
    let mut stale = Vec::new();
    for folder in ["commands", "events"] {
        let Ok(entries) = fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for entry in entries {
            let name = format!("{folder}/{}", entry.unwrap().file_name().to_string_lossy());
            if expected.contains(&name) {
                continue;
            }
            if updating() {
                fs::remove_file(dir.join(&name)).unwrap();
            } else {
                stale.push(name);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "schema files without a type: {stale:?}; {HOW_TO_UPDATE}"
    );
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::validator_for(schema).unwrap_or_else(|e| panic!("not a valid schema: {e}"))
}

fn errors(schema: &Value, instance: &Value) -> Vec<(String, String)> {
    validator(schema)
        .iter_errors(instance)
        .map(|e| (e.instance_path().as_str().to_owned(), e.to_string()))
        .collect()
}

#[test]
fn every_example_validates_against_its_schema() {
    for t in CommandType::ALL {
        let schema = command_schema(t);
        for example in schema["examples"].as_array().unwrap() {
            assert_eq!(errors(&schema, example), vec![], "{t}");
        }
    }
    for t in EventType::ALL {
        let schema = event_schema(t);
        for example in schema["examples"].as_array().unwrap() {
            assert_eq!(errors(&schema, example), vec![], "{t}");
        }
    }
}

#[test]
fn every_command_example_parses_and_round_trips() {
    for t in CommandType::ALL {
        let example = command_example(t);
        let envelope = CommandEnvelope::from_slice(&serde_json::to_vec(&example).unwrap())
            .unwrap_or_else(|r| panic!("{t}: {r}"));
        assert_eq!(serde_json::to_value(&envelope).unwrap(), example, "{t}");
        let command = envelope.command().unwrap_or_else(|r| panic!("{t}: {r}"));
        assert_eq!(command.command_type(), t);
        assert_eq!(command.payload(), example["payload"], "{t}");
        assert_eq!(
            Command::parse(t.as_str(), &command.payload()),
            Ok(command.clone())
        );
        // The example also passes the checks that need no state: on an empty world it can only
        // be refused for what is missing.
        if let Err(rejection) = decide(&command, None, &References::new()) {
            assert_eq!(rejection.code, RejectionCode::NotFound, "{t}: {rejection}");
        }
    }
}

#[test]
fn every_event_example_parses_and_round_trips() {
    for t in EventType::ALL {
        let example = event_example(t);
        let event =
            Event::from_stored(t.as_str(), 1, &example).unwrap_or_else(|e| panic!("{t}: {e}"));
        assert_eq!(event.kind(), t);
        assert_eq!(event.event_type(), t.as_str());
        assert_eq!(event.payload(), example, "{t}");
        assert_eq!(
            Event::from_stored(t.as_str(), event.schema_version(), &event.payload()),
            Ok(event)
        );
    }
}

#[test]
fn a_wrongly_typed_field_fails_validation_naming_the_field() {
    let schema = command_schema(CommandType::TaskCreate);
    let mut command = command_example(CommandType::TaskCreate);
    command["payload"]["priority"] = json!("high");
    let found = errors(&schema, &command);
    assert!(
        found.iter().any(|(path, _)| path == "/payload/priority"),
        "{found:?}"
    );

    command["payload"]["priority"] = json!(5);
    let found = errors(&schema, &command);
    assert!(
        found.iter().any(|(path, _)| path == "/payload/priority"),
        "{found:?}"
    );
}

#[test]
fn schemas_refuse_unknown_fields_and_out_of_range_numbers() {
    let schema = command_schema(CommandType::TaskCreate);
    let cases = [
        ("/payload/colour", "colour", json!("red")),
        ("/payload/estimate_hours", "estimate_hours", json!(0)),
        ("/payload/title", "title", json!("   ")),
        ("/payload/labels", "labels", json!(vec!["x"; 51])),
    ];
    for (path, field, value) in cases {
        let mut command = command_example(CommandType::TaskCreate);
        command["payload"][field] = value;
        let found = errors(&schema, &command);
        assert!(!found.is_empty(), "{field} accepted");
        assert!(
            found.iter().any(|(p, _)| p == path || p == "/payload"),
            "{field}: {found:?}"
        );
    }
    let mut envelope = command_example(CommandType::TaskStart);
    envelope["extra"] = json!(1);
    assert!(!validator(&command_schema(CommandType::TaskStart)).is_valid(&envelope));
    envelope = command_example(CommandType::TaskStart);
    envelope["type"] = json!("task.complete");
    assert!(!validator(&command_schema(CommandType::TaskStart)).is_valid(&envelope));
}
