//! The member aggregate: its state, how its events change it, and its decisions.

use chrono::NaiveDate;

use crate::command::{Command, RegisterMember};
use crate::event::{Event, MemberCapacityChanged, MemberRegistered, MemberTimeOffAdded};
use crate::ids::MemberId;
use crate::rejection::Rejection;

#[derive(Clone, Debug, PartialEq)]
pub struct MemberState {
    pub id: MemberId,
    pub name: String,
    pub skills: Vec<String>,
    pub capacity_hours_per_week: f64,
    /// Days away, `(from, to)` with both days included, in the order they were added.
    pub time_off: Vec<(NaiveDate, NaiveDate)>,
}

impl MemberState {
    pub(crate) fn registered(event: &MemberRegistered) -> Self {
        MemberState {
            id: event.member_id,
            name: event.name.clone(),
            skills: event.skills.clone(),
            capacity_hours_per_week: event.capacity_hours_per_week,
            time_off: Vec::new(),
        }
    }

    pub(crate) fn apply(&mut self, event: &Event) {
        match event {
            Event::MemberCapacityChanged(e) if e.member_id == self.id => {
                self.capacity_hours_per_week = e.capacity_hours_per_week;
            }
            Event::MemberTimeOffAdded(e) if e.member_id == self.id => {
                self.time_off.push((e.from, e.to));
            }
            _ => {}
        }
    }
}

/// `member.register` on a stream with no member yet.
pub(crate) fn register(c: &RegisterMember) -> Vec<Event> {
    vec![Event::MemberRegistered(MemberRegistered {
        member_id: c.member_id,
        name: c.name.clone(),
        skills: c.skills.clone(),
        capacity_hours_per_week: c.capacity_hours_per_week,
    })]
}

/// Decides a command on a registered member.
pub(crate) fn decide(command: &Command, member: &MemberState) -> Result<Vec<Event>, Rejection> {
    let event = match command {
        Command::ChangeMemberCapacity(c) => Event::MemberCapacityChanged(MemberCapacityChanged {
            member_id: member.id,
            capacity_hours_per_week: c.capacity_hours_per_week,
        }),
        Command::AddTimeOff(c) => Event::MemberTimeOffAdded(MemberTimeOffAdded {
            member_id: member.id,
            from: c.from,
            to: c.to,
        }),
        other => return Err(crate::decide::not_found_target(other)),
    };
    Ok(vec![event])
}

#[cfg(test)]
mod tests;
