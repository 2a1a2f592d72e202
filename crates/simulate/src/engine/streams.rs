//! Keyed random streams for the replay: a task's attributes, its planned changes and its luck are
//! drawn from streams of their own, so they do not depend on who drew what before (common random
//! numbers). The default history keeps the one shared stream it was written with.

use super::Engine;
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
