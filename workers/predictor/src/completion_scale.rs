//! Calibration of the project completion forecast: how much longer the time left to each
//! percentile must be for the percentile to hold.
//!
//! The Monte Carlo knows the open tasks, their durations, dependencies, the members' share of
//! capacity and the scope still to come, but not everything that delays a project (reopened
//! work, waiting, dependencies among tasks not yet created), so its percentiles run early. The
//! remedy is conformal: training backtests the forecast on projects that completed before the
//! test period, and for each percentile q keeps the q-quantile of (actual − as of) / (Pq − as
//! of), the factor that would have made the share of completions by Pq exactly q on those
//! forecasts. A forecast then stretches (or shrinks) the time left to each percentile by its
//! factor. How far off the forecast runs depends on its horizon (a forecast of a few days
//! misses by a larger share than one of months), so the factors are learned per third of the
//! forecasts by their time left to the P50: one factor for all would stretch the long forecasts,
//! where the days are, to mend the short ones.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::backtest::BacktestCase;
use crate::metrics::quantiles;
use crate::monte_carlo::{CompletionForecast, Health, Percentiles};

/// Fewer calibration cases than this in a horizon teach nothing reliable.
pub const MIN_CASES: usize = 30;
/// Horizons with factors of their own, given enough cases.
const HORIZONS: usize = 3;
/// The factors stay within these bounds, whatever the cases say.
const FACTOR_RANGE: (f64, f64) = (0.5, 3.0);

/// Factors on the time left to P50, P85 and P95.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Factors {
    pub p50: f64,
    pub p85: f64,
    pub p95: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletionScale {
    /// Hours to the P50 where each horizon but the first begins, ascending.
    pub horizon_starts_hours: Vec<f64>,
    /// One per horizon: `horizon_starts_hours.len() + 1`.
    pub factors: Vec<Factors>,
}

/// A forecast's ratios of actual to forecast time left, and its hours to the P50.
struct Ratios {
    p50_hours: f64,
    ratios: [f64; 3],
}

impl CompletionScale {
    /// From uncalibrated forecasts (each with its as-of time) and what happened: horizons of
    /// equal numbers of cases, as many (up to three) as have [`MIN_CASES`] each; `None` with
    /// fewer cases whose percentiles lie after their as-of time.
    pub fn learn<'a>(
        cases: impl IntoIterator<Item = (DateTime<Utc>, &'a BacktestCase)>,
    ) -> Option<Self> {
        let mut all = Vec::new();
        for (as_of, case) in cases {
            let left = |p: DateTime<Utc>| (p - as_of).num_milliseconds() as f64 / 3_600_000.0;
            let forecast = [
                left(case.forecast.p50),
                left(case.forecast.p85),
                left(case.forecast.p95),
            ];
            if forecast.iter().any(|&hours| hours <= 0.0) {
                continue;
            }
            let actual = left(case.actual).max(0.0);
            all.push(Ratios {
                p50_hours: forecast[0],
                ratios: forecast.map(|hours| actual / hours),
            });
        }
        let horizons = (all.len() / MIN_CASES).min(HORIZONS);
        if horizons == 0 {
            return None;
        }
        all.sort_by(|a, b| a.p50_hours.total_cmp(&b.p50_hours));
        let size = all.len().div_ceil(horizons);
        let groups: Vec<&[Ratios]> = all.chunks(size).collect();
        Some(Self {
            horizon_starts_hours: groups[1..].iter().map(|g| g[0].p50_hours).collect(),
            factors: groups.iter().map(|group| factors_of(group)).collect(),
        })
    }

    fn factors_for(&self, p50_hours: f64) -> Factors {
        let horizon = self
            .horizon_starts_hours
            .iter()
            .take_while(|&&start| p50_hours >= start)
            .count();
        self.factors.get(horizon).copied().unwrap_or(Factors {
            p50: 1.0,
            p85: 1.0,
            p95: 1.0,
        })
    }

    /// `p` with the time left from `as_of` to each percentile scaled, in order.
    pub fn apply(&self, as_of: DateTime<Utc>, p: Percentiles) -> Percentiles {
        let left = |at: DateTime<Utc>| (at - as_of).num_milliseconds() as f64;
        let factors = self.factors_for(left(p.p50) / 3_600_000.0);
        let scaled = |at: DateTime<Utc>, factor: f64| {
            as_of + Duration::milliseconds((left(at) * factor).round() as i64)
        };
        let p50 = scaled(p.p50, factors.p50);
        let p85 = scaled(p.p85, factors.p85).max(p50);
        let p95 = scaled(p.p95, factors.p95).max(p85);
        Percentiles { p50, p85, p95 }
    }

    /// Each horizon's factors, named by the days to the P50 it covers ("P50 8.5 to 16.3 days
    /// ahead").
    pub fn by_horizon(&self) -> Vec<(String, Factors)> {
        let days = |k: usize| self.horizon_starts_hours.get(k).map(|h| h / 24.0);
        self.factors
            .iter()
            .enumerate()
            .map(|(k, &f)| {
                let horizon = match (k.checked_sub(1).and_then(days), days(k)) {
                    (None, Some(to)) => format!("P50 under {to:.1} days ahead"),
                    (Some(from), Some(to)) => format!("P50 {from:.1} to {to:.1} days ahead"),
                    (Some(from), None) => format!("P50 {from:.1} days ahead and more"),
                    (None, None) => "every horizon".to_owned(),
                };
                (horizon, f)
            })
            .collect()
    }

    /// The project's and each milestone's percentiles scaled, and their health again.
    pub fn apply_to(&self, forecast: &mut CompletionForecast) {
        forecast.completion = self.apply(forecast.as_of, forecast.completion);
        forecast.health = Health::of(&forecast.completion, forecast.deadline);
        for milestone in &mut forecast.milestones {
            milestone.completion = self.apply(forecast.as_of, milestone.completion);
            milestone.health = Health::of(&milestone.completion, milestone.due);
        }
    }
}

/// Each percentile's factor: the quantile of its level of the group's ratios.
fn factors_of(group: &[Ratios]) -> Factors {
    let factor = |k: usize, level: f64| {
        let ratios: Vec<f64> = group.iter().map(|r| r.ratios[k]).collect();
        quantiles(&ratios, &[level])
            .map_or(1.0, |q| q[0])
            .clamp(FACTOR_RANGE.0, FACTOR_RANGE.1)
    };
    Factors {
        p50: factor(0, 0.5),
        p85: factor(1, 0.85),
        p95: factor(2, 0.95),
    }
}

#[cfg(test)]
mod tests;
