//! A task's run: drawn whole when a member starts it (the duration model), then played step by
//! step in business time: work logged, blocked and unblocked, completed, maybe reopened.

use domain::TaskStatus;

use super::streams::Purpose;
use super::{Engine, Happening};
use crate::assignment::CompletedRun;
use crate::clock::{WORKING_HOURS_PER_WEEK, after_working, hours_between};
use crate::command::{Actor, Cmd};
use crate::duration::{Luck, SKILL_MISMATCH, base_hours};
use crate::random::Dice;
use crate::words::{BLOCK_REASONS, REOPEN_REASONS};
use crate::world::{Run, round_estimate};

/// One step of a run, at an offset on the member's clock.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    LogWork(f64),
    Block,
    Unblock,
    ChangeEstimate(f64),
    /// `last`: no reopening follows.
    Complete {
        last: bool,
    },
    Reopen,
    Restart,
    Cancel,
}

impl Step {
    pub(super) fn index(self) -> u8 {
        match self {
            Step::LogWork(_) => 0,
            Step::Block => 1,
            Step::Unblock => 2,
            Step::ChangeEstimate(_) => 3,
            Step::Complete { last } => 4 + u8::from(last),
            Step::Reopen => 6,
            Step::Restart => 7,
            Step::Cancel => 8,
        }
    }
}

impl Engine {
    /// Member `m` starts task `t`: the run is drawn, its steps scheduled, the truth noted. In a
    /// replay the luck comes from the task's own stream, so that it is the same whoever runs it.
    pub(super) fn start_run(&mut self, t: u32, m: u32) {
        self.keyed_task(t, Purpose::Run, |engine| engine.draw_run(t, m));
    }

    fn draw_run(&mut self, t: u32, m: u32) {
        let now = self.now;
        let task = &self.tasks[t as usize];
        let member = &self.members[m as usize];
        let mismatch = if member.skills.covers(task.skills) {
            1.0
        } else {
            SKILL_MISMATCH
        };
        let effort = task.estimate
            * member.speed
            * task.label.difficulty()
            * mismatch
            * self.projects[task.project as usize].estimate_bias;
        let base = base_hours(effort, member.in_progress, member.capacity);
        let (label, estimate, capacity) = (task.label, task.estimate, member.capacity);
        let skill_match = member.skills.share_of(task.skills);
        let median = self.medians.median(label, base);
        let luck = Luck::draw(&mut self.dice, label, base);
        let steps = script(&mut self.dice, base, effort, &luck, estimate, capacity);

        let away = std::mem::take(&mut self.members[m as usize].away);
        let when = |offset: f64| after_working(now, offset, &away);
        for (offset, step) in steps {
            self.at(when(offset), Happening::Step(t, step));
        }
        let expected_hours = hours_between(now, when(median));
        let member = &mut self.members[m as usize];
        member.away = away;
        member.running += 1;
        member.in_progress += 1;
        member.assigned_todo -= 1;
        let task = &mut self.tasks[t as usize];
        task.status = TaskStatus::InProgress;
        task.run = Some(Run {
            member: m,
            started_at: now,
            estimate,
            expected_hours,
            skill_match,
            completed_at: None,
            blocked: false,
            reopened: false,
        });
        self.emit(Actor::Member(m), Cmd::Start(t));
    }

