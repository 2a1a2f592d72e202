//! One run's schedule: tasks in dependency order, each on the lane of its member (or of the
//! pool) that frees up first; and the cycle check that runs once before any schedule.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};

use super::{ForecastError, ForecastInput};

/// Hours of weekly capacity that make one lane (one task in progress at a time).
pub const HOURS_PER_LANE: f64 = 20.0;

/// The lanes of `capacity_hours_per_week`.
pub fn lanes_for(capacity_hours_per_week: f64) -> usize {
    let lanes = (capacity_hours_per_week / HOURS_PER_LANE).round();
    if lanes.is_finite() && lanes >= 1.0 {
        lanes as usize
    } else {
        1
    }
}

/// The fixed part of the schedule: dependencies as indices, lanes, priorities.
pub(super) struct Plan {
    /// Remaining dependencies of each task, as indices, without duplicates.
    depends_on: Vec<Vec<usize>>,
    /// Tasks that depend on each task.
    dependents: Vec<Vec<usize>>,
    /// Lanes each task may use.
    lanes: Vec<std::ops::Range<usize>>,
    lane_count: usize,
    started: Vec<bool>,
}

impl Plan {
    pub(super) fn new(input: &ForecastInput) -> Result<Self, ForecastError> {
        let mut index = HashMap::new();
        for (i, task) in input.tasks.iter().enumerate() {
            if index.insert(task.id, i).is_some() {
                return Err(ForecastError::DuplicateTask(task.id));
            }
        }
        let n = input.tasks.len();
        let mut depends_on = vec![Vec::new(); n];
        let mut dependents = vec![Vec::new(); n];
        for (i, task) in input.tasks.iter().enumerate() {
            let mut deps: Vec<usize> = task
                .depends_on
                .iter()
                .filter_map(|id| index.get(id).copied())
                .collect();
            deps.sort_unstable();
            deps.dedup();
            for &d in &deps {
                dependents[d].push(i);
            }
            depends_on[i] = deps;
        }
        check_acyclic(input, &depends_on, &dependents)?;

        let mut member_lanes = HashMap::new();
        let mut lane_count = 0;
        for member in &input.members {
            if let Entry::Vacant(entry) = member_lanes.entry(member.id) {
                let lanes = lanes_for(member.capacity_hours_per_week);
                entry.insert(lane_count..lane_count + lanes);
                lane_count += lanes;
            }
        }
        let pool = 0..lane_count.max(1);
        let lanes = input
            .tasks
            .iter()
            .map(|t| {
                t.assignee
                    .and_then(|a| member_lanes.get(&a).cloned())
                    .unwrap_or_else(|| pool.clone())
            })
            .collect();
        Ok(Self {
            depends_on,
            dependents,
            lanes,
            lane_count: lane_count.max(1),
            started: input
                .tasks
                .iter()
                .map(|t| t.already_elapsed_hours > 0.0)
                .collect(),
        })
    }

    /// Finish time (hours after as-of) of every task, for one draw of durations.
    pub(super) fn schedule(&self, durations: &[f64]) -> Vec<f64> {
        let n = durations.len();
        let mut waiting: Vec<usize> = self.depends_on.iter().map(Vec::len).collect();
        let mut ready_at = vec![0.0_f64; n];
        let mut finish = vec![0.0; n];
        let mut lane_free = vec![0.0_f64; self.lane_count];
        let mut queue: BinaryHeap<Ready> = (0..n)
            .filter(|&i| waiting[i] == 0)
            .map(|i| self.ready(i, 0.0))
            .collect();
        while let Some(Ready { task, at, .. }) = queue.pop() {
            let lanes = self.lanes[task].clone();
            let lane = lanes
                .min_by(|&a, &b| lane_free[a].total_cmp(&lane_free[b]).then(a.cmp(&b)))
                .unwrap_or(0);
            let start = at.max(lane_free[lane]);
            finish[task] = start + durations[task];
            lane_free[lane] = finish[task];
            for &next in &self.dependents[task] {
                ready_at[next] = ready_at[next].max(finish[task]);
                waiting[next] -= 1;
                if waiting[next] == 0 {
                    queue.push(self.ready(next, ready_at[next]));
                }
            }
        }
        finish
    }

    fn ready(&self, task: usize, at: f64) -> Ready {
        Ready {
            at,
            started: self.started[task],
            task,
        }
    }
}

/// A task whose dependencies are scheduled; the heap pops the earliest, then started tasks, then
/// the lowest index.
#[derive(Debug, PartialEq)]
struct Ready {
    at: f64,
    started: bool,
    task: usize,
}

impl Eq for Ready {}

impl Ord for Ready {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .at
            .total_cmp(&self.at)
            .then(self.started.cmp(&other.started))
            .then(other.task.cmp(&self.task))
    }
}

impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Kahn's algorithm; on a cycle, walks unfinished dependencies until a task repeats.
fn check_acyclic(
    input: &ForecastInput,
    depends_on: &[Vec<usize>],
    dependents: &[Vec<usize>],
) -> Result<(), ForecastError> {
    let n = depends_on.len();
    let mut waiting: Vec<usize> = depends_on.iter().map(Vec::len).collect();
    let mut stack: Vec<usize> = (0..n).filter(|&i| waiting[i] == 0).collect();
    let mut done = vec![false; n];
    while let Some(i) = stack.pop() {
        done[i] = true;
        for &next in &dependents[i] {
            waiting[next] -= 1;
            if waiting[next] == 0 {
                stack.push(next);
            }
        }
    }
    let Some(start) = (0..n).find(|&i| !done[i]) else {
        return Ok(());
    };
    // Every unfinished task has an unfinished dependency, so this walk must revisit a task.
    let mut position = HashMap::new();
    let mut path = Vec::new();
    let mut current = start;
    while !position.contains_key(&current) {
        position.insert(current, path.len());
        path.push(current);
        current = depends_on[current]
            .iter()
            .copied()
            .find(|&d| !done[d])
            .unwrap_or(current);
    }
    let cycle = path[position[&current]..]
        .iter()
        .map(|&i| input.tasks[i].id)
        .collect();
    Err(ForecastError::Cycle(cycle))
}
