//! One batch from the durable pull consumer, bounded in time, and what a failed or
//! unanswered fetch means: the loop starts over.

use std::time::Duration;

use anyhow::Context as _;
use async_nats::jetstream::{self, consumer::pull};
use futures::StreamExt;

use crate::ConsumerConfig;

/// How long past its expiry a batch from the broker is awaited. Now and then (more often under
/// CPU pressure) the status that ends a batch never comes, and the client would wait 5 s for
/// it, the consumer idle meanwhile; what a cut batch misses is delivered again later and,
/// before that, read from the log by the chain check.
const FETCH_GRACE: Duration = Duration::from_millis(250);

/// One batch from the broker. An error status (the durable consumer or its stream is gone,
/// the server is going away), or no answer from a durable consumer that no longer exists,
/// ends the loop, which starts over and creates the consumer again: passed over, it would
/// leave this instance asking a missing consumer forever.
pub(crate) async fn fetch(
    consumer: &jetstream::consumer::Consumer<pull::Config>,
    config: &ConsumerConfig,
) -> anyhow::Result<Vec<jetstream::Message>> {
    let deadline = tokio::time::Instant::now() + config.batch_wait + FETCH_GRACE;
    let mut batch = consumer
        .fetch()
        .max_messages(config.batch_size)
        .expires(config.batch_wait)
        .messages()
        .await
        .map_err(|e| anyhow::anyhow!(e))
        .context("asking the broker for events")?;
    let mut messages = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, batch.next()).await {
            Ok(Some(message)) => messages.push(
                message
                    .map_err(|e| anyhow::anyhow!(e))
                    .context("fetching events from the broker")?,
            ),
            Ok(None) => return Ok(messages),
            // Unanswered: a pull request to a durable consumer that is gone (its stream was
            // deleted, maybe created again) gets no answer either.
            Err(_) => {
                consumer
                    .get_info()
                    .await
                    .map_err(|e| anyhow::anyhow!(e))
                    .context("the durable consumer did not answer")?;
                return Ok(messages);
            }
        }
    }
}
