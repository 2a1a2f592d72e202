//! The elapsed-duration model: how long a task takes from its start to its completion, and the
//! true median of that time given what the simulator knows when the task starts.
//!
//! On the member's own clock (working hours only, standing still during their time off), a
//! task's run takes `W = A·N + X` hours, where
//! - `A = effort × (1 + 0.35·k) × 50 / capacity` is the base: `effort = estimate × speed ×
//!   difficulty(label) × 1.4 if the member lacks a required skill × the project's estimation
//!   bias` work hours, `k` the member's other tasks in progress or blocked at the start,
//!   `capacity` the member's hours per week then, 50 the working hours of a week;
//! - `N` is log-normal noise with median 1 and log-sd [`NOISE_SIGMA`];
//! - `X` is the bad luck: a block (probability by label) of log-normal length (median 16 h), plus
//!   a reopening (probability by label) whose gap and rework take log-normal `4 + 0.3·A` hours.
//!
//! The median of `W` has no closed form; [`Medians`] solves `P(W ≤ m) = ½` numerically
//! (Gauss–Hermite over the block and rework lengths, bisection on `m`) on a grid of `A` per label.

use std::sync::OnceLock;

use crate::clock::WORKING_HOURS_PER_WEEK;
use crate::random::Dice;

/// Log-sd of the multiplicative noise on a task's run.
pub(crate) const NOISE_SIGMA: f64 = 0.35;
/// Effort multiplier when the member lacks one of the task's skills.
pub(crate) const SKILL_MISMATCH: f64 = 1.4;
/// Each other task in progress at the start makes this one that much slower.
pub(crate) const PARALLEL_SLOWDOWN: f64 = 0.35;
const BLOCK_MEDIAN_HOURS: f64 = 16.0;
const BLOCK_SIGMA: f64 = 0.8;
const REWORK_SIGMA: f64 = 0.5;

/// The kind of work, with its hidden difficulty and its odds of being blocked or reopened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Label {
    Feature,
    Bug,
    Chore,
    Research,
    Docs,
    Refactor,
}

impl Label {
    pub(crate) const ALL: [Label; 6] = [
        Label::Feature,
        Label::Bug,
        Label::Chore,
        Label::Research,
        Label::Docs,
        Label::Refactor,
    ];
    /// How often each label is drawn, in the order of [`Label::ALL`].
    pub(crate) const SHARES: [f64; 6] = [0.40, 0.25, 0.14, 0.07, 0.06, 0.08];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Label::Feature => "feature",
            Label::Bug => "bug",
            Label::Chore => "chore",
            Label::Research => "research",
            Label::Docs => "docs",
            Label::Refactor => "refactor",
        }
    }

    /// Hidden: how much more effort than estimated this kind of work takes.
    pub(crate) fn difficulty(self) -> f64 {
        match self {
            Label::Feature => 1.0,
            Label::Bug => 1.25,
            Label::Chore => 0.8,
            Label::Research => 1.6,
            Label::Docs => 0.7,
            Label::Refactor => 1.15,
        }
    }

    fn block_chance(self) -> f64 {
        match self {
            Label::Feature | Label::Refactor => 0.12,
            Label::Bug => 0.14,
            Label::Chore => 0.07,
            Label::Research => 0.2,
            Label::Docs => 0.06,
        }
    }

    fn reopen_chance(self) -> f64 {
        match self {
            Label::Feature => 0.05,
            Label::Bug => 0.10,
            Label::Chore | Label::Research | Label::Docs => 0.03,
            Label::Refactor => 0.06,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// `A`: the median run, before bad luck, in hours on the member's clock.
pub(crate) fn base_hours(effort: f64, others_in_progress: u32, capacity: f64) -> f64 {
    effort * (1.0 + PARALLEL_SLOWDOWN * f64::from(others_in_progress)) * WORKING_HOURS_PER_WEEK
        / capacity
}

/// The luck of one run, drawn when it starts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Luck {
    /// The noise `N`.
    pub(crate) noise: f64,
    /// Hours blocked, when blocked.
    pub(crate) blocked: Option<f64>,
    /// Hours from the first completion to the last, when reopened.
    pub(crate) rework: Option<f64>,
}

impl Luck {
    pub(crate) fn draw(dice: &mut Dice, label: Label, base: f64) -> Luck {
        let noise = (NOISE_SIGMA * dice.normal()).exp();
        let blocked = dice
            .chance(label.block_chance())
            .then(|| dice.log_normal(BLOCK_MEDIAN_HOURS, BLOCK_SIGMA));
        let rework = dice
            .chance(label.reopen_chance())
            .then(|| dice.log_normal(rework_median(base), REWORK_SIGMA));
        Luck {
            noise,
            blocked,
            rework,
        }
    }

    /// `W`, the whole run on the member's clock.
    #[cfg(test)]
    pub(crate) fn total_hours(&self, base: f64) -> f64 {
        base * self.noise + self.blocked.unwrap_or(0.0) + self.rework.unwrap_or(0.0)
    }
}

fn rework_median(base: f64) -> f64 {
    4.0 + 0.3 * base
}

/// The median of `W` per label, tabulated over `ln A` and interpolated.
pub(crate) struct Medians {
    ratios: Vec<[f64; GRID]>,
}

const GRID: usize = 96;
const LN_BASE_MIN: f64 = -3.0;
const LN_BASE_MAX: f64 = 12.5;

impl Medians {
    /// Computed once per process: a few million normal CDFs.
    pub(crate) fn get() -> &'static Medians {
        static TABLE: OnceLock<Medians> = OnceLock::new();
        TABLE.get_or_init(|| Medians {
            ratios: Label::ALL
                .iter()
                .map(|&label| {
                    std::array::from_fn(|i| {
                        let base = grid_point(i).exp();
                        exact_median(label, base) / base
                    })
                })
                .collect(),
        })
    }

    /// The median of `W` for a run of base `A` hours.
    pub(crate) fn median(&self, label: Label, base: f64) -> f64 {
        let step = (LN_BASE_MAX - LN_BASE_MIN) / (GRID - 1) as f64;
        let x = ((base.ln() - LN_BASE_MIN) / step).clamp(0.0, (GRID - 1) as f64);
        let i = (x.floor() as usize).min(GRID - 2);
        let frac = x - i as f64;
        let row = &self.ratios[label.index()];
        base * (row[i] * (1.0 - frac) + row[i + 1] * frac)
    }
}