    pub(super) fn step(&mut self, t: u32, step: Step) {
        let Some(m) = self.tasks[t as usize].run.as_ref().map(|run| run.member) else {
            return;
        };
        let actor = Actor::Member(m);
        match step {
            Step::LogWork(hours) => {
                let named = self.dice.chance(0.9).then_some(m);
                self.emit(actor, Cmd::LogWork(t, hours, named));
            }
            Step::Block => {
                self.set_status(t, TaskStatus::Blocked);
                if let Some(run) = self.tasks[t as usize].run.as_mut() {
                    run.blocked = true;
                }
                let reason = self.dice.index(BLOCK_REASONS.len()) as u8;
                self.emit(actor, Cmd::Block(t, reason));
            }
            Step::Unblock => {
                self.set_status(t, TaskStatus::InProgress);
                self.emit(actor, Cmd::Unblock(t));
            }
            Step::ChangeEstimate(estimate) => {
                self.tasks[t as usize].estimate = estimate;
                self.emit(actor, Cmd::ChangeEstimate(t, estimate));
            }
            Step::Complete { last } => {
                self.set_status(t, TaskStatus::Done);
                self.members[m as usize].in_progress -= 1;
                self.emit(actor, Cmd::Complete(t));
                if !self.tasks[t as usize].ever_done {
                    self.tasks[t as usize].ever_done = true;
                    self.dependency_finished(t);
                }
                if last {
                    if let Some(run) = self.tasks[t as usize].run.as_mut() {
                        run.completed_at = Some(self.now);
                        let done = CompletedRun {
                            estimate_hours: run.estimate,
                            elapsed_hours: hours_between(run.started_at, self.now),
                            skill_match: run.skill_match,
                        };
                        self.members[m as usize].completed.push(done);
                    }
                    self.end_run(t, m);
                }
            }
            Step::Reopen => {
                self.set_status(t, TaskStatus::Todo);
                if let Some(run) = self.tasks[t as usize].run.as_mut() {
                    run.reopened = true;
                }
                let reason = self.dice.index(REOPEN_REASONS.len()) as u8;
                self.emit(Actor::Planner, Cmd::Reopen(t, reason));
            }
            Step::Restart => {
                self.set_status(t, TaskStatus::InProgress);
                self.members[m as usize].in_progress += 1;
                self.emit(actor, Cmd::Start(t));
            }
            Step::Cancel => {
                self.set_status(t, TaskStatus::Cancelled);
                self.members[m as usize].in_progress -= 1;
                let reason = self.dice.index(crate::words::CANCEL_REASONS.len()) as u8;
                self.emit(actor, Cmd::Cancel(t, reason));
                self.dependency_finished(t);
                self.untangle_dependents(t);
                self.end_run(t, m);
            }
        }
    }

    fn set_status(&mut self, t: u32, status: TaskStatus) {
        self.tasks[t as usize].status = status;
    }

    /// The run is over for good: the slot frees, and the member soon looks for more work.
    fn end_run(&mut self, t: u32, m: u32) {
        self.members[m as usize].running -= 1;
        self.close_task(t);
        let hours = self.dice.between(0.25, 2.0);
        self.later(hours, Happening::Look(m));
    }
}

/// The steps of a run, by offset in hours on the member's clock: work is logged along the way,
/// a block pauses it, a reopening adds a gap and rework; a rare cancellation cuts it short.
fn script(
    dice: &mut Dice,
    base: f64,
    effort: f64,
    luck: &Luck,
    estimate: f64,
    capacity: f64,
) -> Vec<(f64, Step)> {
    let work = base * luck.noise;
    let worked = effort * luck.noise;
    let block = luck
        .blocked
        .map(|hours| (dice.between(0.15, 0.85) * work, hours));
    let shift = |x: f64| match block {
        Some((at, hours)) if x > at => x + hours,
        _ => x,
    };
    let mut steps = Vec::new();
    let logs = (work / 10.0 * 0.8).ceil().clamp(1.0, 8.0) as usize;
    for j in 0..logs {
        let offset = (j as f64 + dice.between(0.2, 0.95)) / logs as f64 * work;
        let hours = quarter_hours(worked / logs as f64 * dice.between(0.8, 1.2));
        steps.push((shift(offset), Step::LogWork(hours)));
    }
    if let Some((at, hours)) = block {
        steps.push((at, Step::Block));
        steps.push((at + hours, Step::Unblock));
    }
    if dice.chance(0.05) {
        let revised = round_estimate(estimate * luck.noise.powf(0.8) * dice.log_normal(1.0, 0.15));
        if revised != estimate {
            steps.push((shift(0.35 * work), Step::ChangeEstimate(revised)));
        }
    }
    let done = work + luck.blocked.unwrap_or(0.0);
    match luck.rework {
        None => steps.push((done, Step::Complete { last: true })),
        Some(rework) => {
            let rework_hours = quarter_hours(0.5 * rework * capacity / WORKING_HOURS_PER_WEEK);
            steps.push((done, Step::Complete { last: false }));
            steps.push((done + 0.35 * rework, Step::Reopen));
            steps.push((done + 0.5 * rework, Step::Restart));
            steps.push((done + 0.75 * rework, Step::LogWork(rework_hours)));
            steps.push((done + rework, Step::Complete { last: true }));
        }
    }
    steps.sort_by(|a, b| a.0.total_cmp(&b.0));
    if dice.chance(0.012) {
        let at = dice.between(0.1, 0.9) * done;
        steps.retain(|(offset, _)| *offset < at);
        steps.push((at, Step::Cancel));
    }
    steps
}

/// Hours as people log them: quarters, at least one, at most a week.
fn quarter_hours(hours: f64) -> f64 {
    ((hours * 4.0).round() / 4.0).clamp(0.25, 168.0)
}
