//! A thin wrapper over smartcore's random-forest regressor that takes row-major `f64` matrices
//! and translates our depth convention (smartcore counts the root as level 1).

use serde::{Deserialize, Serialize};
use smartcore::ensemble::random_forest_regressor::{
    RandomForestRegressor, RandomForestRegressorParameters,
};
use smartcore::linalg::basic::matrix::DenseMatrix;

type SmartForest = RandomForestRegressor<f64, f64, DenseMatrix<f64>, Vec<f64>>;

/// How a forest is grown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestConfig {
    pub n_trees: usize,
    /// Maximum depth counted as scikit-learn does (root = depth 0).
    pub max_depth: u16,
    pub min_samples_leaf: usize,
    /// How many features each split considers.
    pub features_per_split: SplitFeatures,
    /// Train on at most this many rows (a random subset), which bounds training time.
    pub max_rows: Option<usize>,
    pub seed: u64,
}

impl ForestConfig {
    /// The duration forest: 50 trees of depth 14, in groups on subsets of at most 30,000 rows,
    /// all features per split (about 3 s of one core for 37 features).
    pub fn duration() -> Self {
        Self {
            n_trees: 50,
            max_depth: 14,
            min_samples_leaf: 5,
            features_per_split: SplitFeatures::All,
            max_rows: Some(30_000),
            seed: 17,
        }
    }

    /// The risk forest (a regressor on the 0/1 label): shallower, larger leaves for smoother
    /// probabilities, √p features per split as a classifier would use.
    pub fn risk() -> Self {
        Self {
            n_trees: 50,
            max_depth: 10,
            min_samples_leaf: 20,
            features_per_split: SplitFeatures::Sqrt,
            max_rows: Some(30_000),
            seed: 29,
        }
    }
}

/// The number of features a split considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SplitFeatures {
    /// All of them (scikit-learn's regression default).
    All,
    /// √p, rounded (scikit-learn's classification default).
    Sqrt,
    /// A fixed number, clamped to 1..=p.
    Count(usize),
}

/// A fitted forest and the width of the rows it expects. With more rows than `max_rows`, the
/// trees are grown in groups, each on its own random subset, so that together they see all
/// the rows (as scikit-learn's `max_samples` does per tree) at the cost of one subset.
#[derive(Debug, Serialize, Deserialize)]
pub struct Forest {
    groups: Vec<SmartForest>,
    cols: usize,
}

/// Groups of trees at most: up to one tree per subset, as scikit-learn draws `max_samples` rows
/// for every tree.
const MAX_GROUPS: usize = 64;

