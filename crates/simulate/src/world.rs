//! The simulated world: members, projects, milestones and tasks, with what is hidden in them.

use std::collections::BTreeSet;

use domain::{ProjectStatus, TaskStatus};
use uuid::Uuid;

use crate::assignment::CompletedRun;
use crate::duration::Label;
use crate::random::Dice;

pub(crate) const SKILLS: [&str; 6] = ["rust", "sql", "frontend", "ops", "ml", "design"];
/// How common each skill is, in members and in work.
pub(crate) const SKILL_SHARES: [f64; 6] = [0.28, 0.24, 0.2, 0.13, 0.07, 0.08];
pub(crate) const AREAS: [&str; 5] = ["backend", "frontend", "infra", "api", "data"];
/// Weekly capacities people have, and how common each is.
pub(crate) const CAPACITIES: [f64; 6] = [20.0, 24.0, 30.0, 32.0, 35.0, 40.0];
pub(crate) const CAPACITY_SHARES: [f64; 6] = [0.08, 0.1, 0.17, 0.25, 0.1, 0.3];
/// The estimates people give, in hours.
const ESTIMATES: [f64; 18] = [
    1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 12.0, 16.0, 20.0, 24.0, 32.0, 40.0, 48.0, 60.0, 80.0,
    100.0,
];

/// A set of skills, one bit per entry of [`SKILLS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Skills(u8);

impl Skills {
    pub(crate) fn with(self, skill: usize) -> Skills {
        Skills(self.0 | (1 << skill))
    }

    pub(crate) fn has(self, skill: usize) -> bool {
        self.0 & (1 << skill) != 0
    }

    pub(crate) fn covers(self, needed: Skills) -> bool {
        self.0 & needed.0 == needed.0
    }

    pub(crate) fn common(self, other: Skills) -> u32 {
        (self.0 & other.0).count_ones()
    }

    pub(crate) fn list(self) -> Vec<usize> {
        (0..SKILLS.len()).filter(|&s| self.has(s)).collect()
    }

    pub(crate) fn names(self) -> Vec<String> {
        self.list()
            .into_iter()
            .map(|s| SKILLS[s].to_owned())
            .collect()
    }

    pub(crate) fn static_names(self) -> Vec<&'static str> {
        self.list().into_iter().map(|s| SKILLS[s]).collect()
    }

    /// The share of `needed` in `self`; 1 when nothing is needed.
    pub(crate) fn share_of(self, needed: Skills) -> f64 {
        match needed.0.count_ones() {
            0 => 1.0,
            n => f64::from(self.common(needed)) / f64::from(n),
        }
    }

    pub(crate) fn draw_one(dice: &mut Dice) -> usize {
        dice.weighted(&SKILL_SHARES)
    }
}

/// The order in which ready work is picked: priority, then due date, then age.
pub(crate) type Key = (u8, i64, u32);

pub(crate) struct Member {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    pub(crate) handle: String,
    pub(crate) skills: Skills,
    pub(crate) registered_capacity: f64,
    pub(crate) capacity: f64,
    /// Hidden: effort multiplier, log-normal around 1.
    pub(crate) speed: f64,
    /// Hidden: how many tasks the member runs at once at most.
    pub(crate) max_parallel: u32,
    /// Time off, `[from, to)`, sorted; known to the simulator from the hiring on.
    pub(crate) away: Vec<(i64, i64)>,
    /// Runs started and not finally closed (a reopened task keeps its slot).
    pub(crate) running: u32,
    /// Tasks in progress or blocked right now: the `k` of the duration model.
    pub(crate) in_progress: u32,
    /// Open projects the member is in.
    pub(crate) projects: Vec<u32>,
    /// Assigned tasks ready to start.
    pub(crate) queue: BTreeSet<Key>,
    /// Assigned tasks not started yet, ready or not.
    pub(crate) assigned_todo: u32,
    /// Assigned tasks neither done for good nor cancelled, in any project.
    pub(crate) open: BTreeSet<u32>,
    /// Runs completed so far, as the log shows them.
    pub(crate) completed: Vec<CompletedRun>,
}

pub(crate) struct Milestone {
    pub(crate) id: Uuid,
    pub(crate) name: String,
    /// The due day when the milestone was added.
    pub(crate) planned_day: i64,
    /// The due day now.
    pub(crate) due_day: i64,
    /// After this, no new task joins the milestone.
    pub(crate) seal: i64,
    pub(crate) sealed: bool,
    pub(crate) open_tasks: u32,
    pub(crate) completed: bool,
    pub(crate) completion_planned: bool,
    pub(crate) moves: u8,
}

