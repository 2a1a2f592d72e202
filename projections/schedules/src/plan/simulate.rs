//! The planner: a discrete-event simulation over the members' queues.
//!
//! A task is released when its last dependency has a planned finish (Kahn's algorithm, run
//! forward in time). A released task of a queued member joins the member's pool; the member
//! decides at the first working moment when they are idle and something in the pool is ready,
//! and decisions are taken in time order, so every task that could be ready by then is known.
//! Other tasks are planned the moment they are released. Each decision plans or gives up on
//! one task, so the loop ends; tasks never released are in or behind a cycle, or behind work
//! that could not be planned.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use uuid::Uuid;

use super::calendar::{NoTime, secs};
use super::graph::Graph;
use super::{Calendar, HORIZON_DAYS, Plan, PlanInput, PlanTask, Slot, Unscheduled, distinct};

/// Who does a task.
#[derive(Debug, Clone, Copy)]
enum Worker {
    /// The queue at this index.
    Queue(usize),
    /// Nobody in particular, on the calendar at this index.
    Alone(usize),
}

struct Queue {
    calendar: usize,
    idle_since: NaiveDateTime,
    /// Released tasks not yet planned.
    pool: Vec<usize>,
    /// Bumped on every new decision time, so that older heap entries are skipped.
    generation: u64,
}

struct Simulation<'a> {
    tasks: Vec<&'a PlanTask>,
    graph: Graph,
    waiting: Vec<usize>,
    ready_at: Vec<NaiveDateTime>,
    secs: Vec<i64>,
    worker: Vec<Worker>,
    calendars: Vec<Calendar>,
    queues: Vec<Queue>,
    limit: NaiveDate,
    slots: Vec<Option<(NaiveDateTime, NaiveDateTime)>>,
    failed: Vec<Option<Unscheduled>>,
    released: Vec<usize>,
    decisions: BinaryHeap<Reverse<(NaiveDateTime, usize, u64)>>,
}

/// Plans every task of `input`; see the module documentation of [`super`] for the model.
pub fn plan(input: &PlanInput) -> Plan {
    let mut sim = Simulation::new(input);
    sim.released = (0..sim.tasks.len())
        .filter(|&i| sim.waiting[i] == 0)
        .collect();
    sim.release_all();
    while let Some(Reverse((at, queue, generation))) = sim.decisions.pop() {
        if sim.queues[queue].generation != generation {
            continue;
        }
        sim.decide(queue, at);
        sim.release_all();
        sim.reschedule(queue);
    }
    sim.into_plan()
}

impl<'a> Simulation<'a> {
    fn new(input: &'a PlanInput) -> Self {
        let tasks = distinct(&input.tasks);
        let ids: Vec<Uuid> = tasks.iter().map(|t| t.id).collect();
        let graph = Graph::new(&ids, |i| tasks[i].depends_on.clone());
        let start_of = |day: NaiveDate| day.and_time(NaiveTime::MIN);

        // Calendar 0 is the standard one; then one per member that has a calendar.
        let mut calendars = vec![Calendar::standard()];
        let mut calendar_of: HashMap<Uuid, usize> = HashMap::new();
        let mut members: Vec<(&Uuid, &Calendar)> = input.calendars.iter().collect();
        members.sort_by_key(|(id, _)| **id);
        for (id, calendar) in members {
            calendar_of.insert(*id, calendars.len());
            calendars.push(calendar.clone());
        }
        let queues: Vec<Queue> = input
            .queued
            .iter()
            .map(|member| Queue {
                calendar: calendar_of.get(member).copied().unwrap_or(0),
                idle_since: start_of(input.as_of),
                pool: Vec::new(),
                generation: 0,
            })
            .collect();
        let queue_of: HashMap<Uuid, usize> = input
            .queued
            .iter()
            .enumerate()
            .map(|(i, m)| (*m, i))
            .collect();
        let worker = tasks
            .iter()
            .map(|t| match t.assignee {
                Some(member) => match queue_of.get(&member) {
                    Some(&queue) => Worker::Queue(queue),
                    None => Worker::Alone(calendar_of.get(&member).copied().unwrap_or(0)),
                },
                None => Worker::Alone(0),
            })
            .collect();
        let ready_at = tasks
            .iter()
            .map(|t| {
                start_of(
                    input
                        .project_starts
                        .get(&t.project_id)
                        .map_or(input.as_of, |s| input.as_of.max(*s)),
                )
            })
            .collect();
        let n = tasks.len();
        Self {
            waiting: graph.deps.iter().map(Vec::len).collect(),
            secs: tasks.iter().map(|t| secs(t.hours)).collect(),
            tasks,
            graph,
            ready_at,
            worker,
            calendars,
            queues,
            limit: input
                .as_of
                .checked_add_days(chrono::Days::new(HORIZON_DAYS))
                .unwrap_or(NaiveDate::MAX),
            slots: vec![None; n],
            failed: vec![None; n],
            released: Vec::new(),
            decisions: BinaryHeap::new(),
        }
    }

