//! The discrete-event loop: scheduled happenings in business-time order, each emitting commands
//! at its own time, so the commands come out ordered by `occurred_at`.

mod assign;
mod members;
mod projects;
mod runs;
mod streams;
mod tasks;
mod todo;

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::assignment::AssignmentPolicy;
use crate::clock::{WEEK, next_work_time};
use crate::command::{Actor, Cmd, Emitted};
use crate::duration::Medians;
use crate::random::Dice;
use crate::world::{Member, Project, Task};

pub(crate) use self::projects::ProjectPlan;
use self::runs::Step;
use self::todo::TodoChange;

/// Something that happens at a moment of business time.
#[derive(Clone, Copy, Debug)]
enum Happening {
    ProjectStart(u32),
    /// Create one task of the project, then the rest of the batch a little later.
    CreateTask(u32, u32),
    /// The project's weekly planning: a batch of new tasks.
    Planning(u32),
    Tick(u32),
    Look(u32),
    AnnounceTimeOff(u32, u16),
    ChangeCapacity(u32),
    Todo(u32, TodoChange),
    Step(u32, Step),
    MilestoneSeal(u32, u8),
    MilestoneDue(u32, u8),
    MilestoneComplete(u32, u8),
    Rename(u32),
    Hold(u32),
    Resume(u32),
    Close(u32),
    /// The replay's weekly look at every member's open work.
    SampleLoad,
}

struct Scheduled {
    at: i64,
    seq: u64,
    what: Happening,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.at, self.seq).cmp(&(other.at, other.seq))
    }
}

/// Members offered to new projects: those in no open project, and those in one.
#[derive(Default)]
struct Pools {
    pools: [Vec<u32>; 2],
    /// Per member: which pool and where in it, if any.
    place: Vec<Option<(usize, usize)>>,
}

impl Pools {
    fn set(&mut self, member: u32, projects: usize) {
        let m = member as usize;
        if self.place.len() <= m {
            self.place.resize(m + 1, None);
        }
        if let Some((pool, at)) = self.place[m].take() {
            self.pools[pool].swap_remove(at);
            if let Some(&moved) = self.pools[pool].get(at) {
                self.place[moved as usize] = Some((pool, at));
            }
        }
        if projects < 2 {
            self.place[m] = Some((projects, self.pools[projects].len()));
            self.pools[projects].push(member);
        }
    }
}

/// The world and its clock.
pub(crate) struct Engine {
    seed: u64,
    dice: Dice,
    /// Draw each task's attributes, changes and luck from streams of its own (the replay).
    keyed_streams: bool,
    policy: AssignmentPolicy,
    /// The replay's weekly samples: per member in an open project, open hours over capacity.
    pub(crate) load_samples: Vec<Vec<f64>>,
    medians: &'static Medians,
    now: i64,
    present: i64,
    seq: u64,
    queue: BinaryHeap<Reverse<Scheduled>>,
    pools: Pools,
    pub(crate) members: Vec<Member>,
    pub(crate) projects: Vec<Project>,
    pub(crate) tasks: Vec<Task>,
    pub(crate) emitted: Vec<Emitted>,
}

impl Engine {
    pub(crate) fn new(seed: u64, present: i64) -> Self {
        Engine {
            seed,
            dice: Dice::new(seed),
            keyed_streams: false,
            policy: AssignmentPolicy::Planner,
            load_samples: Vec::new(),
            medians: Medians::get(),
            now: i64::MIN,
            present,
            seq: 0,
            queue: BinaryHeap::new(),
            pools: Pools::default(),
            members: Vec::new(),
            projects: Vec::new(),
            tasks: Vec::new(),
            emitted: Vec::new(),
        }
    }

    /// Makes this a replay: keyed random streams, `policy` for new tasks, and weekly load samples
    /// from `begin` on. Call before [`Engine::run`].
    pub(crate) fn replay(&mut self, policy: AssignmentPolicy, begin: i64) {
        self.keyed_streams = true;
        self.policy = policy;
        let mut at = begin + WEEK;
        while at <= self.present {
            self.at(at, Happening::SampleLoad);
            at += WEEK;
        }
    }

