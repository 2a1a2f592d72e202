//! New tasks: what they are, when they are due, what they wait for, and who is to do them.

use domain::TaskStatus;

use super::streams::Purpose;
use super::{Engine, Happening};
use crate::clock::{DAY, HOUR, day_of, end_of_day, workday_at_or_after};
use crate::command::{Actor, Cmd};
use crate::duration::Label;
use crate::world::{AREAS, Skills, Task, draw_estimate};

/// Dependencies are drawn among this many most recent tasks of the project.
const DEPENDENCY_WINDOW: usize = 20;

fn priority_weights(label: Label) -> [f64; 4] {
    match label {
        Label::Bug => [0.25, 0.4, 0.25, 0.1],
        _ => [0.08, 0.3, 0.42, 0.2],
    }
}

impl Engine {
    /// Creates one task of project `p`, and schedules the rest of the batch a few minutes apart.
    pub(super) fn create_task(&mut self, p: u32, left: u32) {
        let ordinal = self.projects[p as usize].tasks.len() as u32 + 1;
        self.keyed(p, ordinal, Purpose::Create, |engine| {
            engine.draw_task(p, left, ordinal)
        });
    }

    fn draw_task(&mut self, p: u32, left: u32, ordinal: u32) {
        if left > 1 {
            let minutes = self.dice.between(2.0, 20.0);
            self.later(minutes / 60.0, Happening::CreateTask(p, left - 1));
        }
        let t = self.tasks.len() as u32;
        let profile = self.projects[p as usize].profile.list();
        let dice = &mut self.dice;
        let label = Label::ALL[dice.weighted(&Label::SHARES)];
        let area = dice.chance(0.6).then(|| dice.index(AREAS.len()) as u8);
        let mut skills = Skills::default();
        for _ in 0..dice.weighted(&[0.2, 0.6, 0.2]) {
            let skill = if dice.chance(0.9) {
                *dice.pick(&profile)
            } else {
                Skills::draw_one(dice)
            };
            skills = skills.with(skill);
        }
        let estimate = draw_estimate(dice);
        let priority = 1 + dice.weighted(&priority_weights(label)) as u8;
        let title = crate::words::title_words(dice, label);
        let described = dice.chance(0.4);
        let milestone = self.milestone_for_new_task(p);
        let due = self.draw_due(p, milestone, estimate);
        let deps = self.keyed(p, ordinal, Purpose::Dependencies, |engine| {
            engine.draw_dependencies(p)
        });
        let unfinished = deps.iter().filter(|&&d| !self.is_finished(d)).count() as u32;
        for &d in &deps {
            self.tasks[d as usize].dependents.push(t);
        }
        let project = &mut self.projects[p as usize];
        project.tasks.push(t);
        project.open_tasks += 1;
        project.to_create -= 1;
        if let Some(ms) = milestone {
            project.milestones[usize::from(ms)].open_tasks += 1;
        }
        self.tasks.push(Task {
            id: self.dice.uuid(),
            project: p,
            ordinal: project.tasks.len() as u32,
            title,
            described,
            label,
            area,
            skills,
            priority,
            milestone,
            created_estimate: estimate,
            estimate,
            created_due: due,
            due,
            created_deps: deps.clone(),
            deps,
            dependents: Vec::new(),
            unfinished,
            assignee: None,
            status: TaskStatus::Todo,
            queued: false,
            ever_done: false,
            closed: false,
            run: None,
        });
        self.emit(Actor::Planner, Cmd::CreateTask(t));
        if self.dice.chance(0.5)
            && let Some(m) = self.keyed_task(t, Purpose::Assign, |e| e.planned_assignee(t))
        {
            self.emit(Actor::Planner, Cmd::Assign(t, m));
            self.set_assignee(t, Some(m));
            self.members[m as usize].assigned_todo += 1;
        }
        self.became_ready(t);
        self.keyed_task(t, Purpose::PlanChanges, |e| e.schedule_todo_changes(t));
    }

    /// Completed or cancelled: nothing to wait for any more.
    pub(super) fn is_finished(&self, t: u32) -> bool {
        let task = &self.tasks[t as usize];
        task.ever_done || task.status == TaskStatus::Cancelled
    }

    /// Due with the milestone, or after a lead time and the estimate with tight or loose slack;
    /// one task in five has no due date.
    fn draw_due(&mut self, p: u32, milestone: Option<u8>, estimate: f64) -> Option<i64> {
        if self.dice.chance(0.2) {
            return None;
        }
        if let Some(ms) = milestone.filter(|_| self.dice.chance(0.45)) {
            return Some(end_of_day(
                self.projects[p as usize].milestones[usize::from(ms)].due_day,
            ));
        }
        let lead_days = self.dice.between(1.0, 12.0);
        let slack = if self.dice.chance(0.45) {
            self.dice.between(0.7, 1.3)
        } else {
            self.dice.between(1.5, 3.0)
        };
        let work_hours = estimate * 168.0 / 32.0 * slack;
        let at = self.now + (lead_days * DAY as f64) as i64 + (work_hours * HOUR as f64) as i64;
        Some(end_of_day(workday_at_or_after(day_of(at))))
    }

    /// Most tasks wait for nothing; some for one or two recent tasks of the project.
    fn draw_dependencies(&mut self, p: u32) -> Vec<u32> {
        let count = self.dice.weighted(&[0.65, 0.25, 0.1]);
        let recent = &self.projects[p as usize].tasks;
        let recent = &recent[recent.len().saturating_sub(DEPENDENCY_WINDOW)..];
        let mut deps = Vec::new();
        for _ in 0..count * 2 {
            if deps.len() == count || recent.is_empty() {
                break;
            }
            let d = recent[self.dice.index(recent.len())];
            if self.tasks[d as usize].status != TaskStatus::Cancelled && !deps.contains(&d) {
                deps.push(d);
            }
        }
        deps
    }
}
