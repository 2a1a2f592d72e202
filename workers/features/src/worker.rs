//! The feature worker: the [`Projection`] that folds the log into the feature store and
//! announces each batch on `<ns>.feat.updated`.
//!
//! The fold lives in memory (the training log, its state and what it changed), so it must
//! always sit exactly before the batch it is given. `apply` runs inside the transaction that
//! moves the checkpoint, which may roll back after the fold went on, and a rebuild
//! (`consumer::replay`) starts a new worker from the log's first event; so each batch first
//! checks where the fold stands against the log, and rebuilds it from the log when it does not
//! sit right before the batch.

use std::time::Instant;

use anyhow::Context as _;
use bus::Subjects;
use consumer::{LoggedEvent, Projection};
use sqlx::PgConnection;
use store::{Position, RecordedEvent};
use tokio::sync::Mutex;

use crate::serving::Serving;
use crate::store::{SCHEMA_SQL, dump, write_batch};

/// Events read from the log at once when the fold is rebuilt.
const REBUILD_PAGE: i64 = 20_000;

/// Keeps the feature store. `nats` carries the news of each batch; `None` sends none (a
/// rebuild, a test).
pub struct FeatureWorker {
    nats: Option<async_nats::Client>,
    subjects: Subjects,
    fold: Mutex<Fold>,
}

/// The in-memory fold and the log position it has folded up to.
#[derive(Debug, Default)]
struct Fold {
    serving: Serving,
    /// `Position::START` when nothing is folded.
    position: Position,
}

impl FeatureWorker {
    pub fn new(nats: Option<async_nats::Client>, subjects: Subjects) -> Self {
        Self {
            nats,
            subjects,
            fold: Mutex::new(Fold::default()),
        }
    }

    /// Tells the prediction worker that the store moved on to `seq`.
    async fn announce(&self, seq: i64) {
        let Some(nats) = &self.nats else {
            return;
        };
        // Sent before the transaction commits, and even for a batch that then rolls back: the
        // news is only a wake-up, the reader polls the store too, and a read that finds
        // nothing new costs it one query.
        if let Err(error) = nats
            .publish(self.subjects.features_updated(), seq.to_string().into())
            .await
        {
            tracing::warn!(%error, seq, "the feature news could not be sent; readers will poll");
        }
    }
}

impl Projection for FeatureWorker {
    fn name(&self) -> &'static str {
        crate::store::CONSUMER
    }

    fn schema_sql(&self) -> &'static str {
        SCHEMA_SQL
    }

    async fn apply(&self, conn: &mut PgConnection, events: &[LoggedEvent]) -> anyhow::Result<()> {
        let (Some(first), Some(last)) = (events.first(), events.last()) else {
            return Ok(());
        };
        let mut fold = self.fold.lock().await;
        fold.align(conn, first.recorded.position()).await?;
        for e in events {
            fold.serving
                .observe(&e.event, e.recorded.occurred_at, e.recorded.global_position);
        }
        fold.position = last.recorded.position();
        let changed = fold.serving.take_changed();
        drop(fold);
        if changed.is_empty() {
            return Ok(());
        }
        let seq = write_batch(conn, &changed).await?;
        self.announce(seq).await;
        Ok(())
    }

    async fn dump(&self, conn: &mut PgConnection) -> anyhow::Result<serde_json::Value> {
        dump(conn).await
    }
}

impl Fold {
    /// Makes the fold sit right before `first`: as it is when the log's next event after it is
    /// `first` (one indexed read), else folded on from the log, or from the log's start when
    /// it went past `first` (a batch whose transaction rolled back comes again). What the
    /// catch-up folds is not written: the store holds it already.
    async fn align(&mut self, conn: &mut PgConnection, first: Position) -> anyhow::Result<()> {
        let next = store::read_after(&mut *conn, self.position, 1)
            .await
            .context("reading the log's next event")?;
        if next.first().map(RecordedEvent::position) == Some(first) {
            return Ok(());
        }
        if self.position >= first {
            *self = Fold::default();
        }
        let started = Instant::now();
        let from = self.position;
        let mut folded = 0usize;
        // Poison the live consumer gave up on is passed over here too.
        let dead = store::dead_letter_positions(&mut *conn, crate::store::CONSUMER).await?;
        loop {
            let mut page = store::read_after(&mut *conn, self.position, REBUILD_PAGE)
                .await
                .context("reading the log to rebuild the feature fold")?;
            let read = page.len();
            let cut = page
                .iter()
                .position(|e| e.position() >= first)
                .unwrap_or(read);
            let rest = page.split_off(cut);
            folded += page.len();
            if let Some(last) = page.last() {
                self.position = last.position();
            }
            for e in consumer::decode(store::without_dead_letters(page, &dead))? {
                self.serving
                    .observe(&e.event, e.recorded.occurred_at, e.recorded.global_position);
            }
            if let Some(next) = rest.first() {
                anyhow::ensure!(
                    next.position() == first,
                    "the batch's first event {first:?} is not the log's next one ({:?})",
                    next.position()
                );
                break;
            }
            anyhow::ensure!(
                read > 0,
                "the log before {first:?} is not readable yet (an open transaction holds it back)"
            );
        }
        self.serving.discard_changed();
        tracing::info!(
            consumer = "features",
            from = from.global_position,
            to = self.position.global_position,
            events = folded,
            seconds = started.elapsed().as_secs_f64(),
            "feature fold rebuilt from the log"
        );
        Ok(())
    }
}
