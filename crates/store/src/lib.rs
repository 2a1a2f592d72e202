//! The event log in PostgreSQL: migrations, append, commit-order reads, checkpoints, command results.
//!
//! The namespace reaches PostgreSQL only as the pool's `search_path`; every query here uses
//! unqualified table names.

mod append;
mod checkpoint;
mod command_results;
mod connect;
mod dead_letters;
mod event;
mod migrate;
mod notify;
mod position;
mod read;
mod rejected_messages;

pub use append::{
    AppendError, AppendRequest, Appended, CommandRecord, NewEvent, StreamAppend, append,
    append_many,
};
pub use checkpoint::{all_checkpoints, load_checkpoint, reset_checkpoint, save_checkpoint};
pub use command_results::{find_outcome, record_rejection};
pub use connect::{ConnectOptions, connect, drop_namespace};
pub use dead_letters::{dead_letter_positions, record_dead_letter, without_dead_letters};
pub use event::RecordedEvent;
pub use migrate::{is_duplicate_object, migrate};
pub use notify::{Notifier, notify_channel};
pub use position::Position;
pub use read::{
    has_events_after, head_position, lag_after, last_recorded_before, latest_of_category,
    oldest_transaction_age_seconds, position_of, read_after, read_stream, read_streams,
    stream_versions,
};
pub use rejected_messages::record_rejected_message;
