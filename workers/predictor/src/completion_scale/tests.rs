//! Factors learned from hand-made cases.

use super::*;
use chrono::TimeZone;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap()
}

fn at(hours: f64) -> DateTime<Utc> {
    t0() + Duration::milliseconds((hours * 3_600_000.0).round() as i64)
}

fn percentiles(p50: f64, p85: f64, p95: f64) -> Percentiles {
    Percentiles {
        p50: at(p50),
        p85: at(p85),
        p95: at(p95),
    }
}

/// Forecasts of 10 / 20 / 30 hours left, actual completions 1, 2, …, `n` hours after.
fn cases(n: usize) -> Vec<BacktestCase> {
    (1..=n)
        .map(|k| BacktestCase {
            forecast: percentiles(10.0, 20.0, 30.0),
            actual: at(k as f64),
        })
        .collect()
}

#[test]
fn each_factor_is_the_quantile_of_its_level_of_actual_over_forecast_time_left() {
    let cases = cases(40);
    let scale = CompletionScale::learn(cases.iter().map(|c| (t0(), c))).unwrap();
    // 40 cases: one horizon.
    assert!(scale.horizon_starts_hours.is_empty(), "{scale:?}");
    let f = scale.factors[0];
    // Ratios k/10, k = 1..40: the median sits between k = 20 and 21.
    assert!((f.p50 - 2.05).abs() < 1e-9, "{scale:?}");
    // k/20 at position 0.85 × 39 = 33.15: k = 34 and 15% of the way to 35.
    assert!((f.p85 - (34.0 + 0.15) / 20.0).abs() < 1e-9, "{scale:?}");
    // k/30 at position 37.05.
    assert!((f.p95 - (38.0 + 0.05) / 30.0).abs() < 1e-9, "{scale:?}");
    // On the cases learned from, each scaled percentile holds its share.
    let share = |pick: fn(&Percentiles) -> DateTime<Utc>| {
        cases
            .iter()
            .filter(|c| c.actual <= pick(&scale.apply(t0(), c.forecast)))
            .count() as f64
            / cases.len() as f64
    };
    assert_eq!(share(|p| p.p50), 0.5);
    assert_eq!(share(|p| p.p85), 0.85);
    assert_eq!(share(|p| p.p95), 0.95);
}

#[test]
fn each_third_of_the_horizons_has_factors_of_its_own() {
    // 30 forecasts 10 h ahead that took twice as long, 30 of 50 h that were right, 30 of
    // 200 h that took half: one factor for all would be 1.
    let cases: Vec<BacktestCase> = [(10.0, 2.0), (50.0, 1.0), (200.0, 0.5)]
        .iter()
        .flat_map(|&(left, ratio)| {
            (0..30).map(move |_| BacktestCase {
                forecast: percentiles(left, left * 1.5, left * 2.0),
                actual: at(left * ratio),
            })
        })
        .collect();
    let scale = CompletionScale::learn(cases.iter().map(|c| (t0(), c))).unwrap();
    assert_eq!(scale.horizon_starts_hours, vec![50.0, 200.0]);
    let p50s: Vec<f64> = scale.factors.iter().map(|f| f.p50).collect();
    assert_eq!(p50s, vec![2.0, 1.0, 0.5]);
    let named: Vec<(String, f64)> = scale
        .by_horizon()
        .into_iter()
        .map(|(horizon, f)| (horizon, f.p50))
        .collect();
    assert_eq!(
        named,
        vec![
            ("P50 under 2.1 days ahead".to_owned(), 2.0),
            ("P50 2.1 to 8.3 days ahead".to_owned(), 1.0),
            ("P50 8.3 days ahead and more".to_owned(), 0.5),
        ]
    );
    // A forecast takes its horizon's factors by its time left to the P50.
    assert_eq!(
        scale.apply(t0(), percentiles(20.0, 30.0, 40.0)).p50,
        at(40.0)
    );
    assert_eq!(
        scale.apply(t0(), percentiles(60.0, 90.0, 120.0)).p50,
        at(60.0)
    );
    assert_eq!(
        scale.apply(t0(), percentiles(400.0, 500.0, 600.0)).p50,
        at(200.0)
    );
}

#[test]
fn too_few_cases_or_percentiles_not_ahead_teach_nothing() {
    let few = cases(MIN_CASES - 1);
    assert_eq!(CompletionScale::learn(few.iter().map(|c| (t0(), c))), None);
    // As of after the P50: every case is skipped.
    let late = cases(40);
    assert_eq!(
        CompletionScale::learn(late.iter().map(|c| (at(15.0), c))),
        None
    );
}

#[test]
fn factors_stay_within_their_range() {
    let slow: Vec<BacktestCase> = (0..40)
        .map(|_| BacktestCase {
            forecast: percentiles(1.0, 2.0, 3.0),
            actual: at(100.0),
        })
        .collect();
    let scale = CompletionScale::learn(slow.iter().map(|c| (t0(), c))).unwrap();
    let f = scale.factors[0];
    assert_eq!((f.p50, f.p85, f.p95), (3.0, 3.0, 3.0));
}

#[test]
fn scaled_percentiles_keep_their_order_and_the_health_follows() {
    let scale = CompletionScale {
        horizon_starts_hours: Vec::new(),
        factors: vec![Factors {
            p50: 2.0,
            p85: 1.0,
            p95: 1.0,
        }],
    };
    // P50 20 h: past the P85 of 20 h? equal; the P95 stays at 30 h.
    assert_eq!(
        scale.apply(t0(), percentiles(10.0, 15.0, 30.0)),
        percentiles(20.0, 20.0, 30.0)
    );
    let mut forecast = CompletionForecast {
        as_of: t0(),
        deadline: Some(at(18.0)),
        completion: percentiles(10.0, 15.0, 30.0),
        health: Health::OnTrack,
        milestones: vec![crate::monte_carlo::MilestoneForecast {
            milestone: uuid::Uuid::from_u128(7),
            due: Some(at(12.0)),
            completion: percentiles(5.0, 8.0, 9.0),
            health: Health::OnTrack,
        }],
        runs: 100,
    };
    forecast.health = Health::of(&forecast.completion, forecast.deadline);
    assert_eq!(forecast.health, Health::OnTrack);
    scale.apply_to(&mut forecast);
    // P50 20 h is past the deadline of 18 h.
    assert_eq!(forecast.health, Health::OffTrack);
    assert_eq!(
        forecast.milestones[0].completion,
        percentiles(10.0, 10.0, 10.0)
    );
    assert_eq!(forecast.milestones[0].health, Health::OnTrack);
}
