//! Running history the features read: overrun statistics, cycle-time windows with a cached p85,
//! and each project's flow (open tasks, recent completions).

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Duration, Utc};
use domain::TaskId;

/// Cycle times a window keeps: the p85 follows the recent past, and recomputing it stays cheap.
pub const CYCLE_WINDOW: usize = 100;
/// Below this many cycle times a window's p85 is not trusted and a prior is used instead.
pub const MIN_CYCLES: usize = 5;
/// The p85 cycle time used when neither the project nor the whole log has enough history.
pub const DEFAULT_CYCLE_P85_HOURS: f64 = 72.0;
/// The throughput window.
pub const THROUGHPUT_WINDOW_DAYS: i64 = 28;
/// How many pseudo-observations of the prior an overrun mean starts with.
pub const OVERRUN_PRIOR_WEIGHT: f64 = 3.0;

/// `ln((hours + 1) / (estimate + 1))`: how much longer than estimated a run took (in working
/// hours), finite even for a zero-hour run.
pub fn log_overrun(hours: f64, estimate_hours: f64) -> f64 {
    ((hours.max(0.0) + 1.0) / (estimate_hours.max(0.0) + 1.0)).ln()
}

/// Signed hours from `from` to `to`.
pub fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_milliseconds() as f64 / 3_600_000.0
}

/// A count and a sum of overruns.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct OverrunStats {
    pub count: u32,
    pub sum: f64,
}

impl OverrunStats {
    pub(crate) fn add(&mut self, overrun: f64) {
        self.count = self.count.saturating_add(1);
        self.sum += overrun;
    }

    /// The mean with `weight` pseudo-observations of `prior`: the prior without history.
    pub fn smoothed(&self, prior: f64, weight: f64) -> f64 {
        (self.sum + weight * prior) / (f64::from(self.count) + weight)
    }
}

/// The last [`CYCLE_WINDOW`] cycle times and their p85, recomputed only when one is added.
#[derive(Clone, Debug, Default)]
pub struct CycleWindow {
    recent: VecDeque<f64>,
    p85: f64,
}

impl CycleWindow {
    pub(crate) fn push(&mut self, hours: f64) {
        if self.recent.len() == CYCLE_WINDOW {
            self.recent.pop_front();
        }
        self.recent.push_back(hours.max(0.0));
        self.p85 = percentile_85(self.recent.iter().copied().collect());
    }

    pub fn len(&self) -> usize {
        self.recent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recent.is_empty()
    }

    /// The p85 of the window, once it holds [`MIN_CYCLES`] cycle times.
    pub fn p85(&self) -> Option<f64> {
        (self.recent.len() >= MIN_CYCLES).then_some(self.p85)
    }
}

/// Nearest rank: the smallest value with at least 85% of the values at or below it.
fn percentile_85(mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let rank = (values.len() * 85).div_ceil(100).max(1);
    let (_, value, _) = values.select_nth_unstable_by(rank - 1, f64::total_cmp);
    *value
}

/// What a project's tasks did so far, beside its plan.
#[derive(Clone, Debug, Default)]
pub struct ProjectFlow {
    /// Tasks neither done nor cancelled.
    pub open_tasks: BTreeSet<TaskId>,
    /// Completion times, sorted; those older than the throughput window are dropped as time
    /// passes.
    completions: VecDeque<DateTime<Utc>>,
    /// Cycle times (start to completion) of the last completed runs.
    pub cycles: CycleWindow,
    pub overrun: OverrunStats,
}

impl ProjectFlow {
    /// Records a completion at `at`; `clock` is the latest business time folded so far.
    pub(crate) fn complete(
        &mut self,
        at: DateTime<Utc>,
        clock: DateTime<Utc>,
        cycle_hours: f64,
        overrun: f64,
    ) {
        let horizon = clock - Duration::days(THROUGHPUT_WINDOW_DAYS);
        while self.completions.front().is_some_and(|t| *t <= horizon) {
            self.completions.pop_front();
        }
        let index = self.completions.partition_point(|t| *t <= at);
        self.completions.insert(index, at);
        self.cycles.push(cycle_hours);
        self.overrun.add(overrun);
    }

    /// Completions in the [`THROUGHPUT_WINDOW_DAYS`] up to `as_of`, per week. Exact for an
    /// `as_of` at or after the latest business time folded.
    pub fn throughput_per_week(&self, as_of: DateTime<Utc>) -> f64 {
        let from = as_of - Duration::days(THROUGHPUT_WINDOW_DAYS);
        let upto = self.completions.partition_point(|t| *t <= as_of);
        let before = self.completions.partition_point(|t| *t <= from);
        let weeks = THROUGHPUT_WINDOW_DAYS as f64 / 7.0;
        upto.saturating_sub(before) as f64 / weeks
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn p85_is_the_nearest_rank() {
        assert_eq!(percentile_85((1..=20).map(f64::from).collect()), 17.0);
        assert_eq!(percentile_85(vec![5.0]), 5.0);
        assert_eq!(percentile_85(vec![]), 0.0);
        let mut window = CycleWindow::default();
        for hours in [10.0, 20.0, 30.0, 40.0] {
            window.push(hours);
        }
        assert_eq!(window.p85(), None, "fewer than {MIN_CYCLES}");
        window.push(50.0);
        assert_eq!(window.p85(), Some(50.0));
    }

    #[test]
    fn the_cycle_window_keeps_the_last_hundred() {
        let mut window = CycleWindow::default();
        for hours in 0..CYCLE_WINDOW + 50 {
            window.push(1000.0 - hours as f64);
        }
        assert_eq!(window.len(), CYCLE_WINDOW);
        // The last 100 pushed are 950 down to 851: rank 85 from the bottom is 935.
        assert_eq!(window.p85(), Some(935.0));
    }

    #[test]
    fn overrun_means_start_at_their_prior() {
        let mut stats = OverrunStats::default();
        assert_eq!(stats.smoothed(0.5, OVERRUN_PRIOR_WEIGHT), 0.5);
        stats.add(1.0);
        assert_eq!(stats.smoothed(0.0, 1.0), 0.5);
        assert_eq!(log_overrun(0.0, 0.0), 0.0);
        assert!((log_overrun(17.0, 8.0) - 2.0f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn throughput_counts_the_window_up_to_as_of() {
        let day = |d: i64| Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::days(d);
        let mut flow = ProjectFlow::default();
        for d in [0, 10, 20, 30] {
            flow.complete(day(d), day(d), 1.0, 0.0);
        }
        // (day 2, day 30]: days 10, 20, 30.
        assert_eq!(flow.throughput_per_week(day(30)), 0.75);
        // (day 8, day 36]: days 10, 20, 30.
        assert_eq!(flow.throughput_per_week(day(36)), 0.75);
        // (day 30, day 58]: none.
        assert_eq!(flow.throughput_per_week(day(58)), 0.0);
    }
}
