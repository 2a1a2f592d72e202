//! Backtest of completion forecasts against what happened: how often the actual completion came
//! at or before each percentile, how wide the forecasts were, and their pinball loss.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::metrics::{median, pinball_loss};
use crate::monte_carlo::Percentiles;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacktestCase {
    pub forecast: Percentiles,
    pub actual: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BacktestReport {
    pub cases: usize,
    /// Share of actual completions at or before the P50 (ideally 0.5), P85, P95.
    pub share_by_p50: f64,
    pub share_by_p85: f64,
    pub share_by_p95: f64,
    /// Median of P95 − P50, in days.
    pub median_width_days: f64,
    /// Pinball loss of each percentile, in days.
    pub pinball_p50_days: f64,
    pub pinball_p85_days: f64,
    pub pinball_p95_days: f64,
}

/// `None` without cases.
pub fn backtest(cases: &[BacktestCase]) -> Option<BacktestReport> {
    if cases.is_empty() {
        return None;
    }
    let days =
        |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).num_milliseconds() as f64 / 86_400_000.0;
    let share = |pick: fn(&Percentiles) -> DateTime<Utc>| {
        let hits = cases
            .iter()
            .filter(|c| c.actual <= pick(&c.forecast))
            .count();
        hits as f64 / cases.len() as f64
    };
    // Measured in days after each case's P50, which keeps the numbers small.
    let actual: Vec<f64> = cases
        .iter()
        .map(|c| days(c.actual, c.forecast.p50))
        .collect();
    let offsets = |pick: fn(&Percentiles) -> DateTime<Utc>| -> Vec<f64> {
        cases
            .iter()
            .map(|c| days(pick(&c.forecast), c.forecast.p50))
            .collect()
    };
    let widths = offsets(|p| p.p95);
    Some(BacktestReport {
        cases: cases.len(),
        share_by_p50: share(|p| p.p50),
        share_by_p85: share(|p| p.p85),
        share_by_p95: share(|p| p.p95),
        median_width_days: median(&widths)?,
        pinball_p50_days: pinball_loss(&actual, &offsets(|p| p.p50), 0.5)?,
        pinball_p85_days: pinball_loss(&actual, &offsets(|p| p.p85), 0.85)?,
        pinball_p95_days: pinball_loss(&actual, &offsets(|p| p.p95), 0.95)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn day(d: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::days(d)
    }

    fn case(p50: i64, p85: i64, p95: i64, actual: i64) -> BacktestCase {
        BacktestCase {
            forecast: Percentiles {
                p50: day(p50),
                p85: day(p85),
                p95: day(p95),
            },
            actual: day(actual),
        }
    }

    #[test]
    fn shares_widths_and_pinball_on_two_cases() {
        // case 1: actual 12 vs 10/14/16 → after P50, by P85 and P95; width 6
        // case 2: actual 25 vs 20/22/24 → after all; width 4
        let report = backtest(&[case(10, 14, 16, 12), case(20, 22, 24, 25)]).unwrap();
        assert_eq!(report.cases, 2);
        assert_eq!(report.share_by_p50, 0.0);
        assert_eq!(report.share_by_p85, 0.5);
        assert_eq!(report.share_by_p95, 0.5);
        assert_eq!(report.median_width_days, 5.0);
        // P50: errors 2 and 5 → 0.5·(2 + 5)/2 = 1.75
        assert!((report.pinball_p50_days - 1.75).abs() < 1e-12);
        // P85: errors −2 (0.15·2 = 0.3) and 3 (0.85·3 = 2.55) → 1.425
        assert!((report.pinball_p85_days - 1.425).abs() < 1e-12);
        // P95: errors −4 (0.05·4 = 0.2) and 1 (0.95) → 0.575
        assert!((report.pinball_p95_days - 0.575).abs() < 1e-12);
        assert_eq!(backtest(&[]), None);
    }
}
