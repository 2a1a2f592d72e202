//! Fault tests: the system under the failures it must survive, each test bounded in time and
//! ending with the same check (`foresight_tests::convergence`): every accepted command's
//! events are in the log, every projection equals a rebuild from the log, and no event was
//! applied twice. Roles run in-process where a task abort or a hook is the fault, and as
//! `foresight run <role>` processes where the fault is a signal (SIGKILL, SIGSTOP).

mod activity;
mod broker;
mod commit_then_crash;
mod consumer_killed;
mod nats_restart;
mod paused_worker;
mod pg_terminated;
mod process;
mod republished;
mod standby;
mod stream_lost;

/// At most two fault tests at once, whatever `--test-threads` says: each runs several roles,
/// and PostgreSQL's connections (100 by default) are shared by every test running.
static TURNS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Waits for this test's turn; the turn lasts as long as the permit.
pub async fn take_turn() -> tokio::sync::SemaphorePermit<'static> {
    TURNS
        .acquire()
        .await
        .expect("the semaphore is never closed")
}
