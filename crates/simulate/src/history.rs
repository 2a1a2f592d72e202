//! `simulate`: plans the projects, plays the history to the present, sizes it to the target,
//! and writes out the commands and the truth.

use std::collections::BTreeSet;

use domain::TaskStatus;

use crate::assignment::AssignmentPolicy;
use crate::clock::{WEEK, next_work_time, to_datetime};
use crate::config::SimConfig;
use crate::engine::{Engine, ProjectPlan};
use crate::envelope;
use crate::output::{Simulation, TruthRow};
use crate::random::Dice;

/// The first guess of commands per task, project and member overhead included.
const COMMANDS_PER_TASK: f64 = 7.1;
/// Replays with a corrected number of tasks until the size is this close to the target, within
/// a budget of plays and of commands played in all (small histories are noisier but cheap).
const SIZE_TOLERANCE: f64 = 0.03;
const MAX_PLAYS: usize = 40;
const MAX_COMMANDS_PLAYED_PER_TARGET: usize = 12;
/// Tasks per project: log-normal median and log-sd, and bounds.
const PROJECT_TASKS_MEDIAN: f64 = 45.0;
const PROJECT_TASKS_SIGMA: f64 = 0.6;
/// A planner's guess of the tasks a member gets through per week, to place the last project.
const TASKS_PER_MEMBER_WEEK: f64 = 2.8;
/// Mix the seed for the command ids and for the projects' plan: separate streams, so that these
/// do not all shift when one of them does.
const COMMAND_ID_STREAM: u64 = 0x9e37_79b9_7f4a_7c15;
const PLAN_STREAM: u64 = 0x2545_f491_4f6c_dd1d;

/// Simulates weeks of project work up to `config.present`. Deterministic: the same config gives
/// the same commands, ids and times.
pub fn simulate(config: &SimConfig) -> Simulation {
    let present = config.present.timestamp();
    let begin = present - i64::from(config.history_weeks()) * WEEK;
    let (engine, _) = sized_play(config.seed, begin, present, config.target_events.max(1));
    let mut ids = Dice::new(config.seed ^ COMMAND_ID_STREAM);
    Simulation {
        commands: envelope::write(&engine, &mut ids),
        truth: truth(&engine, present),
        present: config.present,
    }
}

/// Plays the history with the number of tasks that gives about `target` commands: proportional
/// steps, then bisection between the closest numbers found too small and too big. A small
/// history's size is noisy and jumps with its number of tasks (another world is drawn), so once
/// the bracket closes, untried neighbours are played too, and the closest wins. Returns the play
/// and its number of tasks.
pub(crate) fn sized_play(seed: u64, begin: i64, present: i64, target: usize) -> (Engine, u32) {
    let mut tasks = (target as f64 / COMMANDS_PER_TASK).round().max(1.0) as u32;
    let mut best = play(seed, begin, present, tasks);
    let mut best_tasks = tasks;
    let mut last = best.emitted.len();
    let mut played = last;
    let mut tried = BTreeSet::from([tasks]);
    let (mut under, mut over) = (0, u32::MAX);
    for _ in 1..MAX_PLAYS {
        if last < target {
            under = under.max(tasks);
        } else {
            over = over.min(tasks);
        }
        let close = (best.emitted.len() as f64 / target as f64 - 1.0).abs() <= SIZE_TOLERANCE;
        if close || played > MAX_COMMANDS_PLAYED_PER_TARGET * target {
            break;
        }
        let guess = if under > 0 && over < u32::MAX && over > under + 1 {
            under + (over - under) / 2
        } else {
            (f64::from(tasks) * target as f64 / last.max(1) as f64).round() as u32
        };
        tasks = (0..)
            .flat_map(|d| [guess.saturating_add(d), guess.saturating_sub(d)])
            .find(|t| *t > 0 && !tried.contains(t))
            .unwrap_or(guess);
        tried.insert(tasks);
        let next = play(seed, begin, present, tasks);
        last = next.emitted.len();
        played += last;
        if last.abs_diff(target) < best.emitted.len().abs_diff(target) {
            best = next;
            best_tasks = tasks;
        }
    }
    (best, best_tasks)
}