    /// Hands every released task to its worker; planning one may release more.
    fn release_all(&mut self) {
        while let Some(task) = self.released.pop() {
            match self.worker[task] {
                Worker::Queue(queue) => {
                    self.queues[queue].pool.push(task);
                    self.reschedule(queue);
                }
                Worker::Alone(calendar) => {
                    let planned = self.calendars[calendar].work(
                        self.ready_at[task],
                        self.secs[task],
                        self.limit,
                    );
                    self.settle(task, planned);
                }
            }
        }
    }

    /// Records a task's slot and releases what waited for it, or records why it has none.
    fn settle(&mut self, task: usize, planned: Result<(NaiveDateTime, NaiveDateTime), NoTime>) {
        match planned {
            Ok((start, finish)) => {
                self.slots[task] = Some((start, finish));
                for &next in &self.graph.dependents[task] {
                    self.ready_at[next] = self.ready_at[next].max(finish);
                    self.waiting[next] -= 1;
                    if self.waiting[next] == 0 {
                        self.released.push(next);
                    }
                }
            }
            Err(why) => self.failed[task] = Some(unscheduled(why)),
        }
    }

    /// Sets the queue's next decision: its first working moment when it is idle and a task in
    /// its pool is ready.
    fn reschedule(&mut self, queue: usize) {
        let q = &mut self.queues[queue];
        q.generation += 1;
        let Some(earliest) = q.pool.iter().map(|&t| self.ready_at[t]).min() else {
            return;
        };
        match self.calendars[q.calendar].next_working_moment(q.idle_since.max(earliest), self.limit)
        {
            Ok(at) => self.decisions.push(Reverse((at, queue, q.generation))),
            Err(why) => {
                for task in q.pool.drain(..) {
                    self.failed[task] = Some(unscheduled(why));
                }
            }
        }
    }

    /// At `at`, the queue's member starts the first ready task in pick order.
    fn decide(&mut self, queue: usize, at: NaiveDateTime) {
        let q = &mut self.queues[queue];
        let tasks = &self.tasks;
        let ready_at = &self.ready_at;
        let chosen = q
            .pool
            .iter()
            .enumerate()
            .filter(|&(_, &t)| ready_at[t] <= at)
            .min_by_key(|&(_, &t)| tasks[t].pick_order())
            .map(|(position, _)| position);
        let Some(position) = chosen else { return };
        let task = q.pool.swap_remove(position);
        let planned = self.calendars[q.calendar].work(at, self.secs[task], self.limit);
        if let Ok((_, finish)) = planned {
            q.idle_since = finish;
        }
        self.settle(task, planned);
    }

    fn into_plan(self) -> Plan {
        let unplanned: Vec<bool> = self
            .slots
            .iter()
            .zip(&self.failed)
            .map(|(s, f)| s.is_none() && f.is_none())
            .collect();
        let cycles = self.graph.cycles(&unplanned);
        let mut plan = Plan::default();
        for cycle in &cycles {
            for &task in cycle {
                plan.unscheduled
                    .insert(self.tasks[task].id, Unscheduled::InCycle);
            }
        }
        for (i, task) in self.tasks.iter().enumerate() {
            if let Some((start, finish)) = self.slots[i] {
                plan.slots.insert(
                    task.id,
                    Slot {
                        start: start.and_utc(),
                        finish: finish.and_utc(),
                    },
                );
            } else {
                let why = self.failed[i].unwrap_or(Unscheduled::WaitsOnUnscheduled);
                plan.unscheduled.entry(task.id).or_insert(why);
            }
        }
        plan.cycles = cycles
            .into_iter()
            .map(|c| c.into_iter().map(|i| self.tasks[i].id).collect())
            .collect();
        plan.cycles.iter_mut().for_each(|c| c.sort());
        plan.cycles.sort();
        plan
    }
}

fn unscheduled(why: NoTime) -> Unscheduled {
    match why {
        NoTime::NoCapacity => Unscheduled::NoCapacity,
        NoTime::BeyondHorizon => Unscheduled::BeyondHorizon,
    }
}
