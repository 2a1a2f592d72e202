//! Members: hiring, time off and capacity, the daily look at the work, and picking what to start.

use std::collections::BTreeSet;

use domain::ProjectStatus;

use super::{Engine, Happening};
use crate::clock::{DAY, HOUR, MINUTE, WEEK, day_of, is_away, next_work_time, next_workday};
use crate::command::{Actor, Cmd};
use crate::words;
use crate::world::{CAPACITIES, CAPACITY_SHARES, Key, Member, Skills};

/// How many parallel runs members allow themselves, drawn uniformly.
const MAX_PARALLEL: [u32; 6] = [1, 2, 2, 2, 3, 3];
/// Lengths of time off, in days.
const DAYS_OFF: [i64; 11] = [1, 1, 2, 2, 3, 4, 5, 5, 7, 10, 14];

impl Engine {
    /// Registers a new member whose skills suit `profile`.
    pub(super) fn hire(&mut self, profile: Skills) -> u32 {
        let dice = &mut self.dice;
        let needed = profile.list();
        let mut skills = Skills::default().with(if needed.is_empty() {
            Skills::draw_one(dice)
        } else {
            *dice.pick(&needed)
        });
        for chance in [0.5, 0.2] {
            if dice.chance(chance) {
                skills = skills.with(Skills::draw_one(dice));
            }
        }
        let (name, handle) = words::person(dice);
        let capacity = CAPACITIES[dice.weighted(&CAPACITY_SHARES)];
        let member = Member {
            id: dice.uuid(),
            name,
            handle,
            skills,
            registered_capacity: capacity,
            capacity,
            speed: dice.log_normal(1.0, 0.3),
            max_parallel: *dice.pick(&MAX_PARALLEL),
            away: Vec::new(),
            running: 0,
            in_progress: 0,
            projects: Vec::new(),
            queue: BTreeSet::new(),
            assigned_todo: 0,
            open: BTreeSet::new(),
            completed: Vec::new(),
        };
        let m = self.members.len() as u32;
        self.members.push(member);
        self.pools.set(m, 0);
        self.emit(Actor::Planner, Cmd::RegisterMember(m));
        self.plan_time_off(m);
        if self.dice.chance(0.3) {
            let weeks = self.dice.between(2.0, 20.0);
            self.at(
                self.now + (weeks * WEEK as f64) as i64,
                Happening::ChangeCapacity(m),
            );
        }
        self.schedule_tick(m);
        m
    }

    /// Time off for the whole history, known from the hiring on, announced 5–30 days ahead.
    fn plan_time_off(&mut self, m: u32) {
        let mut t = self.now + WEEK + (self.dice.exponential(9.0) * WEEK as f64) as i64;
        let mut away = Vec::new();
        while t < self.present + 4 * WEEK {
            let first = day_of(t);
            let days = *self.dice.pick(&DAYS_OFF);
            let from = first * DAY;
            let to = (first + days) * DAY;
            let lead = self.dice.between(5.0, 30.0);
            let announce = (from - (lead * DAY as f64) as i64).max(self.now + HOUR);
            self.at(
                next_work_time(announce),
                Happening::AnnounceTimeOff(m, away.len() as u16),
            );
            away.push((from, to));
            t = to + WEEK + (self.dice.exponential(9.0) * WEEK as f64) as i64;
        }
        self.members[m as usize].away = away;
    }

    pub(super) fn announce_time_off(&mut self, m: u32, i: u16) {
        let (from, to) = self.members[m as usize].away[usize::from(i)];
        self.emit(
            Actor::Member(m),
            Cmd::AddTimeOff(m, day_of(from), day_of(to) - 1),
        );
    }

    pub(super) fn change_capacity(&mut self, m: u32) {
        let current = self.members[m as usize].capacity;
        let capacity = CAPACITIES[self.dice.weighted(&CAPACITY_SHARES)];
        if capacity != current {
            self.members[m as usize].capacity = capacity;
            self.emit(Actor::Planner, Cmd::ChangeCapacity(m, capacity));
        }
    }

    /// The next morning's look at the work, some time between 09:00 and 10:00.
    fn schedule_tick(&mut self, m: u32) {
        let day = next_workday(day_of(self.now));
        let at = day * DAY + 9 * HOUR + self.dice.int(0, 60) * MINUTE;
        self.at(at, Happening::Tick(m));
    }

    pub(super) fn tick(&mut self, m: u32) {
        self.schedule_tick(m);
        if self.members[m as usize].projects.is_empty() {
            return;
        }
        if self.members[m as usize].queue.len() > 4 && self.dice.chance(0.25) {
            self.hand_over(m);
        }
        self.look(m);
    }

    /// A member with too much assigned work gives the least urgent ready task away.
    fn hand_over(&mut self, m: u32) {
        let Some(&(_, _, t)) = self.members[m as usize].queue.last() else {
            return;
        };
        let project = self.tasks[t as usize].project as usize;
        let other = self.projects[project]
            .members
            .iter()
            .copied()
            .filter(|&o| o != m)
            .min_by_key(|&o| self.members[o as usize].assigned_todo);
        self.dequeue(t);
        self.members[m as usize].assigned_todo -= 1;
        match other {
            Some(o) if self.dice.chance(0.6) => {
                self.emit(Actor::Planner, Cmd::Assign(t, o));
                self.set_assignee(t, Some(o));
                self.members[o as usize].assigned_todo += 1;
            }
            _ => {
                self.emit(Actor::Member(m), Cmd::Unassign(t));
                self.set_assignee(t, None);
            }
        }
        self.enqueue(t);
    }

