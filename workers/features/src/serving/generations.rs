//! The log-wide statistics a completion moves without naming the rows that read them (the
//! overrun of every run, the cycle times of every project, each label's overrun), kept as they
//! were before each completion of a batch, so that a row can be computed after the batch as of
//! an earlier event.
//!
//! A batch's completions cut it into generations: generation `g` lies between its `g`-th and
//! `g + 1`-th completion. Every other input of a row is noted when it changes, so a row computed
//! at the end of the batch, with the statistics set back to its generation, is the row as it
//! stood right after the last event that changed it.

use crate::FeatureState;
use crate::history::{CycleWindow, OverrunStats};

/// The statistics just before one completion: what generation `g` saw, for the completion that
/// starts generation `g + 1`.
#[derive(Debug)]
struct Before {
    overrun: OverrunStats,
    cycles: CycleWindow,
    /// The completed task's labels, with their statistics (`None`: the label had none yet).
    labels: Vec<(String, Option<OverrunStats>)>,
}

/// One entry per completion since the last batch ended.
#[derive(Debug, Default)]
pub(super) struct Generations {
    before: Vec<Before>,
}

impl Generations {
    /// The generation the state is in now.
    pub fn current(&self) -> usize {
        self.before.len()
    }

    /// Notes the statistics a completion of a task with `labels` is about to move.
    pub fn completing(&mut self, state: &FeatureState, labels: &[String]) {
        self.before.push(Before {
            overrun: state.overrun,
            cycles: state.cycles.clone(),
            labels: labels
                .iter()
                .map(|label| (label.clone(), state.labels.get(label).copied()))
                .collect(),
        });
    }

    pub fn clear(&mut self) {
        self.before.clear();
    }

    /// Calls `compute(state, g)` for every generation from the current one down to 0, with the
    /// statistics set back to generation `g`, then puts them back as they are now.
    pub fn each_newest_first(
        &mut self,
        state: &mut FeatureState,
        mut compute: impl FnMut(&FeatureState, usize),
    ) {
        let now = Before {
            overrun: state.overrun,
            cycles: state.cycles.clone(),
            labels: self
                .before
                .iter()
                .flat_map(|before| before.labels.iter())
                .map(|(label, _)| (label.clone(), state.labels.get(label).copied()))
                .collect(),
        };
        compute(state, self.current());
        for (generation, before) in self.before.iter().enumerate().rev() {
            set(state, before);
            compute(state, generation);
        }
        set(state, &now);
        self.clear();
    }
}

fn set(state: &mut FeatureState, to: &Before) {
    state.overrun = to.overrun;
    state.cycles = to.cycles.clone();
    for (label, stats) in &to.labels {
        match stats {
            Some(stats) => {
                state.labels.insert(label.clone(), *stats);
            }
            None => {
                state.labels.remove(label);
            }
        }
    }
}
