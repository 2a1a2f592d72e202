//! Wake-ups for log readers, sent after commits rather than inside them.
//!
//! A NOTIFY inside the append transaction takes a cluster-wide lock that is held until the
//! commit is flushed, which serialises every appending transaction behind one WAL flush
//! at a time. Notifying right after the commit keeps group commit, and several appends
//! that finish together share one wake-up. NOTIFY is only a hint: readers also poll.

use std::sync::Arc;

use domain::Namespace;
use sqlx::PgPool;
use tokio::sync::Notify;

/// The channel log readers LISTEN on.
pub fn notify_channel(namespace: &Namespace) -> String {
    format!("{}_events", namespace.as_str())
}

/// Coalescing notifier: `wake` is cheap and never waits; a background task sends the NOTIFY.
#[derive(Clone)]
pub struct Notifier {
    pending: Arc<Notify>,
}

impl Notifier {
    pub fn spawn(pool: PgPool, namespace: &Namespace) -> Self {
        let pending = Arc::new(Notify::new());
        let channel = notify_channel(namespace);
        let waiter = pending.clone();
        tokio::spawn(async move {
            loop {
                waiter.notified().await;
                if let Err(error) = sqlx::query("SELECT pg_notify($1, '')")
                    .bind(&channel)
                    .execute(&pool)
                    .await
                {
                    // Readers poll as a backstop, so a lost wake-up only delays them.
                    tracing::debug!(%error, "sending the log wake-up failed");
                }
                if pool.is_closed() {
                    break;
                }
            }
        });
        Self { pending }
    }

    pub fn wake(&self) {
        self.pending.notify_one();
    }
}
