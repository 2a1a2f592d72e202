//! Header names on event messages, besides JetStream's own `Nats-Msg-Id`.

pub const POSITION_HEADER: &str = "Foresight-Position";
pub const TRANSACTION_HEADER: &str = "Foresight-Transaction";
pub const STREAM_HEADER: &str = "Foresight-Stream";
pub const VERSION_HEADER: &str = "Foresight-Version";
pub const TYPE_HEADER: &str = "Foresight-Type";
/// The position before this event in commit order, as `<transaction id>:<global position>`.
pub const PREVIOUS_HEADER: &str = "Foresight-Previous";

pub fn format_position(transaction_id: i64, global_position: i64) -> String {
    format!("{transaction_id}:{global_position}")
}

pub fn parse_position(text: &str) -> Option<(i64, i64)> {
    let (tx, pos) = text.split_once(':')?;
    Some((tx.parse().ok()?, pos.parse().ok()?))
}
