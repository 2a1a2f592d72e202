//! Standardisation of feature columns (zero mean, unit variance), fitted on training rows and
//! stored with the linear models; also the training means that the factor explanation uses.

use serde::{Deserialize, Serialize};

/// Column means and standard deviations; a constant column gets scale 0 and maps to 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardiser {
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
}

impl Standardiser {
    /// Fits on a row-major matrix with `cols` columns. Non-finite values are ignored.
    pub fn fit(x: &[f64], cols: usize) -> Self {
        let mut sums = vec![0.0; cols];
        let mut counts = vec![0usize; cols];
        for row in x.chunks_exact(cols) {
            for (j, &v) in row.iter().enumerate() {
                if v.is_finite() {
                    sums[j] += v;
                    counts[j] += 1;
                }
            }
        }
        let means: Vec<f64> = sums
            .iter()
            .zip(&counts)
            .map(|(&s, &c)| if c > 0 { s / c as f64 } else { 0.0 })
            .collect();
        let mut squares = vec![0.0; cols];
        for row in x.chunks_exact(cols) {
            for (j, &v) in row.iter().enumerate() {
                if v.is_finite() {
                    squares[j] += (v - means[j]).powi(2);
                }
            }
        }
        let scales = squares
            .iter()
            .zip(&counts)
            .map(|(&s, &c)| {
                let sd = if c > 1 { (s / c as f64).sqrt() } else { 0.0 };
                // Relative threshold: a column whose spread is rounding noise is constant.
                if sd > 1e-12 { sd } else { 0.0 }
            })
            .collect();
        Self { means, scales }
    }

    pub fn cols(&self) -> usize {
        self.means.len()
    }

    /// Whether column `j` varies in the training data.
    pub fn varies(&self, j: usize) -> bool {
        self.scales[j] > 0.0
    }

    /// The standardised value of `v` in column `j`; missing values and constant columns give 0
    /// (the training mean).
    pub fn scale(&self, j: usize, v: f64) -> f64 {
        if self.scales[j] > 0.0 && v.is_finite() {
            (v - self.means[j]) / self.scales[j]
        } else {
            0.0
        }
    }

    /// Standardises a whole row-major matrix.
    pub fn transform(&self, x: &[f64]) -> Vec<f64> {
        let cols = self.cols();
        let mut out = Vec::with_capacity(x.len());
        for row in x.chunks_exact(cols) {
            out.extend(row.iter().enumerate().map(|(j, &v)| self.scale(j, v)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardises_columns_and_zeroes_constant_ones() {
        // column 0: 1, 3 -> mean 2, sd 1; column 1 constant 5
        let s = Standardiser::fit(&[1.0, 5.0, 3.0, 5.0], 2);
        assert_eq!(s.means, vec![2.0, 5.0]);
        assert_eq!(s.scales, vec![1.0, 0.0]);
        assert_eq!(
            s.transform(&[1.0, 5.0, 4.0, 9.0]),
            vec![-1.0, 0.0, 2.0, 0.0]
        );
        assert!(s.varies(0) && !s.varies(1));
        assert_eq!(s.scale(0, f64::NAN), 0.0);
    }
}
