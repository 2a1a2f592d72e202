//! Order statistics: nearest-rank percentiles, the median, the mean.

/// The nearest-rank percentile of ascending `sorted` values: the value at 1-based rank
/// `ceil(p · n / 100)`, i.e. the smallest observed value with at least p% of the values at or
/// below it. Always an observed value, never interpolated. `p` is a whole percent in 1..=100;
/// `None` for no values or a `p` out of range.
pub(crate) fn nearest_rank(sorted: &[f64], p: u32) -> Option<f64> {
    if sorted.is_empty() || !(1..=100).contains(&p) {
        return None;
    }
    // Integer arithmetic: 0.85 · 20 in floats is 17.000000000000004, whose ceiling is 18.
    let n = sorted.len();
    let rank = (p as usize * n).div_ceil(100);
    sorted.get(rank.max(1) - 1).copied()
}

/// The middle value, or the mean of the two middle values for an even count.
pub(crate) fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => sorted.get(n / 2).copied(),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Sorts floats ascending (NaN, which no answer here produces, sorts last).
pub(crate) fn sorted(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_of_ten_values_by_hand() {
        let v: Vec<f64> = (1..=10).map(|i| i as f64 * 10.0).collect(); // 10, 20, ..., 100
        // p50: ceil(5.0) = rank 5 → 50; p85: ceil(8.5) = rank 9 → 90; p95: ceil(9.5) = rank 10 → 100.
        assert_eq!(nearest_rank(&v, 50), Some(50.0));
        assert_eq!(nearest_rank(&v, 85), Some(90.0));
        assert_eq!(nearest_rank(&v, 95), Some(100.0));
        assert_eq!(nearest_rank(&v, 1), Some(10.0));
        assert_eq!(nearest_rank(&v, 100), Some(100.0));
    }

    #[test]
    fn nearest_rank_where_float_products_would_round_up() {
        // 20 values: p85 is rank ceil(17) = 17 exactly, not 18.
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(nearest_rank(&v, 85), Some(17.0));
        assert_eq!(nearest_rank(&v, 95), Some(19.0));
        assert_eq!(nearest_rank(&v, 50), Some(10.0));
    }

    #[test]
    fn nearest_rank_of_few_values() {
        assert_eq!(nearest_rank(&[7.0], 50), Some(7.0));
        assert_eq!(nearest_rank(&[7.0], 95), Some(7.0));
        // Three values: p50 → rank ceil(1.5) = 2; p85 → ceil(2.55) = 3.
        assert_eq!(nearest_rank(&[1.0, 4.0, 9.0], 50), Some(4.0));
        assert_eq!(nearest_rank(&[1.0, 4.0, 9.0], 85), Some(9.0));
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[1.0], 0), None);
        assert_eq!(nearest_rank(&[1.0], 101), None);
    }

    #[test]
    fn median_and_mean_by_hand() {
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
        assert_eq!(median(&[]), None);
        assert_eq!(mean(&[1.0, 2.0, 4.0, 10.0]), Some(4.25));
        assert_eq!(mean(&[]), None);
        assert_eq!(sorted(vec![3.0, 1.0, 2.0]), vec![1.0, 2.0, 3.0]);
    }
}
