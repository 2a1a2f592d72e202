//! Payloads of the member commands.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Payload;
use crate::ids::{MemberId, StreamId};
use crate::limits::{
    self, MAX_CAPACITY_HOURS_PER_WEEK, MAX_NAME_CHARS, MAX_TAG_CHARS, MAX_TAGS, NOT_BLANK,
};
use crate::rejection::Rejection;

/// `member.register`: a person who can be given work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterMember {
    pub member_id: MemberId,
    #[schemars(length(min = 1, max = MAX_NAME_CHARS), regex(pattern = NOT_BLANK))]
    pub name: String,
    #[serde(default)]
    #[schemars(
        length(max = MAX_TAGS),
        inner(length(min = 1, max = MAX_TAG_CHARS), regex(pattern = NOT_BLANK))
    )]
    pub skills: Vec<String>,
    /// Hours of work per week; 0 for someone who takes no work for now.
    #[schemars(range(min = 0.0, max = MAX_CAPACITY_HOURS_PER_WEEK))]
    pub capacity_hours_per_week: f64,
}

/// `member.change_capacity`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeMemberCapacity {
    pub member_id: MemberId,
    #[schemars(range(min = 0.0, max = MAX_CAPACITY_HOURS_PER_WEEK))]
    pub capacity_hours_per_week: f64,
}

/// `member.add_time_off`: away from `from` to `to`, both days included.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddTimeOff {
    pub member_id: MemberId,
    pub from: NaiveDate,
    /// Not before `from`.
    pub to: NaiveDate,
}

impl Payload for RegisterMember {
    fn target(&self) -> StreamId {
        StreamId::member(self.member_id)
    }

    fn validate(&self) -> Result<(), Rejection> {
        limits::required_text("payload.name", &self.name, MAX_NAME_CHARS)?;
        limits::tags("payload.skills", &self.skills)?;
        limits::non_negative(
            "payload.capacity_hours_per_week",
            self.capacity_hours_per_week,
            MAX_CAPACITY_HOURS_PER_WEEK,
        )
    }
}

impl Payload for ChangeMemberCapacity {
    fn target(&self) -> StreamId {
        StreamId::member(self.member_id)
    }

    fn validate(&self) -> Result<(), Rejection> {
        limits::non_negative(
            "payload.capacity_hours_per_week",
            self.capacity_hours_per_week,
            MAX_CAPACITY_HOURS_PER_WEEK,
        )
    }
}

impl Payload for AddTimeOff {
    fn target(&self) -> StreamId {
        StreamId::member(self.member_id)
    }

    fn validate(&self) -> Result<(), Rejection> {
        limits::date("payload.from", self.from)?;
        limits::date("payload.to", self.to)?;
        if self.to < self.from {
            return Err(Rejection::invalid(
                "payload.to",
                "payload.to must not be before payload.from",
            ));
        }
        Ok(())
    }
}
