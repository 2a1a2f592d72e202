//! Projects: their start (team, milestones, plan), the weekly planning that creates tasks,
//! milestones reached or moved, and their end.

use std::collections::BTreeSet;

use domain::ProjectStatus;

use super::{Engine, Happening};
use crate::clock::{DAY, WEEK, day_of, end_of_day, next_work_time, workday_at_or_after};
use crate::command::{Actor, Cmd};
use crate::duration::PARALLEL_SLOWDOWN;
use crate::words;
use crate::world::{Member, Milestone, Project, SKILL_SHARES, Skills};

/// Planned share of a team's throughput: a little slack, so backlogs do not grow for ever.
const UTILISATION: f64 = 0.9;
/// Typical work hours of a task, for planning only.
const PLANNED_EFFORT: f64 = 11.0;
const MILESTONE_NAMES: [&str; 5] = [
    "Prototype",
    "Alpha",
    "Beta",
    "Release candidate",
    "General availability",
];

/// What is decided about a project before the history plays.
pub(crate) struct ProjectPlan {
    pub(crate) start: i64,
    pub(crate) tasks: u32,
    pub(crate) team: usize,
}

/// Tasks per week a member gets through when fully on one project (the planner's guess).
fn weekly_throughput(member: &Member) -> f64 {
    let parallel = f64::from(member.max_parallel);
    parallel * member.capacity
        / (PLANNED_EFFORT * member.speed * (1.0 + PARALLEL_SLOWDOWN * (parallel - 1.0)))
}

impl Engine {
    pub(super) fn add_project(&mut self, plan: ProjectPlan) -> u32 {
        let p = self.projects.len() as u32;
        let dice = &mut self.dice;
        let mut profile = Skills::default();
        while profile.list().len() < 2 || (profile.list().len() < 3 && dice.chance(0.4)) {
            profile = profile.with(dice.weighted(&SKILL_SHARES));
        }
        self.projects.push(Project {
            id: dice.uuid(),
            names: vec![words::project_name(dice, p as usize + 1)],
            start: plan.start,
            deadline_day: day_of(plan.start),
            profile,
            estimate_bias: dice.log_normal(1.0, 0.15),
            team_size: plan.team,
            members: Vec::new(),
            milestones: Vec::new(),
            tasks: Vec::new(),
            backlog: BTreeSet::new(),
            open_tasks: 0,
            to_create: plan.tasks,
            unscheduled: plan.tasks,
            planning_left: 0,
            status: ProjectStatus::Active,
            closing: false,
        });
        p
    }

    pub(super) fn start_project(&mut self, p: u32) {
        let profile = self.projects[p as usize].profile;
        let mut team = Vec::new();
        for _ in 0..self.projects[p as usize].team_size {
            let m = self.recruit(profile, &team);
            team.push(m);
        }
        let throughput: f64 = team
            .iter()
            .map(|&m| {
                let member = &self.members[m as usize];
                weekly_throughput(member) / (member.projects.len() as f64 + 1.0)
            })
            .sum();
        let tasks = f64::from(self.projects[p as usize].to_create);
        let weeks = (tasks / (throughput * UTILISATION)).clamp(1.5, 40.0);
        let slack = self.dice.between(1.1, 1.35);
        let start_day = day_of(self.now);
        self.projects[p as usize].deadline_day = start_day + (weeks * slack * 7.0).ceil() as i64;
        self.emit(Actor::Planner, Cmd::CreateProject(p));
        for &m in &team {
            self.join(p, m);
        }
        self.add_milestones(p, weeks);
        self.plan_creation(p, weeks);
        if self.dice.chance(0.1) {
            let at = self.now + (self.dice.between(1.0, weeks) * WEEK as f64) as i64;
            self.at(next_work_time(at), Happening::Rename(p));
        }
        if self.dice.chance(0.06) {
            let at = self.now + (self.dice.between(1.0, weeks * 0.8) * WEEK as f64) as i64;
            self.at(next_work_time(at), Happening::Hold(p));
        }
    }

