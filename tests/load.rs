//! Load for fault tests: a seeded, realistic history (`simulate`), sent by a client that keeps
//! going through faults. Each publish is retried until JetStream acknowledges it (a command
//! is idempotent by its id, so a publish whose ack was lost does no harm when sent again);
//! outcomes are gathered from their subjects, or read from `command_results` when the news
//! was lost on the way (a broker restart drops what was in flight).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_nats::jetstream;
use bus::Subjects;
use chrono::Utc;
use futures::StreamExt;
use serde_json::Value;
use sqlx::PgPool;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// How long a client keeps trying to publish one command.
const PUBLISH_WITHIN: Duration = Duration::from_secs(60);

/// The commands of a seeded history of about `events` events, in the order that has every one
/// accepted.
pub fn history(seed: u64, events: usize) -> Vec<simulate::SimCommand> {
    simulate::simulate(&simulate::SimConfig::new(seed, events, Utc::now())).commands
}

pub struct CommandClient {
    js: jetstream::Context,
    subjects: Subjects,
    received: Arc<Mutex<HashMap<Uuid, Value>>>,
    listener: JoinHandle<()>,
    sent: Vec<Uuid>,
    /// Publishes that failed and were sent again.
    pub retries: usize,
}

impl CommandClient {
    /// Listens to every outcome of the namespace, then is ready to send.
    pub async fn new(nats: &async_nats::Client, subjects: &Subjects) -> Self {
        let mut outcomes = nats
            .subscribe(subjects.results_filter())
            .await
            .expect("subscribing to outcomes");
        nats.flush().await.expect("flush");
        let received = Arc::new(Mutex::new(HashMap::new()));
        let into = received.clone();
        let listener = tokio::spawn(async move {
            while let Some(message) = outcomes.next().await {
                let Ok(outcome) = serde_json::from_slice::<Value>(&message.payload) else {
                    continue;
                };
                let id = outcome["command_id"]
                    .as_str()
                    .and_then(|id| Uuid::parse_str(id).ok());
                if let Some(id) = id {
                    into.lock().expect("outcomes").insert(id, outcome);
                }
            }
        });
        Self {
            js: jetstream::new(nats.clone()),
            subjects: subjects.clone(),
            received,
            listener,
            sent: Vec::new(),
            retries: 0,
        }
    }

    /// Publishes `command` until JetStream acknowledges it (within a minute).
    pub async fn send(&mut self, command: &simulate::SimCommand) {
        let body = serde_json::to_vec(&command.envelope).expect("JSON");
        let subject = self.subjects.command(command.command_type);
        let deadline = Instant::now() + PUBLISH_WITHIN;
        loop {
            let published = async {
                self.js
                    .publish(subject.clone(), body.clone().into())
                    .await?
                    .await
            }
            .await;
            match published {
                Ok(_) => break,
                Err(error) => {
                    assert!(
                        Instant::now() < deadline,
                        "command {} was never acknowledged: {error}",
                        command.command_id
                    );
                    self.retries += 1;
                    // Back-off while the broker is away.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
        self.sent.push(command.command_id);
    }

    pub fn sent(&self) -> usize {
        self.sent.len()
    }

    /// Sends `commands` in order from a task of its own, so that the test can meanwhile do
    /// something to the system.
    pub fn send_all(mut self, commands: Vec<simulate::SimCommand>) -> Sending {
        let sent = Arc::new(AtomicUsize::new(0));
        let progress = sent.clone();
        let task = tokio::spawn(async move {
            for command in &commands {
                self.send(command).await;
                progress.fetch_add(1, Ordering::SeqCst);
            }
            self
        });
        Sending { sent, task }
    }

    /// Waits (up to `limit`) until every command sent has an outcome, and returns them: the one
    /// received, else the one recorded. Also returns how many came only from the record.
    pub async fn settle(&self, pool: &PgPool, limit: Duration) -> (Vec<Value>, usize) {
        let deadline = Instant::now() + limit;
        loop {
            let received = self.received.lock().expect("outcomes").clone();
            let missing: Vec<Uuid> = self
                .sent
                .iter()
                .filter(|id| !received.contains_key(id))
                .copied()
                .collect();
            let recorded: HashMap<Uuid, Value> = sqlx::query_as(
                "SELECT command_id, outcome FROM command_results WHERE command_id = ANY($1)",
            )
            .bind(&missing)
            .fetch_all(pool)
            .await
            .expect("command results")
            .into_iter()
            .collect();
            if recorded.len() == missing.len() {
                let outcomes = self
                    .sent
                    .iter()
                    .map(|id| {
                        received
                            .get(id)
                            .or(recorded.get(id))
                            .cloned()
                            .expect("an outcome")
                    })
                    .collect();
                return (outcomes, recorded.len());
            }
            assert!(
                Instant::now() < deadline,
                "{} of {} commands have no outcome",
                missing.len() - recorded.len(),
                self.sent.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for CommandClient {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

/// A client sending in the background.
pub struct Sending {
    sent: Arc<AtomicUsize>,
    task: JoinHandle<CommandClient>,
}

impl Sending {
    /// Waits (up to a minute) until `count` commands are sent.
    pub async fn wait_sent(&self, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.sent.load(Ordering::SeqCst) < count {
            assert!(!self.task.is_finished(), "the client stopped sending");
            assert!(
                Instant::now() < deadline,
                "only {} commands sent",
                self.sent.load(Ordering::SeqCst)
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }

    /// The client, once every command is sent.
    pub async fn finish(self) -> CommandClient {
        tokio::time::timeout(Duration::from_secs(120), self.task)
            .await
            .expect("the client sends everything in time")
            .expect("the client did not panic")
    }
}

/// Outcomes that are `accepted`.
pub fn accepted(outcomes: &[Value]) -> usize {
    outcomes
        .iter()
        .filter(|o| o["status"] == "accepted")
        .count()
}
