//! The distribution of log-space duration residuals (`log1p(actual) - log1p(predicted)`) measured
//! on a held-out calibration slice (split-conformal): it gives every model its p90, its
//! Monte Carlo samples and the late probability of the baseline risk model.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::metrics::quantile_sorted;

/// Number of intervals of the stored quantile table (levels 0, 1/200, ..., 1).
const TABLE_INTERVALS: usize = 200;
/// Below this many calibration residuals the table is too coarse: use the default spread.
pub const MIN_RESIDUALS: usize = 30;
/// Log-space spread assumed before any training (a log-normal with this sigma).
pub const DEFAULT_SIGMA: f64 = 0.5;

/// Quantile table of log-space residuals plus the conformal 90% upper offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidualDistribution {
    /// Residual quantiles at levels `i / 200`, ascending.
    pub table: Vec<f64>,
    /// Offset added to `log1p(p50)` to get the p90: the `ceil((n + 1) * 0.9)`-th smallest residual.
    pub p90_offset: f64,
    /// Number of residuals measured; 0 for the default distribution.
    pub count: usize,
}

impl ResidualDistribution {
    /// Log-normal residuals with the given sigma (what an untrained installation assumes).
    pub fn log_normal(sigma: f64) -> Self {
        // The extreme levels would be infinite; stop at 1 in 2,000 on each side.
        let table = (0..=TABLE_INTERVALS)
            .map(|i| {
                let level = (i as f64 / TABLE_INTERVALS as f64).clamp(0.0005, 0.9995);
                sigma * inverse_normal_cdf(level)
            })
            .collect();
        Self {
            table,
            p90_offset: sigma * inverse_normal_cdf(0.9),
            count: 0,
        }
    }

    /// The default spread, [`DEFAULT_SIGMA`].
    pub fn default_spread() -> Self {
        Self::log_normal(DEFAULT_SIGMA)
    }

    /// Empirical distribution of `residuals`; the default spread when there are fewer than
    /// [`MIN_RESIDUALS`] finite ones.
    pub fn from_residuals(residuals: &[f64]) -> Self {
        let mut sorted: Vec<f64> = residuals
            .iter()
            .copied()
            .filter(|r| r.is_finite())
            .collect();
        if sorted.len() < MIN_RESIDUALS {
            return Self::default_spread();
        }
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let table = (0..=TABLE_INTERVALS)
            .filter_map(|i| quantile_sorted(&sorted, i as f64 / TABLE_INTERVALS as f64))
            .collect();
        // Split-conformal: with n calibration residuals, the ceil((n+1)·0.9)-th smallest gives
        // at least 90% coverage for an exchangeable new point.
        let rank = ((n as f64 + 1.0) * 0.9).ceil() as usize;
        let p90_offset = sorted[rank.clamp(1, n) - 1];
        Self {
            table,
            p90_offset,
            count: n,
        }
    }

    /// The residual at probability level `u` in [0, 1], interpolated in the table.
    pub fn quantile(&self, u: f64) -> f64 {
        quantile_sorted(&self.table, u).unwrap_or(0.0)
    }

    /// P(residual <= r), interpolated in the table.
    pub fn cdf(&self, r: f64) -> f64 {
        let table = &self.table;
        let (Some(&first), Some(&last)) = (table.first(), table.last()) else {
            return 0.5;
        };
        if r < first {
            return 0.0;
        }
        if r >= last {
            return 1.0;
        }
        // First index whose value exceeds r; r lies in [table[i-1], table[i]).
        let i = table.partition_point(|&v| v <= r);
        let (lo, hi) = (table[i - 1], table[i]);
        let within = if hi > lo { (r - lo) / (hi - lo) } else { 0.0 };
        ((i - 1) as f64 + within) / (table.len() - 1) as f64
    }

    /// One residual drawn from the distribution (inverse-CDF sampling).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        self.quantile(rng.random::<f64>())
    }
}

/// Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn inverse_normal_matches_known_values() {
        assert!((inverse_normal_cdf(0.5)).abs() < 1e-9);
        assert!((inverse_normal_cdf(0.975) - 1.959_963_985).abs() < 1e-6);
        assert!((inverse_normal_cdf(0.9) - 1.281_551_566).abs() < 1e-6);
        assert!((inverse_normal_cdf(0.01) + 2.326_347_874).abs() < 1e-6);
    }

    #[test]
    fn conformal_offset_is_the_right_order_statistic() {
        // 1..=99: ceil(100 * 0.9) = 90th smallest = 90
        let residuals: Vec<f64> = (1..=99).map(f64::from).collect();
        let d = ResidualDistribution::from_residuals(&residuals);
        assert_eq!(d.p90_offset, 90.0);
        assert_eq!(d.count, 99);
        assert_eq!(d.quantile(0.0), 1.0);
        assert_eq!(d.quantile(1.0), 99.0);
        assert!((d.quantile(0.5) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn cdf_inverts_quantile() {
        let residuals: Vec<f64> = (0..500).map(|i| (f64::from(i) * 0.37).sin()).collect();
        let d = ResidualDistribution::from_residuals(&residuals);
        for u in [0.1, 0.25, 0.5, 0.8, 0.95] {
            assert!((d.cdf(d.quantile(u)) - u).abs() < 0.01, "u = {u}");
        }
        assert_eq!(d.cdf(-10.0), 0.0);
        assert_eq!(d.cdf(10.0), 1.0);
    }

    #[test]
    fn too_few_residuals_fall_back_to_the_default_spread() {
        let d = ResidualDistribution::from_residuals(&[0.1, 0.2]);
        assert_eq!(d, ResidualDistribution::default_spread());
        assert!((d.p90_offset - 0.5 * 1.281_551_566).abs() < 1e-6);
        assert!(d.quantile(0.5).abs() < 1e-9);
    }

    #[test]
    fn samples_follow_the_table() {
        let d = ResidualDistribution::default_spread();
        let mut rng = StdRng::seed_from_u64(7);
        let draws: Vec<f64> = (0..20_000).map(|_| d.sample(&mut rng)).collect();
        let below = draws.iter().filter(|&&r| r <= d.p90_offset).count() as f64;
        assert!((below / 20_000.0 - 0.9).abs() < 0.01);
    }
}
