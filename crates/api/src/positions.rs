//! The projections' checkpoints, kept in memory by one poller, so that an answer needs no
//! query to learn the position it reflects, and a cached answer can be checked for free.

use std::collections::HashMap;
use std::time::Duration;

use sqlx::PgPool;
use store::Position;
use tokio::sync::watch;

/// How often the checkpoints are read: the staleness an answer without `min_position` may have.
const POLL: Duration = Duration::from_millis(3);

#[derive(Clone)]
pub struct Positions {
    current: watch::Receiver<HashMap<String, Position>>,
}

impl Positions {
    /// Starts the poller; it stops when every `Positions` clone is dropped.
    pub fn spawn(pool: PgPool) -> Self {
        let (sender, current) = watch::channel(HashMap::new());
        tokio::spawn(async move {
            loop {
                match store::all_checkpoints(&pool).await {
                    Ok(all) => {
                        let all: HashMap<String, Position> = all.into_iter().collect();
                        sender.send_if_modified(|known| {
                            let changed = *known != all;
                            if changed {
                                *known = all;
                            }
                            changed
                        });
                    }
                    Err(error) => tracing::debug!(%error, "reading checkpoints failed; retrying"),
                }
                if sender.is_closed() {
                    return;
                }
                tokio::time::sleep(POLL).await;
            }
        });
        Self { current }
    }

    pub fn get(&self, projection: &str) -> Position {
        self.current
            .borrow()
            .get(projection)
            .copied()
            .unwrap_or(Position::START)
    }

    /// Waits until `projection` is at or past `target`, or `limit` passes; the position reached.
    pub async fn wait_for(&self, projection: &str, target: Position, limit: Duration) -> Position {
        let mut current = self.current.clone();
        let reached = tokio::time::timeout(
            limit,
            current.wait_for(|all| all.get(projection).is_some_and(|p| *p >= target)),
        )
        .await;
        match reached {
            Ok(Ok(all)) => all.get(projection).copied().unwrap_or(Position::START),
            _ => self.get(projection),
        }
    }
}
