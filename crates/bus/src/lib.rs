//! JetStream: subject and stream names (the only place they are built), stream set-up, headers.

mod connect;
mod headers;
mod streams;
mod subjects;

pub use connect::{NatsAuth, NatsOptions, NatsTls, connect, redacted_url};
pub use headers::*;
pub use streams::{StreamOptions, delete_streams, ensure_events_stream, ensure_streams};
pub use subjects::Subjects;
