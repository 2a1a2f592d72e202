//! The relay role: the log, in commit order, published to `<NS>_EVENTS`.
//!
//! One relay is active per namespace (a PostgreSQL advisory lock held on its own
//! connection); a second one waits and takes over when the first one's connection ends.

mod message;
mod relay;

pub use message::event_message;
pub use relay::{RelayConfig, RelayContext, run};
