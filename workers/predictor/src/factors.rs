//! Main factors of a late-risk prediction: for each feature, how much the risk drops when that
//! feature is set to its training mean. One batch of `1 + p` rows, so a forest walks its trees
//! once per row and a whole explanation stays well under a millisecond.

use serde::{Deserialize, Serialize};

/// A feature and how much it raises the late probability (probability points, 0–1 scale).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    pub name: String,
    pub contribution: f64,
}

/// `x` followed by one copy of `x` per feature with that feature set to its mean.
pub fn batch_with_means(x: &[f64], means: &[f64]) -> Vec<f64> {
    let cols = x.len();
    let mut batch = Vec::with_capacity(cols * (cols + 1));
    batch.extend_from_slice(x);
    for (j, &mean) in means.iter().enumerate().take(cols) {
        let start = batch.len();
        batch.extend_from_slice(x);
        batch[start + j] = mean;
    }
    batch
}

/// The `k` features that push the risk up most: `risks[0]` is the prediction for `x`,
/// `risks[1 + j]` the one with feature `j` at its mean. Only positive contributions count.
pub fn top_factors(names: &[String], risks: &[f64], k: usize) -> Vec<Factor> {
    let Some((&risk, replaced)) = risks.split_first() else {
        return Vec::new();
    };
    let mut factors: Vec<Factor> = names
        .iter()
        .zip(replaced)
        .map(|(name, &without)| Factor {
            name: name.clone(),
            contribution: risk - without,
        })
        .filter(|f| f.contribution > 1e-9)
        .collect();
    factors.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    factors.truncate(k);
    factors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_replaces_one_feature_per_row() {
        let batch = batch_with_means(&[1.0, 2.0], &[10.0, 20.0]);
        assert_eq!(batch, vec![1.0, 2.0, 10.0, 2.0, 1.0, 20.0]);
    }

    #[test]
    fn keeps_the_largest_positive_contributions_in_order() {
        let names: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        // risk 0.6; without a: 0.5 (+0.1), b: 0.7 (−0.1), c: 0.3 (+0.3), d: 0.58 (+0.02), e: 0.6
        let risks = [0.6, 0.5, 0.7, 0.3, 0.58, 0.6];
        let top = top_factors(&names, &risks, 3);
        let got: Vec<(&str, f64)> = top
            .iter()
            .map(|f| (f.name.as_str(), (f.contribution * 100.0).round() / 100.0))
            .collect();
        assert_eq!(got, vec![("c", 0.3), ("a", 0.1), ("d", 0.02)]);
    }
}
