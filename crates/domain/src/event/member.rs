//! Payloads of the member aggregate's events.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Routed;
use crate::ids::{MemberId, ProjectId, StreamId};

/// A team member was registered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberRegistered {
    pub member_id: MemberId,
    pub name: String,
    pub skills: Vec<String>,
    pub capacity_hours_per_week: f64,
}

/// A member's weekly capacity changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberCapacityChanged {
    pub member_id: MemberId,
    pub capacity_hours_per_week: f64,
}

/// A member will be away from `from` to `to`, both days included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MemberTimeOffAdded {
    pub member_id: MemberId,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

macro_rules! member_event {
    ($($event:ident),*) => {$(
        impl Routed for $event {
            fn stream(&self) -> StreamId {
                StreamId::member(self.member_id)
            }

            fn project_id(&self) -> Option<ProjectId> {
                None
            }
        }
    )*};
}

member_event!(MemberRegistered, MemberCapacityChanged, MemberTimeOffAdded);