    fn add_milestones(&mut self, p: u32, weeks: f64) {
        let count = if weeks < 3.0 {
            2
        } else {
            self.dice.int(2, 5) as usize
        };
        for i in 0..count {
            let fraction = (i + 1) as f64 / count as f64 * self.dice.between(0.93, 1.05);
            let due_day = workday_at_or_after(day_of(self.now) + (weeks * fraction * 7.0) as i64);
            let milestone = Milestone {
                id: self.dice.uuid(),
                name: MILESTONE_NAMES[MILESTONE_NAMES.len() - count + i].to_owned(),
                planned_day: due_day,
                due_day,
                seal: (due_day * DAY - 3 * DAY).max(self.now + DAY),
                sealed: false,
                open_tasks: 0,
                completed: false,
                completion_planned: false,
                moves: 0,
            };
            let (seal, due) = (milestone.seal, end_of_day(due_day));
            self.projects[p as usize].milestones.push(milestone);
            self.emit(Actor::Planner, Cmd::AddMilestone(p, i as u8));
            self.at(seal, Happening::MilestoneSeal(p, i as u8));
            self.at(due, Happening::MilestoneDue(p, i as u8));
        }
    }

    /// 60% of the tasks at once, the rest in weekly planning over the first 60% of the weeks.
    fn plan_creation(&mut self, p: u32, weeks: f64) {
        let project = &mut self.projects[p as usize];
        let first = (f64::from(project.to_create) * 0.6).ceil() as u32;
        project.unscheduled -= first;
        let plannings = (weeks * 0.6).floor().max(1.0) as u32;
        project.planning_left = plannings;
        let hours = self.dice.between(0.2, 1.0);
        self.later(hours, Happening::CreateTask(p, first));
        for week in 1..=i64::from(plannings) {
            let at = next_work_time(self.now + week * WEEK);
            self.at(at, Happening::Planning(p));
        }
    }

    pub(super) fn planning(&mut self, p: u32) {
        let project = &mut self.projects[p as usize];
        let left = project.planning_left.max(1);
        let batch = project.unscheduled.div_ceil(left);
        project.planning_left = left - 1;
        project.unscheduled -= batch;
        let (waiting, team) = (project.backlog.len(), project.members.len());
        if batch > 0 {
            self.at(self.now, Happening::CreateTask(p, batch));
        }
        if waiting > 4 * team && team < 10 && self.dice.chance(0.5) {
            let profile = self.projects[p as usize].profile;
            let taken = self.projects[p as usize].members.clone();
            let m = self.recruit(profile, &taken);
            self.join(p, m);
        }
    }

    /// The first open milestone a new task can still join, mostly.
    pub(super) fn milestone_for_new_task(&mut self, p: u32) -> Option<u8> {
        if self.dice.chance(0.12) {
            return None;
        }
        let project = &self.projects[p as usize];
        let now = self.now;
        project
            .milestones
            .iter()
            .position(|ms| !ms.sealed && ms.seal > now)
            .map(|i| i as u8)
    }

    /// A task is done for good or cancelled.
    pub(super) fn close_task(&mut self, t: u32) {
        let task = &mut self.tasks[t as usize];
        task.closed = true;
        let (p, milestone) = (task.project, task.milestone);
        if let Some(m) = task.assignee {
            self.members[m as usize].open.remove(&t);
        }
        self.projects[p as usize].open_tasks -= 1;
        if let Some(ms) = milestone {
            self.projects[p as usize].milestones[usize::from(ms)].open_tasks -= 1;
            self.maybe_complete_milestone(p, ms);
        }
        let project = &mut self.projects[p as usize];
        if project.open_tasks == 0 && project.to_create == 0 && !project.closing {
            project.closing = true;
            let hours = self.dice.between(24.0, 72.0);
            self.later(hours, Happening::Close(p));
        }
    }

