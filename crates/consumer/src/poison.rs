//! Poison events: an event the projection cannot apply is tried a bounded number of times,
//! then kept in `dead_letters` with its error and passed over, so the events behind it go on.
//! Failures of the database or the broker never count: they are retried for as long as
//! they last.

use store::RecordedEvent;

use crate::Projection;
use crate::failure::is_transient;
use crate::runtime::{Follower, apply_lock};

impl<P: Projection> Follower<'_, P> {
    /// Applies `recorded` as one batch; when that fails for a reason of its own, applies its
    /// events one at a time to find the one that fails, and counts an attempt against it.
    pub(crate) async fn apply(&mut self, recorded: Vec<RecordedEvent>) -> anyhow::Result<()> {
        if recorded.len() > 1 {
            match self.apply_batch(recorded.clone()).await {
                Ok(()) => return Ok(()),
                Err(error) if is_transient(&error) => return Err(error),
                Err(error) => tracing::warn!(
                    consumer = self.projection.name(),
                    error = %format!("{error:#}"),
                    "a batch failed to apply; applying its events one at a time"
                ),
            }
        }
        for event in recorded {
            if event.position() <= self.checkpoint {
                continue;
            }
            let position = event.position();
            match self.apply_batch(vec![event.clone()]).await {
                Ok(()) => {
                    self.attempts.remove(&position);
                }
                Err(error) if is_transient(&error) => return Err(error),
                Err(error) => {
                    let attempts = self.attempts.entry(position).or_insert(0);
                    *attempts += 1;
                    let attempts = *attempts;
                    let max = self.ctx.config.max_attempts;
                    if attempts < max {
                        return Err(error.context(format!(
                            "event {} at position {} failed to apply (attempt {attempts} of {max})",
                            event.event_id, event.global_position
                        )));
                    }
                    self.give_up(&event, attempts, &error).await?;
                    self.attempts.remove(&position);
                }
            }
        }
        Ok(())
    }

    /// Keeps the event in `dead_letters` and moves the checkpoint past it, in one transaction.
    async fn give_up(
        &mut self,
        event: &RecordedEvent,
        attempts: u32,
        error: &anyhow::Error,
    ) -> anyhow::Result<()> {
        let name = self.projection.name();
        let message = format!("{error:#}");
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind(apply_lock(self.ctx.subjects.namespace(), name))
            .execute(&mut *tx)
            .await?;
        store::record_dead_letter(&mut *tx, name, event, attempts, &message).await?;
        store::save_checkpoint(&mut *tx, name, event.position()).await?;
        tx.commit().await?;
        self.checkpoint = self.checkpoint.max(event.position());
        self.ctx
            .metrics
            .dead_letters
            .with_label_values(&[name])
            .inc();
        tracing::error!(
            consumer = name,
            event_id = %event.event_id,
            position = event.global_position,
            event_type = %event.event_type,
            stream = %event.stream_id,
            attempts,
            error = %message,
            "gave up on a poison event; it is kept in dead_letters and the events behind it go on"
        );
        Ok(())
    }
}