    /// Plays the history to the present.
    pub(crate) fn run(&mut self, plans: Vec<ProjectPlan>) {
        for plan in plans {
            let at = plan.start;
            let project = self.add_project(plan);
            self.at(at, Happening::ProjectStart(project));
        }
        while let Some(Reverse(next)) = self.queue.pop() {
            self.now = next.at;
            self.happen_keyed(next.what);
        }
    }

    fn happen(&mut self, what: Happening) {
        match what {
            Happening::ProjectStart(p) => self.start_project(p),
            Happening::CreateTask(p, left) => self.create_task(p, left),
            Happening::Planning(p) => self.planning(p),
            Happening::Tick(m) => self.tick(m),
            Happening::Look(m) => self.look(m),
            Happening::AnnounceTimeOff(m, i) => self.announce_time_off(m, i),
            Happening::ChangeCapacity(m) => self.change_capacity(m),
            Happening::Todo(t, change) => self.todo_change(t, change),
            Happening::Step(t, step) => self.step(t, step),
            Happening::MilestoneSeal(p, ms) => self.seal_milestone(p, ms),
            Happening::MilestoneDue(p, ms) => self.milestone_due(p, ms),
            Happening::MilestoneComplete(p, ms) => self.complete_milestone(p, ms),
            Happening::Rename(p) => self.rename(p),
            Happening::Hold(p) => self.hold(p),
            Happening::Resume(p) => self.resume(p),
            Happening::Close(p) => self.close(p),
            Happening::SampleLoad => self.sample_load(),
        }
    }

    /// Schedules `what` at `at` (never before now); what would happen after the present doesn't.
    fn at(&mut self, at: i64, what: Happening) {
        let at = at.max(self.now);
        if at > self.present {
            return;
        }
        self.seq += 1;
        self.queue.push(Reverse(Scheduled {
            at,
            seq: self.seq,
            what,
        }));
    }

    /// Schedules `what` in working hours, `hours` from now.
    fn later(&mut self, hours: f64, what: Happening) {
        let at = next_work_time(self.now + (hours * 3600.0) as i64);
        self.at(at, what);
    }

    fn emit(&mut self, actor: Actor, cmd: Cmd) {
        self.emitted.push(Emitted {
            at: self.now,
            actor,
            cmd,
        });
    }

    /// Puts a ready task where it can be picked: its assignee's queue or its project's backlog.
    fn enqueue(&mut self, t: u32) {
        let task = &self.tasks[t as usize];
        if task.queued || task.closed || !task.is_ready() {
            return;
        }
        let key = task.key(t);
        match task.assignee {
            Some(m) => self.members[m as usize].queue.insert(key),
            None => self.projects[task.project as usize].backlog.insert(key),
        };
        self.tasks[t as usize].queued = true;
    }

    /// Takes a task out of its queue or backlog, before its key or assignee changes.
    fn dequeue(&mut self, t: u32) {
        let task = &self.tasks[t as usize];
        if !task.queued {
            return;
        }
        let key = task.key(t);
        match task.assignee {
            Some(m) => self.members[m as usize].queue.remove(&key),
            None => self.projects[task.project as usize].backlog.remove(&key),
        };
        self.tasks[t as usize].queued = false;
    }

    /// A dependency completed for the first time or was cancelled: its dependents may be ready.
    fn dependency_finished(&mut self, t: u32) {
        let dependents = std::mem::take(&mut self.tasks[t as usize].dependents);
        for &d in &dependents {
            let task = &mut self.tasks[d as usize];
            if task.deps.contains(&t) && task.unfinished > 0 {
                task.unfinished -= 1;
                self.became_ready(d);
            }
        }
        self.tasks[t as usize].dependents = dependents;
    }

    fn became_ready(&mut self, t: u32) {
        self.enqueue(t);
        if let Some(m) = self.tasks[t as usize].assignee
            && self.tasks[t as usize].queued
        {
            let hours = self.dice.between(0.2, 2.0);
            self.later(hours, Happening::Look(m));
        }
    }
}
