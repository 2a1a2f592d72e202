//! An event as a JetStream message: subject, headers (with `Nats-Msg-Id`), JSON body.

use async_nats::HeaderMap;
use bus::Subjects;
use store::{Position, RecordedEvent};
use uuid::Uuid;

/// `previous` is the event before this one in commit order (or the relay's checkpoint): with
/// it a consumer sees at once whether a message is missing in front of the one it got.
pub fn event_message(
    subjects: &Subjects,
    event: &RecordedEvent,
    previous: Position,
) -> (String, HeaderMap, bytes::Bytes) {
    let project_id = event
        .metadata
        .get("project_id")
        .and_then(|p| p.as_str())
        .and_then(|p| Uuid::parse_str(p).ok());
    let subject = subjects.event(project_id, &event.event_type);
    let mut headers = HeaderMap::new();
    // JetStream drops a message whose id it saw within the duplicate window.
    headers.insert(
        async_nats::header::NATS_MESSAGE_ID,
        event.event_id.to_string().as_str(),
    );
    headers.insert(
        bus::POSITION_HEADER,
        event.global_position.to_string().as_str(),
    );
    headers.insert(
        bus::TRANSACTION_HEADER,
        event.transaction_id.to_string().as_str(),
    );
    headers.insert(bus::STREAM_HEADER, event.stream_id.as_str());
    headers.insert(
        bus::VERSION_HEADER,
        event.stream_version.to_string().as_str(),
    );
    headers.insert(bus::TYPE_HEADER, event.event_type.as_str());
    headers.insert(
        bus::PREVIOUS_HEADER,
        bus::format_position(previous.transaction_id, previous.global_position).as_str(),
    );
    let body = serde_json::to_vec(event).unwrap_or_default();
    (subject, headers, body.into())
}

/// The log position an event message carries in its headers, if it is one of ours.
pub fn position_of(headers: &HeaderMap) -> Option<Position> {
    let number = |name: &str| headers.get(name)?.as_str().parse::<i64>().ok();
    Some(Position::new(
        number(bus::TRANSACTION_HEADER)?,
        number(bus::POSITION_HEADER)?,
    ))
}
