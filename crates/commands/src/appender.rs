//! Group commit: the appends of commands decided at the same time share one statement, so one
//! transaction and one WAL flush serve them all. A batch that fails is split into single
//! appends, so each command learns its own answer (a conflict, a duplicate) and no command
//! suffers for another.

use std::sync::Arc;

use sqlx::PgPool;
use store::{AppendError, AppendRequest, Appended};
use tokio::sync::{Semaphore, mpsc, oneshot};

/// Appends at most this many commands per statement.
const MAX_BATCH: usize = 64;
/// Batches in flight at once: while they commit, the next commands gather into the next batch.
const FLIGHTS: usize = 4;

type Reply = oneshot::Sender<Result<Appended, AppendError>>;

#[derive(Clone)]
pub struct Appender {
    route: Route,
}

#[derive(Clone)]
enum Route {
    Direct(PgPool),
    Batched(mpsc::UnboundedSender<(AppendRequest, Reply)>),
}

impl Appender {
    /// Every append its own statement: for callers that append one command at a time.
    pub fn direct(pool: PgPool) -> Self {
        Self {
            route: Route::Direct(pool),
        }
    }

    /// Appends that arrive while others commit are gathered into one statement. The gathering
    /// task ends when the last handle is dropped.
    pub fn batched(pool: PgPool) -> Self {
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(gather(pool, queue));
        Self {
            route: Route::Batched(jobs),
        }
    }

    pub async fn append(&self, request: AppendRequest) -> Result<Appended, AppendError> {
        match &self.route {
            Route::Direct(pool) => store::append(pool, &request).await,
            Route::Batched(jobs) => {
                let (reply, answer) = oneshot::channel();
                if jobs.send((request, reply)).is_err() {
                    return Err(AppendError::Database(sqlx::Error::PoolClosed));
                }
                answer
                    .await
                    .unwrap_or(Err(AppendError::Database(sqlx::Error::WorkerCrashed)))
            }
        }
    }
}

async fn gather(pool: PgPool, mut queue: mpsc::UnboundedReceiver<(AppendRequest, Reply)>) {
    let flights = Arc::new(Semaphore::new(FLIGHTS));
    while let Some(first) = queue.recv().await {
        let Ok(flight) = flights.clone().acquire_owned().await else {
            return;
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            append_batch(&pool, batch).await;
            drop(flight);
        });
    }
}

async fn append_batch(pool: &PgPool, batch: Vec<(AppendRequest, Reply)>) {
    if batch.len() > 1 {
        let requests: Vec<&AppendRequest> = batch.iter().map(|(r, _)| r).collect();
        match store::append_many(pool, &requests).await {
            Ok(appended) => {
                for ((_, reply), appended) in batch.into_iter().zip(appended) {
                    let _ = reply.send(Ok(appended));
                }
                return;
            }
            Err(error) => {
                tracing::debug!(%error, commands = batch.len(), "a grouped append failed; appending one by one")
            }
        }
    }
    let singles = batch.into_iter().map(|(request, reply)| async move {
        let _ = reply.send(store::append(pool, &request).await);
    });
    futures::future::join_all(singles).await;
}