fn grid_point(i: usize) -> f64 {
    LN_BASE_MIN + (LN_BASE_MAX - LN_BASE_MIN) * i as f64 / (GRID - 1) as f64
}

/// Solves `P(W ≤ m) = ½` by bisection on `ln m`; `m ≥ A` because `X ≥ 0`.
pub(crate) fn exact_median(label: Label, base: f64) -> f64 {
    let mut low = base.ln();
    let mut high = (4.0 * base + 2_000.0).ln();
    while cdf(label, base, high.exp()) < 0.5 {
        high += 1.0;
    }
    for _ in 0..40 {
        let mid = 0.5 * (low + high);
        if cdf(label, base, mid.exp()) < 0.5 {
            low = mid;
        } else {
            high = mid;
        }
    }
    (0.5 * (low + high)).exp()
}

/// `P(W ≤ w)`, mixing over whether the run is blocked and whether it is reopened.
fn cdf(label: Label, base: f64, w: f64) -> f64 {
    let ln_base = base.ln();
    let run = |x: f64| {
        if x <= 0.0 {
            0.0
        } else {
            normal_cdf((x.ln() - ln_base) / NOISE_SIGMA)
        }
    };
    let (pb, pr) = (label.block_chance(), label.reopen_chance());
    let blocks = nodes(BLOCK_MEDIAN_HOURS, BLOCK_SIGMA);
    let reworks = nodes(rework_median(base), REWORK_SIGMA);
    let mut blocked = 0.0;
    let mut both = 0.0;
    for (b, wb) in blocks {
        blocked += wb * run(w - b);
        for (r, wr) in reworks {
            both += wb * wr * run(w - b - r);
        }
    }
    let reopened: f64 = reworks.iter().map(|(r, wr)| wr * run(w - r)).sum();
    (1.0 - pb) * (1.0 - pr) * run(w)
        + pb * (1.0 - pr) * blocked
        + (1.0 - pb) * pr * reopened
        + pb * pr * both
}

/// Ten-point Gauss–Hermite nodes (physicists' form) and weights.
const HERMITE: [(f64, f64); 5] = [
    (0.342_901_327_223_704_6, 0.610_862_633_735_325_8),
    (1.036_610_829_789_514, 0.240_138_611_082_314_7),
    (1.756_683_649_299_882, 0.033_874_394_455_481_06),
    (2.532_731_674_232_79, 0.001_343_645_746_781_233),
    (3.436_159_118_837_738, 7.640_432_855_232_62e-6),
];

/// Points and weights (summing to 1) for the expectation over a log-normal.
fn nodes(median: f64, sigma: f64) -> [(f64, f64); 10] {
    let scale = std::f64::consts::SQRT_2 * sigma;
    let norm = std::f64::consts::PI.sqrt();
    std::array::from_fn(|i| {
        let (x, w) = HERMITE[i % 5];
        let x = if i < 5 { x } else { -x };
        (median * (scale * x).exp(), w / norm)
    })
}

/// The standard normal CDF, through `erfc` (Numerical Recipes' Chebyshev fit, error < 1.2e-7).
pub(crate) fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hermite_rule_integrates_normal_moments() {
        let points = nodes(1.0, 1.0);
        let moment = |k: i32| -> f64 { points.iter().map(|(x, w)| w * x.ln().powi(k)).sum() };
        assert!((moment(0) - 1.0).abs() < 1e-9);
        assert!((moment(2) - 1.0).abs() < 1e-9);
        assert!((moment(4) - 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_normal_cdf_is_accurate() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    }

    #[test]
    fn the_table_interpolates_the_exact_median() {
        let medians = Medians::get();
        for label in Label::ALL {
            for base in [0.3, 0.8, 2.5, 6.0, 30.0, 150.0, 900.0, 20_000.0] {
                let (median, exact) = (medians.median(label, base), exact_median(label, base));
                assert!((median / exact - 1.0).abs() < 1e-4, "{label:?} {base}");
                assert!(median > base, "bad luck only adds time");
            }
        }
    }

    #[test]
    fn half_the_drawn_runs_end_before_the_median() {
        let mut dice = Dice::new(11);
        let medians = Medians::get();
        let cases = [
            (Label::Feature, 0.8),
            (Label::Bug, 6.0),
            (Label::Research, 30.0),
            (Label::Chore, 150.0),
            (Label::Refactor, 900.0),
        ];
        for (label, base) in cases {
            let median = medians.median(label, base);
            let draws = 100_000;
            let below = (0..draws)
                .filter(|_| Luck::draw(&mut dice, label, base).total_hours(base) <= median)
                .count();
            let share = below as f64 / f64::from(draws);
            // The standard error is 0.0016: this is about five of them.
            assert!((share - 0.5).abs() < 0.008, "{label:?} {base}: {share}");
        }
    }
}
