//! The follow-the-log runtime every projection and worker uses.
//!
//! JetStream brings the news; PostgreSQL is the truth. A consumer applies a batch and moves
//! its checkpoint in one transaction, then acknowledges; anything at or below the checkpoint
//! is skipped; a batch that does not start right after the checkpoint (a new consumer, a
//! trimmed or purged stream, a lost message) is replaced by a read from the log.

mod batch;
mod failure;
mod fetch;
mod lag_monitor;
mod poison;
mod projection;
mod replay;
mod runtime;
mod schema;

pub use batch::{Incoming, plan_batch};
pub use failure::is_transient;
pub use lag_monitor::LagMonitor;
pub use projection::{LoggedEvent, Projection, decode};
pub use replay::{ReplayReport, replay};
pub use runtime::{ConsumerConfig, ConsumerContext, run};
pub use schema::{ensure_schema, projection_schema};