impl Forest {
    /// Fits on a row-major `x` (`y.len()` rows, `cols` columns).
    pub fn fit(x: &[f64], cols: usize, y: &[f64], config: &ForestConfig) -> Result<Self, String> {
        let rows = y.len();
        if rows == 0 || cols == 0 || x.len() != rows * cols {
            return Err(format!("forest needs a non-empty {rows}×{cols} matrix"));
        }
        if y.iter().any(|v| !v.is_finite()) {
            return Err("forest targets must be finite".into());
        }
        let groups = match config.max_rows {
            Some(cap) if cap < rows => rows
                .div_ceil(cap)
                .clamp(1, MAX_GROUPS.min(config.n_trees.max(1))),
            _ => 1,
        };
        let mut fitted = Vec::with_capacity(groups);
        for group in 0..groups {
            let trees = config.n_trees.max(1) / groups
                + usize::from(group < config.n_trees.max(1) % groups);
            let seed = config.seed.wrapping_add(group as u64 * 7919);
            let (x, y) = match config.max_rows {
                Some(cap) if cap < rows => subsample(x, cols, y, cap, seed),
                _ => (x.to_vec(), y.to_vec()),
            };
            fitted.push(fit_group(x, cols, &y, config, trees, seed)?);
        }
        Ok(Self {
            groups: fitted,
            cols,
        })
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Predicts every row of a row-major matrix of width [`Forest::cols`].
    pub fn predict(&self, x: &[f64]) -> Vec<f64> {
        let rows = x.len() / self.cols.max(1);
        if rows == 0 {
            return Vec::new();
        }
        let values: Vec<f64> = x[..rows * self.cols]
            .iter()
            .map(|&v| sanitised(v))
            .collect();
        let mut sum = vec![0.0; rows];
        for group in &self.groups {
            // Shapes are checked above and the forest is fitted, so smartcore cannot fail
            // here; a failure would still become NaN rather than a crash.
            let predicted = DenseMatrix::new(rows, self.cols, values.clone(), false)
                .and_then(|m| group.predict(&m))
                .unwrap_or_else(|_| vec![f64::NAN; rows]);
            for (total, p) in sum.iter_mut().zip(predicted) {
                *total += p;
            }
        }
        let groups = self.groups.len().max(1) as f64;
        sum.into_iter().map(|total| total / groups).collect()
    }
}

fn fit_group(
    mut x: Vec<f64>,
    cols: usize,
    y: &[f64],
    config: &ForestConfig,
    trees: usize,
    seed: u64,
) -> Result<SmartForest, String> {
    x.iter_mut().for_each(|v| *v = sanitised(*v));
    let m = match config.features_per_split {
        SplitFeatures::All => cols,
        SplitFeatures::Sqrt => ((cols as f64).sqrt().round() as usize).max(1),
        SplitFeatures::Count(m) => m.clamp(1, cols),
    };
    let params = RandomForestRegressorParameters::default()
        .with_n_trees(trees.max(1))
        .with_max_depth(config.max_depth.saturating_add(1))
        .with_min_samples_leaf(config.min_samples_leaf.max(1))
        .with_min_samples_split(2 * config.min_samples_leaf.max(1))
        .with_m(m)
        .with_seed(seed);
    let n = y.len();
    let matrix = DenseMatrix::new(n, cols, x, false).map_err(|e| e.to_string())?;
    RandomForestRegressor::fit(&matrix, &y.to_vec(), params).map_err(|e| e.to_string())
}

/// Missing (NaN) and infinite values become far-out finite ones, consistently in fitting and
/// prediction: smartcore's sort assumes comparable values, and a tree can still split them off.
fn sanitised(v: f64) -> f64 {
    const FAR: f64 = 1e15;
    if v.is_finite() {
        v
    } else if v == f64::INFINITY {
        FAR
    } else {
        -FAR
    }
}

/// A random subset of `cap` rows (partial Fisher–Yates with a fixed seed), kept in time order.
fn subsample(x: &[f64], cols: usize, y: &[f64], cap: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed_f0e5);
    let mut index: Vec<usize> = (0..y.len()).collect();
    for i in 0..cap {
        let j = rng.random_range(i..index.len());
        index.swap(i, j);
    }
    let mut chosen = index[..cap].to_vec();
    chosen.sort_unstable();
    let mut xs = Vec::with_capacity(cap * cols);
    let mut ys = Vec::with_capacity(cap);
    for i in chosen {
        xs.extend_from_slice(&x[i * cols..(i + 1) * cols]);
        ys.push(y[i]);
    }
    (xs, ys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_step_function() {
        // y = 1 when x0 > 0.5, else 0; x1 is noise.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..200 {
            let a = f64::from(i) / 200.0;
            x.extend_from_slice(&[a, f64::from(i % 7)]);
            y.push(if a > 0.5 { 1.0 } else { 0.0 });
        }
        let config = ForestConfig {
            n_trees: 10,
            max_depth: 3,
            min_samples_leaf: 1,
            features_per_split: SplitFeatures::All,
            max_rows: Some(150),
            seed: 1,
        };
        let forest = Forest::fit(&x, 2, &y, &config).unwrap();
        let p = forest.predict(&[0.1, 3.0, 0.9, 3.0]);
        assert!(p[0] < 0.2 && p[1] > 0.8, "{p:?}");
        assert!(Forest::fit(&[], 2, &[], &config).is_err());

        // missing values are fitted and predicted without trouble
        x[0] = f64::NAN;
        x[3] = f64::INFINITY;
        let forest = Forest::fit(&x, 2, &y, &config).unwrap();
        assert!(
            forest
                .predict(&[f64::NAN, 1.0])
                .iter()
                .all(|p| p.is_finite())
        );
    }
}