pub(crate) struct Project {
    pub(crate) id: Uuid,
    /// The first name and each rename.
    pub(crate) names: Vec<String>,
    pub(crate) start: i64,
    pub(crate) deadline_day: i64,
    pub(crate) profile: Skills,
    /// Hidden: how optimistic this team's estimates are (effort multiplier).
    pub(crate) estimate_bias: f64,
    pub(crate) team_size: usize,
    pub(crate) members: Vec<u32>,
    pub(crate) milestones: Vec<Milestone>,
    pub(crate) tasks: Vec<u32>,
    /// Unassigned tasks ready to start.
    pub(crate) backlog: BTreeSet<Key>,
    /// Tasks created and not finally closed.
    pub(crate) open_tasks: u32,
    /// Tasks still to be created.
    pub(crate) to_create: u32,
    /// Tasks not yet given to a batch of creation.
    pub(crate) unscheduled: u32,
    /// Weekly plannings still to come.
    pub(crate) planning_left: u32,
    pub(crate) status: ProjectStatus,
    pub(crate) closing: bool,
}

/// A task's first run, from its first start to its last completion: the truth.
pub(crate) struct Run {
    pub(crate) member: u32,
    pub(crate) started_at: i64,
    pub(crate) estimate: f64,
    pub(crate) expected_hours: f64,
    /// The share of the task's skills the member has (1 if it asks for none): visible.
    pub(crate) skill_match: f64,
    pub(crate) completed_at: Option<i64>,
    pub(crate) blocked: bool,
    pub(crate) reopened: bool,
}

pub(crate) struct Task {
    pub(crate) id: Uuid,
    pub(crate) project: u32,
    pub(crate) ordinal: u32,
    pub(crate) title: (u8, u8),
    pub(crate) described: bool,
    pub(crate) label: Label,
    pub(crate) area: Option<u8>,
    pub(crate) skills: Skills,
    pub(crate) priority: u8,
    pub(crate) milestone: Option<u8>,
    pub(crate) created_estimate: f64,
    pub(crate) estimate: f64,
    pub(crate) created_due: Option<i64>,
    pub(crate) due: Option<i64>,
    pub(crate) created_deps: Vec<u32>,
    pub(crate) deps: Vec<u32>,
    pub(crate) dependents: Vec<u32>,
    /// Dependencies neither completed nor cancelled yet.
    pub(crate) unfinished: u32,
    pub(crate) assignee: Option<u32>,
    pub(crate) status: TaskStatus,
    /// In a member's queue or the project's backlog.
    pub(crate) queued: bool,
    pub(crate) ever_done: bool,
    /// Done for good or cancelled.
    pub(crate) closed: bool,
    pub(crate) run: Option<Run>,
}

impl Task {
    pub(crate) fn key(&self, index: u32) -> Key {
        (self.priority, self.due.unwrap_or(i64::MAX), index)
    }

    /// Not started, nothing to wait for.
    pub(crate) fn is_ready(&self) -> bool {
        self.status == TaskStatus::Todo && self.run.is_none() && self.unfinished == 0
    }
}

/// An estimate as people give it: one of the usual numbers, 2–40 h, skewed towards small.
pub(crate) fn draw_estimate(dice: &mut Dice) -> f64 {
    round_estimate(dice.log_normal(7.0, 0.65).clamp(2.0, 40.0))
}

/// The nearest usual estimate (on a log scale).
pub(crate) fn round_estimate(hours: f64) -> f64 {
    ESTIMATES
        .iter()
        .copied()
        .min_by(|a, b| {
            let da = (a.ln() - hours.ln()).abs();
            let db = (b.ln() - hours.ln()).abs();
            da.total_cmp(&db)
        })
        .unwrap_or(8.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_are_usual_numbers_in_range() {
        let mut dice = Dice::new(5);
        let draws: Vec<f64> = (0..5_000).map(|_| draw_estimate(&mut dice)).collect();
        assert!(draws.iter().all(|e| (2.0..=40.0).contains(e)));
        let small = draws.iter().filter(|e| **e <= 8.0).count();
        assert!(small > 2_500, "skewed towards small: {small}");
        assert_eq!(round_estimate(7.2), 8.0);
        assert_eq!(round_estimate(13.0), 12.0);
    }

    #[test]
    fn skills_are_sets() {
        let rust_sql = Skills::default().with(0).with(1);
        assert!(rust_sql.covers(Skills::default().with(1)));
        assert!(!rust_sql.covers(Skills::default().with(2)));
        assert_eq!(rust_sql.names(), ["rust", "sql"]);
        assert_eq!(rust_sql.common(Skills::default().with(0).with(5)), 1);
        assert_eq!(rust_sql.share_of(Skills::default().with(0).with(5)), 0.5);
        assert_eq!(rust_sql.share_of(Skills::default()), 1.0);
        assert_eq!(Skills::default().share_of(rust_sql), 0.0);
    }
}
