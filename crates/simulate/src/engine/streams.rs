//! Keyed random streams for the replay: a task's attributes, its planned changes and its luck are
//! drawn from streams of their own, so they do not depend on who drew what before (common random
//! numbers). Every other happening draws from a stream keyed by what it is and when, so that
//! what one member or project draws does not shift what another draws. The default history
//! keeps the one shared stream it was written with.

use super::{Engine, Happening};
use crate::random::Dice;

/// What a keyed stream is for; one stream per task and purpose.
#[derive(Clone, Copy, Debug)]
pub(super) enum Purpose {
    Create,
    Dependencies,
    Assign,
    PlanChanges,
    Run,
    /// A planned change, by its place in the plan.
    Change(u8),
}

impl Purpose {
    fn code(self) -> u64 {
        match self {
            Purpose::Create => 1,
            Purpose::Dependencies => 2,
            Purpose::Assign => 3,
            Purpose::PlanChanges => 4,
            Purpose::Run => 5,
            Purpose::Change(i) => 16 + u64::from(i),
        }
    }
}

/// SplitMix64's finaliser: nearby keys give unrelated seeds.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The seed of the stream of task `ordinal` (1-based) of project `p` for `purpose`. Projects
/// and their tasks' order within a project follow from the plan, not from the play, so the key
/// names the same task under every policy.
pub(super) fn stream_seed(seed: u64, p: u32, ordinal: u32, purpose: Purpose) -> u64 {
    let key = (u64::from(p) << 40) ^ (u64::from(ordinal) << 8) ^ purpose.code();
    mix(seed ^ mix(key))
}

impl Engine {
    /// Runs `f` drawing from the keyed stream of `(p, ordinal, purpose)` in a replay, from the
    /// shared stream otherwise.
    pub(super) fn keyed<R>(
        &mut self,
        p: u32,
        ordinal: u32,
        purpose: Purpose,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        if !self.keyed_streams {
            return f(self);
        }
        let local = Dice::new(stream_seed(self.seed, p, ordinal, purpose));
        let shared = std::mem::replace(&mut self.dice, local);
        let result = f(self);
        self.dice = shared;
        result
    }

    /// Lets `what` happen, in a replay drawing from the stream of `(what, now)`.
    pub(super) fn happen_keyed(&mut self, what: Happening) {
        if !self.keyed_streams {
            return self.happen(what);
        }
        let key = mix(self.happening_key(what) ^ mix(self.now as u64));
        let local = Dice::new(mix(self.seed ^ key));
        let shared = std::mem::replace(&mut self.dice, local);
        self.happen(what);
        self.dice = shared;
    }

    /// Names a happening the same under every policy: tasks by their place in the plan, not by
    /// the order of creation.
    fn happening_key(&self, what: Happening) -> u64 {
        let task = |t: u32| {
            let task = &self.tasks[t as usize];
            (u64::from(task.project) << 20) ^ u64::from(task.ordinal)
        };
        let (kind, a, b): (u64, u64, u64) = match what {
            Happening::ProjectStart(p) => (1, p.into(), 0),
            Happening::CreateTask(p, left) => (2, p.into(), left.into()),
            Happening::Planning(p) => (3, p.into(), 0),
            Happening::Tick(m) => (4, m.into(), 0),
            Happening::Look(m) => (5, m.into(), 0),
            Happening::AnnounceTimeOff(m, i) => (6, m.into(), i.into()),
            Happening::ChangeCapacity(m) => (7, m.into(), 0),
            Happening::Todo(t, change) => (8, task(t), change.index().into()),
            Happening::Step(t, step) => (9, task(t), step.index().into()),
            Happening::MilestoneSeal(p, ms) => (10, p.into(), ms.into()),
            Happening::MilestoneDue(p, ms) => (11, p.into(), ms.into()),
            Happening::MilestoneComplete(p, ms) => (12, p.into(), ms.into()),
            Happening::Rename(p) => (13, p.into(), 0),
            Happening::Hold(p) => (14, p.into(), 0),
            Happening::Resume(p) => (15, p.into(), 0),
            Happening::Close(p) => (16, p.into(), 0),
            Happening::SampleLoad => (17, 0, 0),
        };
        mix(kind << 58 ^ a << 16 ^ b)
    }

    /// [`Engine::keyed`] for an existing task.
    pub(super) fn keyed_task<R>(
        &mut self,
        t: u32,
        purpose: Purpose,
        f: impl FnOnce(&mut Self) -> R,
    ) -> R {
        let task = &self.tasks[t as usize];
        let (p, ordinal) = (task.project, task.ordinal);
        self.keyed(p, ordinal, purpose, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_differ_by_task_and_purpose_and_repeat_by_key() {
        let seeds = [
            stream_seed(7, 0, 1, Purpose::Run),
            stream_seed(7, 0, 2, Purpose::Run),
            stream_seed(7, 1, 1, Purpose::Run),
            stream_seed(7, 0, 1, Purpose::Create),
            stream_seed(8, 0, 1, Purpose::Run),
        ];
        for (i, a) in seeds.iter().enumerate() {
            for b in &seeds[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(seeds[0], stream_seed(7, 0, 1, Purpose::Run));
    }
}
