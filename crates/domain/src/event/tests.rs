//! Event tests: type names, reading stored events back, and the totality of `evolve`.

use std::collections::BTreeSet;

use serde_json::json;

use super::*;
use crate::schema::event_example;
use crate::state::{State, evolve};

fn examples() -> Vec<Event> {
    EventType::ALL
        .into_iter()
        .map(|t| Event::from_stored(t.as_str(), 1, &event_example(t)).unwrap())
        .collect()
}

#[test]
fn type_names_are_unique_and_start_with_their_stream_category() {
    let names: BTreeSet<&str> = EventType::ALL.iter().map(EventType::as_str).collect();
    assert_eq!(names.len(), EventType::ALL.len());
    for event in examples() {
        let t = event.kind();
        assert_eq!(EventType::parse(t.as_str()), Some(t));
        assert_eq!(event.stream().category(), t.category(), "{t}");
        assert_eq!(
            event.project_id().is_some(),
            !matches!(t.category(), "member" | "model"),
            "{t}"
        );
        assert_eq!(event.schema_version(), 1);
    }
}

#[test]
fn stored_events_that_cannot_be_read_say_why() {
    let payload = event_example(EventType::TaskStarted);
    assert_eq!(
        Event::from_stored("task.exploded", 1, &payload),
        Err(UpcastError::UnknownEventType("task.exploded".into()))
    );
    assert!(matches!(
        Event::from_stored("task.started", 2, &payload),
        Err(UpcastError::UnsupportedSchemaVersion { version: 2, .. })
    ));
    assert!(matches!(
        Event::from_stored("task.started", 1, &json!({"task_id": 1})),
        Err(UpcastError::InvalidPayload {
            event_type: "task.started",
            ..
        })
    ));
}

#[test]
fn readers_tolerate_fields_added_later() {
    let mut payload = event_example(EventType::TaskStarted);
    payload["started_by"] = json!("someone");
    assert!(Event::from_stored("task.started", 1, &payload).is_ok());
}

fn is_creation(event: &Event) -> bool {
    matches!(
        event,
        Event::ProjectCreated(_) | Event::TaskCreated(_) | Event::MemberRegistered(_)
    )
}

#[test]
fn evolve_is_total_over_every_event_and_state() {
    let events = examples();
    let created: Vec<State> = events
        .iter()
        .filter(|e| is_creation(e))
        .filter_map(|e| evolve(None, e))
        .collect();
    assert_eq!(created.len(), 3);
    for event in &events {
        if !is_creation(event) {
            assert_eq!(
                evolve(None, event),
                None,
                "{} before creation",
                event.kind()
            );
        }
        for state in &created {
            let after = evolve(Some(state.clone()), event);
            if is_creation(event) || event.stream().category() != state.category() {
                assert_eq!(
                    after.as_ref(),
                    Some(state),
                    "{} changed a {}",
                    event.kind(),
                    state.category()
                );
            }
        }
    }
}