    /// A member with a free slot, at work, starts the most urgent ready task they can.
    pub(super) fn look(&mut self, m: u32) {
        let member = &self.members[m as usize];
        if member.running >= member.max_parallel || is_away(self.now, &member.away) {
            return;
        }
        let Some(t) = self.pick(m).or_else(|| self.take_over(m)) else {
            return;
        };
        self.dequeue(t);
        if self.tasks[t as usize].assignee != Some(m) {
            if let Some(previous) = self.tasks[t as usize].assignee {
                self.members[previous as usize].assigned_todo -= 1;
            }
            self.emit(Actor::Member(m), Cmd::Assign(t, m));
            self.set_assignee(t, Some(m));
            self.members[m as usize].assigned_todo += 1;
        }
        self.start_run(t, m);
        let member = &self.members[m as usize];
        if member.running < member.max_parallel && self.dice.chance(0.6) {
            let hours = self.dice.between(0.5, 3.0);
            self.later(hours, Happening::Look(m));
        }
    }

    /// Own ready work first; else the projects' backlogs, mostly what the member has skills for.
    fn pick(&mut self, m: u32) -> Option<u32> {
        let member = &self.members[m as usize];
        let active = |p: u32| self.projects[p as usize].status == ProjectStatus::Active;
        let own = member
            .queue
            .iter()
            .take(8)
            .find(|(_, _, t)| active(self.tasks[*t as usize].project));
        if let Some(&(_, _, t)) = own {
            return Some(t);
        }
        let wants_match = self.dice.chance(0.85);
        let mut best = None;
        let mut best_matching = None;
        for &p in &member.projects {
            if !active(p) {
                continue;
            }
            for &key in self.projects[p as usize].backlog.iter().take(6) {
                best = Some(best.map_or(key, |b: Key| b.min(key)));
                if member.skills.covers(self.tasks[key.2 as usize].skills) {
                    best_matching = Some(best_matching.map_or(key, |b: Key| b.min(key)));
                }
            }
        }
        let chosen = if wants_match {
            best_matching.or(best)
        } else {
            best
        };
        chosen.map(|(_, _, t)| t)
    }

    /// With nothing else to do, a member takes over a ready task a busy teammate has not started:
    /// from the teammate with the longest queue, the most urgent task the member can do.
    fn take_over(&mut self, m: u32) -> Option<u32> {
        let member = &self.members[m as usize];
        let mut busiest: Option<(usize, u32)> = None;
        for &p in &member.projects {
            if self.projects[p as usize].status != ProjectStatus::Active {
                continue;
            }
            for &other in &self.projects[p as usize].members {
                let queued = self.members[other as usize].queue.len();
                if other != m && queued >= 2 && busiest.is_none_or(|(q, _)| queued > q) {
                    busiest = Some((queued, other));
                }
            }
        }
        let (_, other) = busiest?;
        self.members[other as usize]
            .queue
            .iter()
            .take(6)
            .map(|&(_, _, t)| t)
            .find(|&t| {
                let task = &self.tasks[t as usize];
                member.projects.contains(&task.project)
                    && self.projects[task.project as usize].status == ProjectStatus::Active
                    && member.skills.covers(task.skills)
            })
    }

    /// `m` joins project `p`; returns the member's share of attention before joining.
    pub(super) fn join(&mut self, p: u32, m: u32) -> f64 {
        let member = &mut self.members[m as usize];
        let share = 1.0 / (member.projects.len() as f64 + 1.0);
        member.projects.push(p);
        let count = member.projects.len();
        self.pools.set(m, count);
        self.projects[p as usize].members.push(m);
        self.emit(Actor::Planner, Cmd::AddMember(p, m));
        share
    }

    /// A member for a project of skills `profile`, not one of `taken`: an idle one who fits, else
    /// someone in one project with a free slot and nothing queued, else a new hire.
    pub(super) fn recruit(&mut self, profile: Skills, taken: &[u32]) -> u32 {
        let idle = &self.pools.pools[0];
        if !idle.is_empty() {
            let mut best: Option<(u32, u32)> = None;
            for _ in 0..4 {
                let m = idle[self.dice.index(idle.len())];
                let fit = self.members[m as usize].skills.common(profile);
                if !taken.contains(&m) && best.is_none_or(|(_, f)| fit > f) {
                    best = Some((m, fit));
                }
            }
            if let Some((m, _)) = best {
                return m;
            }
        }
        let busy = &self.pools.pools[1];
        if !busy.is_empty() {
            let mut best: Option<(u32, u32)> = None;
            for _ in 0..6 {
                let m = busy[self.dice.index(busy.len())];
                let member = &self.members[m as usize];
                let load = member.running + member.queue.len() as u32;
                if !taken.contains(&m)
                    && load < member.max_parallel
                    && best.is_none_or(|(_, l)| load < l)
                {
                    best = Some((m, load));
                }
            }
            if let Some((m, _)) = best {
                return m;
            }
        }
        self.hire(profile)
    }
}
