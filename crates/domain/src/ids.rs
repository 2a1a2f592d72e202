//! Identifiers: the client-chosen UUIDs of aggregates and milestones, and event-stream names.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
        )]
        #[serde(transparent)]
        #[schemars(transparent)]
        pub struct $name(pub Uuid);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    };
}

uuid_id!(
    /// A project, chosen by the client that creates it.
    ProjectId
);
uuid_id!(
    /// A task, chosen by the client that creates it.
    TaskId
);
uuid_id!(
    /// A team member, chosen by the client that registers them.
    MemberId
);
uuid_id!(
    /// A milestone, unique within its project.
    MilestoneId
);

/// The name of an event stream: `<category>-<uuid>`, one stream per aggregate instance.
///
/// Only the canonical lower-case hyphenated UUID is accepted, so that two spellings of one
/// id can never name two streams.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId(String);

/// The stream categories, which are also the aggregate names and the first token of event types.
const CATEGORIES: [&str; 5] = ["project", "task", "member", "prediction", "model"];

impl StreamId {
    pub fn project(id: ProjectId) -> Self {
        Self(format!("project-{}", id.0))
    }

    pub fn task(id: TaskId) -> Self {
        Self(format!("task-{}", id.0))
    }

    pub fn member(id: MemberId) -> Self {
        Self(format!("member-{}", id.0))
    }

    /// The predictions about a task or a project (their ids never collide: both are UUIDs).
    pub fn prediction(id: Uuid) -> Self {
        Self(format!("prediction-{id}"))
    }

    pub fn model(id: Uuid) -> Self {
        Self(format!("model-{id}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `"project"`, `"task"`, `"member"`, `"prediction"` or `"model"`.
    pub fn category(&self) -> &str {
        self.0.split_once('-').map_or("", |(category, _)| category)
    }

    /// The aggregate's id (the part after the category).
    pub fn uuid(&self) -> Option<Uuid> {
        self.0
            .split_once('-')
            .and_then(|(_, id)| Uuid::parse_str(id).ok())
    }

    pub fn parse(s: &str) -> Option<StreamId> {
        let (category, id) = s.split_once('-')?;
        let uuid = Uuid::parse_str(id).ok()?;
        let canonical = uuid.hyphenated().to_string() == id;
        (CATEGORIES.contains(&category) && canonical).then(|| StreamId(s.to_owned()))
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for StreamId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for StreamId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        StreamId::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid stream id {s:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_ids_round_trip_through_parse() {
        let id = Uuid::new_v4();
        for stream in [
            StreamId::project(ProjectId(id)),
            StreamId::task(TaskId(id)),
            StreamId::member(MemberId(id)),
        ] {
            assert_eq!(StreamId::parse(stream.as_str()), Some(stream.clone()));
            assert_eq!(stream.uuid(), Some(id));
        }
        assert_eq!(StreamId::task(TaskId(id)).category(), "task");
        assert_eq!(
            StreamId::project(ProjectId(id)).as_str(),
            format!("project-{id}")
        );
    }

    #[test]
    fn non_canonical_or_unknown_stream_ids_are_refused() {
        let id = Uuid::new_v4();
        let upper = id.hyphenated().to_string().to_uppercase();
        for bad in [
            format!("task-{upper}"),
            format!("milestone-{id}"),
            format!("task-{}", id.simple()),
            format!("task{id}"),
            "task-".to_owned(),
            String::new(),
        ] {
            assert_eq!(StreamId::parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_serialize_as_bare_uuids() {
        let id = Uuid::new_v4();
        let json = serde_json::to_value(TaskId(id)).unwrap();
        assert_eq!(json, serde_json::Value::String(id.to_string()));
        assert_eq!(TaskId(id).to_string(), id.to_string());
        let stream: StreamId =
            serde_json::from_value(serde_json::json!(format!("member-{id}"))).unwrap();
        assert_eq!(stream, StreamId::member(MemberId(id)));
    }
}
