//! Who gets a task assigned at its creation: the simulated planner's habit (the default), the
//! balanced-workload rule, or a ranking supplied from outside that sees only what the log shows.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The rule the planner follows when a new task is assigned at creation.
#[derive(Default)]
pub enum AssignmentPolicy {
    /// The simulated planner: mostly the team member with the skills and the fewest tasks not
    /// started, sometimes anyone. The history [`crate::simulate`] writes.
    #[default]
    Planner,
    /// Jira automation's "balanced workload": the team member with the fewest open tasks
    /// (assigned and not finished, in any project); ties by member id.
    BalancedWorkload,
    /// An outside ranking, e.g. the product's recommendation.
    Ranked(Box<dyn AssigneeRanking>),
}

impl AssignmentPolicy {
    pub fn name(&self) -> &str {
        match self {
            AssignmentPolicy::Planner => "planner",
            AssignmentPolicy::BalancedWorkload => "balanced workload",
            AssignmentPolicy::Ranked(ranking) => ranking.name(),
        }
    }
}

/// Chooses an assignee from what anyone reading the log could know; never the simulator's
/// hidden speed, difficulty or estimation bias.
/// `Send + Sync` because a finished engine is read from several threads.
pub trait AssigneeRanking: Send + Sync {
    fn name(&self) -> &str;
    /// The index in `candidates` of the member to assign, or `None` to leave the task in the
    /// backlog.
    fn choose(&mut self, task: &TaskView, candidates: &[CandidateView<'_>]) -> Option<usize>;
}

/// A new task as the log shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskView {
    /// When the assignment is decided.
    pub now: DateTime<Utc>,
    pub estimate_hours: f64,
    pub label: &'static str,
    pub skills: Vec<&'static str>,
    pub priority: u8,
    pub due: Option<DateTime<Utc>>,
}

/// A team member who could take the task, as the log shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateView<'a> {
    pub member: Uuid,
    pub capacity_hours_per_week: f64,
    pub skills: Vec<&'static str>,
    /// Assigned and not finished (done for good or cancelled), in any project.
    pub open_tasks: u32,
    /// The current estimates of those open tasks, summed.
    pub queued_open_hours: f64,
    /// Those open tasks, as the log shows them.
    pub open: Vec<OpenTaskView>,
    /// The member's completed runs so far, oldest first.
    pub history: &'a [CompletedRun],
}

/// A member's open task as the log shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpenTaskView {
    pub estimate_hours: f64,
    pub priority: u8,
    pub due: Option<DateTime<Utc>>,
    /// The start of its run while under way (in progress, or blocked after starting).
    pub started_at: Option<DateTime<Utc>>,
    /// The share of its skills the member has (1 for a task that asks for none).
    pub skill_match: f64,
}

/// A run as the log shows it: the estimate when it started, the business hours from its first
/// start to its last completion, and the share of the task's skills the member had (1 for a
/// task that asks for none).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompletedRun {
    pub estimate_hours: f64,
    pub elapsed_hours: f64,
    pub skill_match: f64,
}

/// The balanced-workload choice: fewest open tasks, then the smallest member id.
pub fn fewest_open_tasks(candidates: &[CandidateView<'_>]) -> Option<usize> {
    (0..candidates.len()).min_by_key(|&i| (candidates[i].open_tasks, candidates[i].member))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(id: u128, open_tasks: u32) -> CandidateView<'static> {
        CandidateView {
            member: Uuid::from_u128(id),
            capacity_hours_per_week: 32.0,
            skills: vec!["rust"],
            open_tasks,
            queued_open_hours: 8.0 * f64::from(open_tasks),
            open: Vec::new(),
            history: &[],
        }
    }

    #[test]
    fn balanced_workload_takes_the_fewest_open_tasks_then_the_smallest_id() {
        assert_eq!(fewest_open_tasks(&[]), None);
        let team = [candidate(3, 2), candidate(2, 1), candidate(1, 4)];
        assert_eq!(fewest_open_tasks(&team), Some(1));
        let tied = [candidate(9, 1), candidate(4, 1), candidate(5, 1)];
        assert_eq!(fewest_open_tasks(&tied), Some(1));
    }
}
