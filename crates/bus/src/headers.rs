//! Header names on event messages, besides JetStream's own `Nats-Msg-Id`.

pub const POSITION_HEADER: &str = "Foresight-Position";
pub const TRANSACTION_HEADER: &str = "Foresight-Transaction";
pub const STREAM_HEADER: &str = "Foresight-Stream";
pub const VERSION_HEADER: &str = "Foresight-Version";
pub const TYPE_HEADER: &str = "Foresight-Type";