fn play(seed: u64, begin: i64, present: i64, tasks: u32) -> Engine {
    let mut engine = Engine::new(seed, present);
    let plans = plan_projects(&mut Dice::new(seed ^ PLAN_STREAM), tasks, begin, present);
    engine.run(plans);
    engine
}

/// A play of the same plan as [`play`], as a replay under `policy`.
pub(crate) fn replay_play(
    seed: u64,
    begin: i64,
    present: i64,
    tasks: u32,
    policy: AssignmentPolicy,
) -> Engine {
    let mut engine = Engine::new(seed, present);
    let plans = plan_projects(&mut Dice::new(seed ^ PLAN_STREAM), tasks, begin, present);
    engine.replay(policy, begin);
    engine.run(plans);
    engine
}

/// Splits the tasks into projects, sizes their teams and spreads their starts over the history.
/// The first project drawn is the last to start, about half-way through its plan at the
/// present; more tasks add projects before it. The others share the time before it in
/// proportion to their tasks, so the plan grows smoothly with the number of tasks.
fn plan_projects(dice: &mut Dice, tasks: u32, begin: i64, present: i64) -> Vec<ProjectPlan> {
    let mut projects = Vec::new();
    let mut left = tasks;
    while left > 0 {
        let size = dice
            .log_normal(PROJECT_TASKS_MEDIAN, PROJECT_TASKS_SIGMA)
            .round()
            .clamp(6.0, 400.0) as u32;
        let size = if left < size + 6 { left } else { size };
        let team = (2.5 + f64::from(size) / 18.0 + dice.between(-1.0, 1.0))
            .round()
            .clamp(3.0, 8.0) as usize;
        projects.push((size, team, dice.unit()));
        left -= size;
    }
    projects.reverse();
    let Some(&(last_size, last_team, _)) = projects.last() else {
        return Vec::new();
    };
    let last_weeks = f64::from(last_size) / (last_team as f64 * TASKS_PER_MEMBER_WEEK);
    let last = (present - (0.55 * last_weeks * WEEK as f64) as i64).max(begin);
    let earlier = f64::from(tasks - last_size).max(1.0);
    let mut before = 0.0;
    let count = projects.len();
    projects
        .into_iter()
        .enumerate()
        .map(|(i, (tasks, team, jitter))| {
            let start = if i + 1 == count {
                last
            } else {
                let at = (before + jitter * f64::from(tasks)) / earlier;
                before += f64::from(tasks);
                begin + (at * (last - begin) as f64) as i64
            };
            ProjectPlan {
                start: next_work_time(start).min(present),
                tasks,
                team,
            }
        })
        .collect()
}

/// One row per started task, by start time.
fn truth(engine: &Engine, present: i64) -> Vec<TruthRow> {
    let mut rows: Vec<(i64, TruthRow)> = engine
        .tasks
        .iter()
        .filter_map(|task| {
            let run = task.run.as_ref()?;
            let project = &engine.projects[task.project as usize];
            let late = match (task.due, run.completed_at) {
                (None, _) => None,
                (Some(due), Some(done)) => Some(done > due),
                (Some(due), None) if task.status != TaskStatus::Cancelled && present > due => {
                    Some(true)
                }
                _ => None,
            };
            let row = TruthRow {
                task_id: task.id,
                project_id: project.id,
                member_id: engine.members[run.member as usize].id,
                estimate_hours: run.estimate,
                expected_hours: run.expected_hours,
                actual_hours: run
                    .completed_at
                    .map(|done| crate::clock::hours_between(run.started_at, done)),
                started_at: to_datetime(run.started_at),
                completed_at: run.completed_at.map(to_datetime),
                due_date: task.due.map(to_datetime),
                late,
                status: task.status.as_str(),
                blocked: run.blocked,
                reopened: run.reopened,
            };
            Some((run.started_at, row))
        })
        .collect();
    rows.sort_by_key(|(started, _)| *started);
    rows.into_iter().map(|(_, row)| row).collect()
}
