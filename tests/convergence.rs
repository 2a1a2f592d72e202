//! The check every fault test ends with, once the load is over and the fault is gone:
//!
//! 1. every command that got an accepted outcome has its events in the log (its positions
//!    exist and carry its command id), `command_results` agrees with what the client
//!    received, and no event of a command lacks its accepted outcome;
//! 2. no event was applied twice: no consumer saw a stream's versions out of order, and
//!    where the consumers ran audited, each event of the log was applied exactly once
//!    (or given up on as poison);
//! 3. every projection that ran equals a rebuild from the log (which also catches a double
//!    apply: logged hours, reopen counts and the like would differ).

use std::time::Duration;

use consumer::Projection;
use serde_json::Value;
use testkit::TestEnv;
use uuid::Uuid;

use crate::audit;
use crate::harness::{dump, wait_caught_up};

/// A consumer whose projection the check rebuilds and compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consumer {
    Boards,
    Schedules,
    Analytics,
    Features,
}

impl Consumer {
    pub fn name(self) -> &'static str {
        match self {
            Consumer::Boards => boards::Boards.name(),
            Consumer::Schedules => schedules::Schedules.name(),
            Consumer::Analytics => analytics::Analytics.name(),
            Consumer::Features => features::store::CONSUMER,
        }
    }
}

/// What a fault test hands the final check.
#[derive(Default)]
pub struct FinalCheck<'a> {
    /// Outcomes the clients got (any status).
    pub outcomes: &'a [Value],
    /// The consumers that ran: each catches up with the log and equals its rebuild.
    pub consumers: &'a [Consumer],
    /// Registries of the roles that ran in this process.
    pub metrics: &'a [&'a telemetry::Metrics],
    /// `/metrics` texts scraped from role processes.
    pub scraped: &'a [String],
}

/// Asserts that the system converged after a fault: see the module's documentation.
pub async fn assert_converged(env: &TestEnv, check: FinalCheck<'_>) {
    for consumer in check.consumers {
        wait_caught_up(env, consumer.name(), Duration::from_secs(60)).await;
    }
    accepted_commands_are_in_the_log(env, check.outcomes).await;
    no_event_applied_twice(env, &check).await;
    for consumer in check.consumers {
        match consumer {
            Consumer::Boards => equals_its_rebuild(env, &boards::Boards).await,
            Consumer::Schedules => equals_its_rebuild(env, &schedules::Schedules).await,
            Consumer::Analytics => equals_its_rebuild(env, &analytics::Analytics).await,
            Consumer::Features => {
                let worker = features::FeatureWorker::new(None, env.subjects.clone());
                equals_its_rebuild(env, &worker).await
            }
        }
    }
}

async fn accepted_commands_are_in_the_log(env: &TestEnv, outcomes: &[Value]) {
    for outcome in outcomes {
        let id = outcome["command_id"]
            .as_str()
            .and_then(|id| Uuid::parse_str(id).ok())
            .expect("an outcome names its command");
        let recorded = store::find_outcome(&env.pool, id)
            .await
            .expect("command results")
            .unwrap_or_else(|| panic!("command {id} got an outcome that is not recorded"));
        for field in ["status", "stream_id", "version", "positions", "error"] {
            assert_eq!(
                outcome.get(field),
                recorded.get(field),
                "command {id}: the outcome received differs from the one recorded in {field}"
            );
        }
    }
    // Every accepted outcome recorded (received or not) points at its own events.
    let (accepted, missing, empty): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(DISTINCT r.command_id), \
                count(p.position) FILTER (WHERE NOT EXISTS ( \
                    SELECT 1 FROM events e WHERE e.global_position = p.position::bigint \
                       AND e.metadata->>'command_id' = r.command_id::text)), \
                count(DISTINCT r.command_id) FILTER (WHERE jsonb_array_length(r.outcome->'positions') = 0) \
         FROM command_results r \
         LEFT JOIN LATERAL jsonb_array_elements_text(r.outcome->'positions') AS p(position) ON true \
         WHERE r.status = 'accepted'",
    )
    .fetch_one(&env.pool)
    .await
    .expect("accepted outcomes");
    assert_eq!(
        missing, 0,
        "positions of accepted commands missing from the log"
    );
    assert_eq!(empty, 0, "accepted commands without events");
    // And no event of a command is in the log without that command's accepted outcome.
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM events e WHERE e.metadata ? 'command_id' AND NOT EXISTS ( \
             SELECT 1 FROM command_results r \
              WHERE r.command_id::text = e.metadata->>'command_id' AND r.status = 'accepted' \
                AND r.outcome->'positions' @> to_jsonb(e.global_position))",
    )
    .fetch_one(&env.pool)
    .await
    .expect("events of commands");
    assert_eq!(
        orphans, 0,
        "events in the log without their accepted outcome"
    );
    eprintln!(
        "final check: {} outcomes received, {accepted} accepted commands recorded, all in the log",
        outcomes.len()
    );
}

async fn no_event_applied_twice(env: &TestEnv, check: &FinalCheck<'_>) {
    let texts: Vec<String> = check
        .metrics
        .iter()
        .map(|m| m.render())
        .chain(check.scraped.iter().cloned())
        .collect();
    for text in &texts {
        for line in text
            .lines()
            .filter(|l| l.starts_with("foresight_consumer_version_gaps_total"))
        {
            assert!(
                line.ends_with(" 0"),
                "a stream's versions arrived out of order: {line}"
            );
        }
    }
    if !audit::recorded(env).await {
        return;
    }
    for consumer in check.consumers {
        let name = consumer.name();
        let (applications, distinct, unapplied) = audit::applied(env, name).await;
        assert_eq!(
            applications,
            distinct,
            "{name}: {} events applied more than once",
            applications - distinct
        );
        assert_eq!(unapplied, 0, "{name}: events of the log never applied");
        eprintln!("final check: {name} applied each of {distinct} events once");
    }
}

async fn equals_its_rebuild<P: Projection>(env: &TestEnv, projection: &P) {
    let name = projection.name();
    let live = dump(env, projection).await;
    consumer::replay(&env.connect_options(), projection, 5000)
        .await
        .unwrap_or_else(|e| panic!("rebuilding {name}: {e:#}"));
    let rebuilt = dump(env, projection).await;
    if live != rebuilt {
        panic!(
            "{name}: the live projection differs from a rebuild from the log: {}",
            first_difference(&live, &rebuilt)
        );
    }
}

/// Where two dumps first differ, briefly: a whole dump is too long to read in a failure.
fn first_difference(live: &Value, rebuilt: &Value) -> String {
    match (live, rebuilt) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                if a.get(key) != b.get(key) {
                    let (x, y) = (
                        a.get(key).unwrap_or(&Value::Null),
                        b.get(key).unwrap_or(&Value::Null),
                    );
                    return format!("{key}: {}", first_difference(x, y));
                }
            }
            "no difference".into()
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if x != y {
                    return format!("[{i}] live {x} / rebuilt {y}");
                }
            }
            format!("live has {} rows, rebuilt {}", a.len(), b.len())
        }
        (x, y) => format!("live {x} / rebuilt {y}"),
    }
}
