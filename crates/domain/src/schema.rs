//! JSON Schemas of the public contract, generated from the Rust types, with their examples.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Value, json};

use crate::command::{CommandEnvelope, CommandType};
use crate::event::EventType;
use crate::schema_examples;

/// The schemas' own version, in their file names; a breaking change would need a v2 file.
const SCHEMA_FILE_VERSION: u32 = 1;

fn generator() -> SchemaGenerator {
    // Inline everything: each file stands alone, so a client needs no resolver for `$ref`s.
    SchemaSettings::draft2020_12()
        .for_deserialize()
        .with(|settings| settings.inline_subschemas = true)
        .into_generator()
}

/// `commands/<type>.v1.json`, relative to the `schemas/` folder.
pub fn command_schema_file(t: CommandType) -> String {
    format!("commands/{}.v{SCHEMA_FILE_VERSION}.json", t.as_str())
}

/// `events/<type>.v1.json`, relative to the `schemas/` folder.
pub fn event_schema_file(t: EventType) -> String {
    format!("events/{}.v{SCHEMA_FILE_VERSION}.json", t.as_str())
}

/// The schema of a whole `t` command envelope, payload included.
pub fn command_schema(t: CommandType) -> Value {
    let mut generator = generator();
    let mut schema = root::<CommandEnvelope>(&mut generator);
    let payload = nested(t.payload_schema(&mut generator).to_value());
    let description = payload.get("description").cloned().unwrap_or(Value::Null);
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), json!(t.as_str()));
        object.insert("description".into(), description);
        object.insert("examples".into(), json!([command_example(t)]));
    }
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        let type_doc = properties
            .get("type")
            .and_then(|p| p.get("description"))
            .cloned();
        properties.insert(
            "type".into(),
            json!({"const": t.as_str(), "description": type_doc}),
        );
        properties.insert("payload".into(), payload);
    }
    schema
}

/// The schema of a `t` event's payload.
pub fn event_schema(t: EventType) -> Value {
    let mut schema = t.payload_schema(&mut generator()).to_value();
    if let Some(object) = schema.as_object_mut() {
        object.insert("title".into(), json!(t.as_str()));
        object.insert("examples".into(), json!([event_example(t)]));
    }
    schema
}

/// A complete, valid envelope of a `t` command.
pub fn command_example(t: CommandType) -> Value {
    json!({
        "command_id": "5b1f0c52-8f3e-4d6a-9c1b-7a2e4f6d8c90",
        "type": t.as_str(),
        "occurred_at": "2025-03-10T09:30:00Z",
        "expected_version": if t.creates() { 0 } else { 3 },
        "actor": "ada@example.com",
        "correlation_id": "e2a4c6d8-1b3f-4a5c-8e7d-9f0b1c2d3e4f",
        "payload": schema_examples::command_payload(t),
    })
}

/// A valid payload of a `t` event.
pub fn event_example(t: EventType) -> Value {
    schema_examples::event_payload(t)
}

fn root<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    generator.root_schema_for::<T>().to_value()
}

/// A root schema made fit to sit inside another one.
fn nested(mut schema: Value) -> Value {
    if let Some(object) = schema.as_object_mut() {
        object.remove("$schema");
    }
    schema
}
