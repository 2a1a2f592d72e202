//! A fuzz target on stable Rust: proptest over arbitrary bytes, over mutated commands, and
//! over hostile commands built from the contract's own fields, through `intake::decode` and
//! then `decide` in arbitrary worlds. Whatever comes in, nothing panics, and every message is
//! either accepted or answered with a code from the closed set (or, with no readable id,
//! kept with its code).
//!
//! Bounded for CI by case counts (about 20 s on two busy cores in a debug build);
//! `PROPTEST_CASES=<n>` runs each property `n` times instead, for a longer hunt.

#[path = "fuzz/hostile_json.rs"]
mod hostile_json;
#[path = "fuzz/worlds.rs"]
mod worlds;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use commands::{Intake, SchemaCheck, decode};
use domain::{Command, Event, References, Rejection, RejectionCode, State, StreamId, decide};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::FileFailurePersistence;
use proptest::test_runner::TestRunner;
use serde_json::Value;

const LIMIT: usize = 256 * 1024;

fn schemas() -> &'static SchemaCheck {
    static SCHEMAS: OnceLock<SchemaCheck> = OnceLock::new();
    SCHEMAS.get_or_init(|| SchemaCheck::new().expect("schemas compile"))
}

fn now() -> DateTime<Utc> {
    "2026-03-02T09:00:00Z".parse().expect("a time")
}

/// `cases` unless `PROPTEST_CASES` asks for another count.
fn config(cases: u32) -> ProptestConfig {
    let config = ProptestConfig {
        // A failing input is kept beside this file (`fuzz.proptest-regressions`) and tried first next time.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    };
    match std::env::var("PROPTEST_CASES") {
        Ok(_) => config,
        Err(_) => ProptestConfig { cases, ..config },
    }
}

/// What became of one message.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fate {
    /// Kept in `rejected_messages` with its code: no id to answer by.
    Kept(&'static str),
    /// Answered by id at intake.
    Refused(&'static str),
    Accepted,
    Rejected(&'static str),
}

fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(fields) => fields.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

fn check_rejection(rejection: &Rejection) -> Result<(), TestCaseError> {
    prop_assert!(RejectionCode::ALL.contains(&rejection.code));
    prop_assert!(!rejection.message.is_empty());
    prop_assert!(!rejection.message.contains('\0'), "{}", rejection.message);
    if let Some(field) = &rejection.field {
        prop_assert!(!field.is_empty() && !field.contains('\0'), "{:?}", field);
    }
    Ok(())
}

/// Decodes one message and, if it is a command, decides it in `world`.
fn handle(
    subject: Option<&str>,
    body: &[u8],
    world: &BTreeMap<StreamId, State>,
) -> Result<Fate, TestCaseError> {
    match decode(body, subject, LIMIT, schemas(), now()) {
        Intake::Unanswerable { code, error } => {
            prop_assert!(RejectionCode::ALL.contains(&code));
            prop_assert!(!error.is_empty() && !error.contains('\0'), "{}", error);
            Ok(Fate::Kept(code.as_str()))
        }
        Intake::Rejected {
            command_type,
            rejection,
            ..
        } => {
            check_rejection(&rejection)?;
            // Printable: control characters escaped, cut after 64 of the subject's characters.
            prop_assert!(
                !command_type.contains('\0') && command_type.len() <= 64 * 12,
                "{:?}",
                command_type
            );
            Ok(Fate::Refused(rejection.code.as_str()))
        }
        Intake::Valid { envelope, command } => {
            prop_assert_eq!(
                envelope.command_type.as_str(),
                command.command_type().as_str()
            );
            prop_assert!(!holds_nul(&command.payload()) && !envelope.actor.contains('\0'));
            decide_in(world, &command)
        }
    }
}

fn decide_in(world: &BTreeMap<StreamId, State>, command: &Command) -> Result<Fate, TestCaseError> {
    let mut refs = References::new();
    for (stream, state) in world {
        refs.insert(stream.clone(), state.clone());
    }
    match decide(command, world.get(&command.target()), &refs) {
        Ok(events) => {
            prop_assert!(!events.is_empty());
            for event in events {
                prop_assert_eq!(event.stream(), command.target());
                // What is accepted can be stored, and reads back as it was decided.
                let payload = event.payload();
                prop_assert!(!holds_nul(&payload));
                let stored =
                    Event::from_stored(event.event_type(), event.schema_version(), &payload);
                prop_assert_eq!(stored.as_ref().ok(), Some(&event));
            }
            Ok(Fate::Accepted)
        }
        Err(rejection) => {
            check_rejection(&rejection)?;
            prop_assert!(rejection.field.is_some(), "{}", rejection);
            Ok(Fate::Rejected(rejection.code.as_str()))
        }
    }
}

fn subject() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        4 => prop::sample::select(domain::CommandType::ALL.to_vec()).prop_map(|k| Some(k.as_str().to_owned())),
        1 => Just(None),
        1 => any::<String>().prop_map(Some),
    ]
}

/// A byte-level edit of a message: one byte changed, inserted or removed, or the end cut off.
fn mutated() -> impl Strategy<Value = (Option<String>, Vec<u8>)> {
    (
        hostile_json::message(),
        any::<prop::sample::Index>(),
        any::<u8>(),
        0..4u8,
    )
        .prop_map(|((subject, body), at, byte, edit)| {
            let mut bytes = body.into_bytes();
            let i = at.index(bytes.len().max(1)).min(bytes.len());
            match edit {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                2 if i < bytes.len() => {
                    bytes.remove(i);
                }
                _ => bytes.truncate(i),
            }
            (subject, bytes)
        })
}

proptest! {
    #![proptest_config(config(4_000))]

    #[test]
    fn any_bytes_are_answered_or_kept(subject in subject(), body in prop::collection::vec(any::<u8>(), 0..600)) {
        handle(subject.as_deref(), &body, &BTreeMap::new())?;
    }

    #[test]
    fn edited_commands_are_answered_or_kept((subject, body) in mutated(), world in worlds::world()) {
        handle(subject.as_deref(), &body, &world)?;
    }
}

proptest! {
    #![proptest_config(config(10_000))]

    #[test]
    fn hostile_commands_are_decided_or_refused_with_a_code((subject, body) in hostile_json::message(), world in worlds::world()) {
        handle(subject.as_deref(), body.as_bytes(), &world)?;
    }
}

/// The fuzz target is worth its time only if its inputs reach every fate: kept, refused at
/// intake with each kind of code, accepted by `decide`, and rejected by it.
#[test]
fn the_hostile_messages_reach_every_fate() {
    let mut runner = TestRunner::deterministic();
    let strategy = (hostile_json::message(), worlds::world());
    let mut fates = BTreeMap::new();
    for _ in 0..2_000 {
        let ((subject, body), world) = strategy.new_tree(&mut runner).expect("a value").current();
        let fate = handle(subject.as_deref(), body.as_bytes(), &world).expect("no property fails");
        *fates.entry(fate).or_insert(0u32) += 1;
    }
    for expected in [
        Fate::Accepted,
        Fate::Rejected("not_found"),
        Fate::Rejected("invalid_transition"),
        Fate::Rejected("invalid_command"),
        Fate::Refused("invalid_command"),
        Fate::Refused("invalid_json"),
        Fate::Refused("unknown_command_type"),
    ] {
        assert!(
            fates.contains_key(&expected),
            "{expected:?} never happened: {fates:?}"
        );
    }
}
