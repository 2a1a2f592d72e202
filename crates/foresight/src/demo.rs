//! The demo workload of `foresight up --demo`: a few projects built through the real
//! command path, so that a first run has something to show.

use std::time::Duration;

use anyhow::Context;
use async_nats::jetstream;
use bus::Subjects;
use futures::StreamExt;

use crate::workload::project_unit;

const PROJECTS: usize = 5;

pub async fn play(nats: &async_nats::Client, subjects: &Subjects) -> anyhow::Result<()> {
    let mut outcomes = nats.subscribe(subjects.results_filter()).await?;
    let js = jetstream::new(nats.clone());
    let commands: Vec<_> = (0..PROJECTS).flat_map(|_| project_unit()).collect();
    for command in &commands {
        js.publish(
            subjects.command(command.command_type),
            serde_json::to_vec(&command.envelope)?.into(),
        )
        .await?
        .await
        .context("the commands stream did not acknowledge a demo command")?;
    }
    let (mut accepted, mut rejected) = (0, 0);
    while accepted + rejected < commands.len() {
        let message = tokio::time::timeout(Duration::from_secs(30), outcomes.next())
            .await
            .context("the demo's outcomes stopped coming")?
            .context("the outcome subscription ended")?;
        let outcome: serde_json::Value = serde_json::from_slice(&message.payload)?;
        if outcome["status"] == "accepted" {
            accepted += 1
        } else {
            rejected += 1
        }
    }
    tracing::info!(
        projects = PROJECTS,
        accepted,
        rejected,
        "demo workload done; see it with `foresight events`, send more with `foresight send`"
    );
    Ok(())
}
