//! Events: the facts the aggregates record, their type names (written once, here) and their payloads.

mod member;
mod prediction;
mod project;
mod task;
mod upcast;

use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

pub use self::member::{MemberCapacityChanged, MemberRegistered, MemberTimeOffAdded};
pub use self::prediction::{
    AssignmentCandidate, AssignmentRecommended, CompletionForecast, ForecastHealth,
    MilestoneForecast, ModelPromoted, ModelTrained, ProjectForecasted, RiskFactor, TaskForecasted,
    TaskRiskAssessed, model_registry_stream,
};
pub use self::project::{
    MemberJoinedProject, MemberLeftProject, MilestoneAdded, MilestoneCompleted, MilestoneMoved,
    ProjectCreated, ProjectRenamed, ProjectStatusChanged,
};
pub use self::task::{
    TaskAssigned, TaskChanged, TaskChangedBecause, TaskCreated, TaskDependencyChanged,
    TaskDueDateChanged, TaskEstimateChanged, TaskUnassigned, TaskWorkLogged,
};
pub use self::upcast::UpcastError;
use crate::ids::{ProjectId, StreamId};

/// What every event payload can tell about where it belongs.
trait Routed {
    fn stream(&self) -> StreamId;
    fn project_id(&self) -> Option<ProjectId>;
}

/// The payload shape every event is written with today.
pub const CURRENT_SCHEMA_VERSION: i16 = 1;

macro_rules! events {
    ($($variant:ident($payload:ty) = $name:literal,)*) => {
        /// The type of an event, `<aggregate>.<past tense>`, as stored in `events.event_type`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum EventType {
            $($variant,)*
        }

        const EVENT_TYPE_COUNT: usize = [$($name),*].len();

        impl EventType {
            pub const ALL: [EventType; EVENT_TYPE_COUNT] = [$(EventType::$variant),*];

            pub fn as_str(&self) -> &'static str {
                match self {
                    $(EventType::$variant => $name,)*
                }
            }

            /// The JSON Schema of the payload, from the Rust type.
            pub(crate) fn payload_schema(&self, generator: &mut SchemaGenerator) -> Schema {
                match self {
                    $(EventType::$variant => generator.root_schema_for::<$payload>(),)*
                }
            }
        }

        /// A fact recorded on a stream. Business time (`occurred_at`) travels beside it, not in it.
        ///
        /// Unlike command payloads, event payloads accept unknown fields: during a rolling
        /// upgrade an older reader must still read events that gained an optional field.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Event {
            $($variant($payload),)*
        }

        impl Event {
            pub fn kind(&self) -> EventType {
                match self {
                    $(Event::$variant(_) => EventType::$variant,)*
                }
            }

            /// The payload as JSON, without the type tag.
            pub fn payload(&self) -> Value {
                // Serializing these plain structs cannot fail: every map key is a string.
                match self {
                    $(Event::$variant(p) => serde_json::to_value(p).unwrap_or(Value::Null),)*
                }
            }

            /// The stream the event belongs to, from the ids in its payload.
            pub fn stream(&self) -> StreamId {
                match self {
                    $(Event::$variant(p) => p.stream(),)*
                }
            }

            /// The project the event concerns, when its payload carries one.
            pub fn project_id(&self) -> Option<ProjectId> {
                match self {
                    $(Event::$variant(p) => p.project_id(),)*
                }
            }

            fn decode(kind: EventType, payload: &Value) -> Result<Event, serde_json::Error> {
                use serde::Deserialize;
                Ok(match kind {
                    $(EventType::$variant => Event::$variant(<$payload>::deserialize(payload)?),)*
                })
            }
        }
    };
}

events! {
    MemberRegistered(MemberRegistered) = "member.registered",
    MemberCapacityChanged(MemberCapacityChanged) = "member.capacity_changed",
    MemberTimeOffAdded(MemberTimeOffAdded) = "member.time_off_added",
    ProjectCreated(ProjectCreated) = "project.created",
    ProjectRenamed(ProjectRenamed) = "project.renamed",
    MilestoneAdded(MilestoneAdded) = "project.milestone_added",
    MilestoneMoved(MilestoneMoved) = "project.milestone_moved",
    MilestoneCompleted(MilestoneCompleted) = "project.milestone_completed",
    MemberJoinedProject(MemberJoinedProject) = "project.member_joined",
    MemberLeftProject(MemberLeftProject) = "project.member_left",
    ProjectStatusChanged(ProjectStatusChanged) = "project.status_changed",
    TaskCreated(TaskCreated) = "task.created",
    TaskAssigned(TaskAssigned) = "task.assigned",
    TaskUnassigned(TaskUnassigned) = "task.unassigned",
    TaskStarted(TaskChanged) = "task.started",
    TaskBlocked(TaskChangedBecause) = "task.blocked",
    TaskUnblocked(TaskChanged) = "task.unblocked",
    TaskCompleted(TaskChanged) = "task.completed",
    TaskReopened(TaskChangedBecause) = "task.reopened",
    TaskCancelled(TaskChangedBecause) = "task.cancelled",
    TaskEstimateChanged(TaskEstimateChanged) = "task.estimate_changed",
    TaskDueDateChanged(TaskDueDateChanged) = "task.due_date_changed",
    TaskDependencyAdded(TaskDependencyChanged) = "task.dependency_added",
    TaskDependencyRemoved(TaskDependencyChanged) = "task.dependency_removed",
    TaskWorkLogged(TaskWorkLogged) = "task.work_logged",
    TaskForecasted(TaskForecasted) = "prediction.task_forecasted",
    TaskRiskAssessed(TaskRiskAssessed) = "prediction.task_risk_assessed",
    ProjectForecasted(ProjectForecasted) = "prediction.project_forecasted",
    AssignmentRecommended(AssignmentRecommended) = "prediction.assignment_recommended",
    ModelTrained(ModelTrained) = "model.trained",
    ModelPromoted(ModelPromoted) = "model.promoted",
}

impl EventType {
    pub fn parse(s: &str) -> Option<EventType> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }

    /// The aggregate, i.e. the stream category: the first token of the type.
    pub fn category(&self) -> &'static str {
        self.as_str()
            .split_once('.')
            .map_or("", |(category, _)| category)
    }

    pub fn schema_version(&self) -> i16 {
        CURRENT_SCHEMA_VERSION
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Event {
    /// `<aggregate>.<past tense>`, e.g. `task.started`.
    pub fn event_type(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The payload shape version this event is written with.
    pub fn schema_version(&self) -> i16 {
        self.kind().schema_version()
    }

    /// Reads an event back from the log, upcasting an older payload shape first.
    pub fn from_stored(
        event_type: &str,
        schema_version: i16,
        payload: &Value,
    ) -> Result<Event, UpcastError> {
        let kind = EventType::parse(event_type)
            .ok_or_else(|| UpcastError::UnknownEventType(event_type.to_owned()))?;
        let current = upcast::to_current(kind, schema_version, payload)?;
        Event::decode(kind, &current).map_err(|e| UpcastError::InvalidPayload {
            event_type: kind.as_str(),
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests;
