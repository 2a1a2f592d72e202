//! `foresight send`: publish one command and print its outcome.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use async_nats::jetstream;
use bus::Subjects;
use clap::Args;
use futures::StreamExt;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::config::Config;

#[derive(Args, Debug)]
pub struct SendArgs {
    /// The command type, e.g. `task.start`.
    #[arg(required_unless_present = "envelope")]
    pub command_type: Option<String>,
    /// Payload fields as `key=value`; a value that parses as JSON is taken as JSON, else as a string.
    pub fields: Vec<String>,
    /// The whole payload as JSON (fields given as `key=value` are added to it).
    #[arg(long)]
    pub payload: Option<String>,
    /// A complete envelope as JSON, sent as it is.
    #[arg(long, conflicts_with_all = ["command_type", "payload"])]
    pub envelope: Option<String>,
    #[arg(long, default_value = "cli")]
    pub actor: String,
    /// Reuse an id to re-send a command; a new one by default.
    #[arg(long)]
    pub command_id: Option<Uuid>,
    #[arg(long)]
    pub expected_version: Option<i64>,
    /// Business time (RFC 3339) of the change.
    #[arg(long)]
    pub occurred_at: Option<String>,
    /// How long to wait for the outcome.
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
}

pub async fn send(config: &Config, args: SendArgs) -> anyhow::Result<ExitCode> {
    let envelope = build_envelope(&args)?;
    let command_type = envelope["type"]
        .as_str()
        .context("the envelope has no type")?
        .to_owned();
    let command_id = envelope["command_id"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .context("the envelope has no command_id UUID")?;

    let nats = bus::connect(&config.nats_client_options("send")).await?;
    let subjects = Subjects::new(&config.namespace);
    // Subscribe before publishing, or a fast handler's answer could be missed.
    let mut results = nats.subscribe(subjects.result(command_id)).await?;
    let js = jetstream::new(nats.clone());
    js.publish(
        subjects.command(&command_type),
        serde_json::to_vec(&envelope)?.into(),
    )
    .await
    .context("publishing the command")?
    .await
    .context("the commands stream did not acknowledge the command")?;

    let outcome = tokio::time::timeout(Duration::from_millis(args.timeout_ms), results.next())
        .await
        .with_context(|| {
            format!(
                "no outcome for {command_id} within {} ms (is `foresight up` running?)",
                args.timeout_ms
            )
        })?
        .context("the subscription ended")?;
    let outcome: Value =
        serde_json::from_slice(&outcome.payload).context("the outcome is not JSON")?;
    println!("{}", serde_json::to_string_pretty(&outcome)?);
    Ok(if outcome["status"] == "accepted" {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn build_envelope(args: &SendArgs) -> anyhow::Result<Value> {
    if let Some(raw) = &args.envelope {
        return serde_json::from_str(raw).context("--envelope is not JSON");
    }
    let mut payload = match &args.payload {
        Some(raw) => serde_json::from_str(raw).context("--payload is not JSON")?,
        None => json!({}),
    };
    let object = payload
        .as_object_mut()
        .context("the payload must be a JSON object")?;
    for field in &args.fields {
        let (key, value) = field
            .split_once('=')
            .with_context(|| format!("{field}: expected key=value"))?;
        let value = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()));
        object.insert(key.to_owned(), value);
    }
    let mut envelope = json!({
        "command_id": args.command_id.unwrap_or_else(Uuid::new_v4),
        "type": args.command_type,
        "actor": args.actor,
        "payload": payload,
    });
    if let Some(version) = args.expected_version {
        envelope["expected_version"] = json!(version);
    }
    if let Some(at) = &args.occurred_at {
        envelope["occurred_at"] = json!(at);
    }
    Ok(envelope)
}