    pub(super) fn seal_milestone(&mut self, p: u32, ms: u8) {
        self.projects[p as usize].milestones[usize::from(ms)].sealed = true;
        self.maybe_complete_milestone(p, ms);
    }

    fn maybe_complete_milestone(&mut self, p: u32, ms: u8) {
        let milestone = &mut self.projects[p as usize].milestones[usize::from(ms)];
        if milestone.sealed
            && milestone.open_tasks == 0
            && !milestone.completed
            && !milestone.completion_planned
        {
            milestone.completion_planned = true;
            let hours = self.dice.between(1.0, 24.0);
            self.later(hours, Happening::MilestoneComplete(p, ms));
        }
    }

    pub(super) fn complete_milestone(&mut self, p: u32, ms: u8) {
        let milestone = &mut self.projects[p as usize].milestones[usize::from(ms)];
        if !milestone.completed {
            milestone.completed = true;
            self.emit(Actor::Planner, Cmd::CompleteMilestone(p, ms));
        }
    }

    /// On its due date, an unfinished milestone is often moved by one to three weeks.
    pub(super) fn milestone_due(&mut self, p: u32, ms: u8) {
        let milestone = &self.projects[p as usize].milestones[usize::from(ms)];
        if milestone.completed || milestone.completion_planned || milestone.moves >= 2 {
            return;
        }
        if !self.dice.chance(0.6) {
            return;
        }
        let due_day = workday_at_or_after(milestone.due_day + self.dice.int(7, 21));
        let milestone = &mut self.projects[p as usize].milestones[usize::from(ms)];
        milestone.due_day = due_day;
        milestone.moves += 1;
        self.emit(Actor::Planner, Cmd::MoveMilestone(p, ms, due_day));
        self.at(end_of_day(due_day), Happening::MilestoneDue(p, ms));
    }

    pub(super) fn rename(&mut self, p: u32) {
        let name = format!("{} (phase 2)", self.projects[p as usize].names[0]);
        let project = &mut self.projects[p as usize];
        if project.names.len() < 2 {
            project.names.push(name);
            self.emit(Actor::Planner, Cmd::RenameProject(p, 1));
        }
    }

    pub(super) fn hold(&mut self, p: u32) {
        let project = &mut self.projects[p as usize];
        if project.status == ProjectStatus::Active && !project.closing {
            project.status = ProjectStatus::OnHold;
            self.emit(Actor::Planner, Cmd::ChangeStatus(p, ProjectStatus::OnHold));
            let hours = self.dice.between(5.0, 15.0) * 24.0;
            self.later(hours, Happening::Resume(p));
        }
    }

    pub(super) fn resume(&mut self, p: u32) {
        if self.projects[p as usize].status == ProjectStatus::OnHold {
            self.projects[p as usize].status = ProjectStatus::Active;
            self.emit(Actor::Planner, Cmd::ChangeStatus(p, ProjectStatus::Active));
        }
    }

    /// Every task closed and none to come: open milestones are completed, the project closed.
    pub(super) fn close(&mut self, p: u32) {
        for ms in 0..self.projects[p as usize].milestones.len() {
            self.complete_milestone(p, ms as u8);
        }
        let team = self.projects[p as usize].members.clone();
        if team.len() > 1 && self.dice.chance(0.3) {
            let m = *self.dice.pick(&team);
            self.projects[p as usize].members.retain(|&x| x != m);
            self.emit(Actor::Planner, Cmd::RemoveMember(p, m));
        }
        self.projects[p as usize].status = ProjectStatus::Closed;
        self.emit(Actor::Planner, Cmd::ChangeStatus(p, ProjectStatus::Closed));
        for m in team {
            let member = &mut self.members[m as usize];
            member.projects.retain(|&x| x != p);
            let count = member.projects.len();
            self.pools.set(m, count);
        }
    }
}
