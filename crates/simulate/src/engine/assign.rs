//! Who a new task goes to, by the engine's assignment policy, and the members' open work that
//! the policies (and the replay's load samples) read.

use domain::TaskStatus;

use super::Engine;
use crate::assignment::{
    AssignmentPolicy, CandidateView, OpenTaskView, TaskView, fewest_open_tasks,
};
use crate::clock::to_datetime;

impl Engine {
    /// Gives task `t` to member `to` (or to nobody), keeping the members' open work in step.
    pub(super) fn set_assignee(&mut self, t: u32, to: Option<u32>) {
        let task = &mut self.tasks[t as usize];
        if let Some(before) = std::mem::replace(&mut task.assignee, to) {
            self.members[before as usize].open.remove(&t);
        }
        if let Some(m) = to
            && !task.closed
        {
            self.members[m as usize].open.insert(t);
        }
    }

    /// The assignee of a new task, by the policy, or `None` to leave it in the backlog.
    pub(super) fn planned_assignee(&mut self, t: u32) -> Option<u32> {
        let team = &self.projects[self.tasks[t as usize].project as usize].members;
        match self.policy {
            AssignmentPolicy::Planner => self.planner_choice(t),
            AssignmentPolicy::BalancedWorkload => {
                fewest_open_tasks(&self.candidate_views(team)).map(|i| team[i])
            }
            AssignmentPolicy::Ranked(_) => {
                let team = team.clone();
                let mut policy = std::mem::take(&mut self.policy);
                let task = self.task_view(t);
                let chosen = match &mut policy {
                    AssignmentPolicy::Ranked(ranking) => ranking
                        .choose(&task, &self.candidate_views(&team))
                        .and_then(|i| team.get(i).copied()),
                    _ => None,
                };
                self.policy = policy;
                chosen
            }
        }
    }

    /// The simulated planner: mostly the least loaded project member with the skills;
    /// sometimes anyone.
    fn planner_choice(&mut self, t: u32) -> Option<u32> {
        let task = &self.tasks[t as usize];
        let team = &self.projects[task.project as usize].members;
        if team.is_empty() {
            return None;
        }
        if self.dice.chance(0.15) {
            return Some(team[self.dice.index(team.len())]);
        }
        let load = |m: &u32| self.members[*m as usize].assigned_todo;
        team.iter()
            .filter(|&&m| self.members[m as usize].skills.covers(task.skills))
            .min_by_key(|m| load(m))
            .or_else(|| team.iter().min_by_key(|m| load(m)))
            .copied()
    }

    fn task_view(&self, t: u32) -> TaskView {
        let task = &self.tasks[t as usize];
        TaskView {
            now: to_datetime(self.now),
            estimate_hours: task.estimate,
            label: task.label.as_str(),
            skills: task.skills.static_names(),
            priority: task.priority,
            due: task.due.map(to_datetime),
        }
    }

    fn candidate_views(&self, team: &[u32]) -> Vec<CandidateView<'_>> {
        team.iter()
            .map(|&m| {
                let member = &self.members[m as usize];
                CandidateView {
                    member: member.id,
                    capacity_hours_per_week: member.capacity,
                    skills: member.skills.static_names(),
                    open_tasks: member.open.len() as u32,
                    queued_open_hours: self.open_hours(m),
                    open: member
                        .open
                        .iter()
                        .map(|&t| {
                            let task = &self.tasks[t as usize];
                            let under_way = task.status != TaskStatus::Todo;
                            OpenTaskView {
                                estimate_hours: task.estimate,
                                priority: task.priority,
                                due: task.due.map(to_datetime),
                                started_at: task
                                    .run
                                    .as_ref()
                                    .filter(|_| under_way)
                                    .map(|run| to_datetime(run.started_at)),
                                skill_match: member.skills.share_of(task.skills),
                            }
                        })
                        .collect(),
                    history: &member.completed,
                }
            })
            .collect()
    }

    /// The current estimates of member `m`'s open tasks, summed.
    pub(super) fn open_hours(&self, m: u32) -> f64 {
        self.members[m as usize]
            .open
            .iter()
            .map(|&t| self.tasks[t as usize].estimate)
            .sum()
    }

    /// One weekly sample for the replay: each member in an open project, open hours over
    /// weekly capacity.
    pub(super) fn sample_load(&mut self) {
        let sample: Vec<f64> = (0..self.members.len() as u32)
            .filter(|&m| !self.members[m as usize].projects.is_empty())
            .map(|m| self.open_hours(m) / self.members[m as usize].capacity)
            .collect();
        self.load_samples.push(sample);
    }
}
