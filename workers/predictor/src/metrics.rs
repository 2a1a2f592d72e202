//! Error and calibration metrics for durations (hours) and late-risk probabilities, plus sample
//! quantiles. Every function takes plain slices so tests can check them on hand-computed cases.

/// Mean absolute error; `None` when the inputs are empty or differ in length.
pub fn mae(actual: &[f64], predicted: &[f64]) -> Option<f64> {
    mean_of_pairs(actual, predicted, |y, p| (y - p).abs())
}

/// Root mean squared error; `None` when the inputs are empty or differ in length.
pub fn rmse(actual: &[f64], predicted: &[f64]) -> Option<f64> {
    mean_of_pairs(actual, predicted, |y, p| (y - p).powi(2)).map(f64::sqrt)
}

/// Share of observations at or below their upper bound (e.g. the p90 of a forecast).
pub fn coverage(actual: &[f64], upper: &[f64]) -> Option<f64> {
    mean_of_pairs(actual, upper, |y, u| if y <= u { 1.0 } else { 0.0 })
}

/// Mean pinball (quantile) loss of `predicted` as the `q` quantile of `actual`.
pub fn pinball_loss(actual: &[f64], predicted: &[f64], q: f64) -> Option<f64> {
    mean_of_pairs(actual, predicted, |y, p| {
        let d = y - p;
        if d >= 0.0 { q * d } else { (q - 1.0) * d }
    })
}

/// Area under the ROC curve from ranks (Mann–Whitney U); tied scores share their average rank.
/// `None` unless both classes are present.
pub fn roc_auc(labels: &[bool], scores: &[f64]) -> Option<f64> {
    if labels.len() != scores.len() {
        return None;
    }
    let positives = labels.iter().filter(|l| **l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    let mut positive_rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && scores[order[end]] == scores[order[start]] {
            end += 1;
        }
        // Ranks are 1-based: the tied block start..end shares the mean of start+1 ..= end.
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let tied_positives = order[start..end].iter().filter(|&&i| labels[i]).count();
        positive_rank_sum += average_rank * tied_positives as f64;
        start = end;
    }
    let p = positives as f64;
    Some((positive_rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

/// Brier score: mean squared difference between probability and outcome.
pub fn brier_score(labels: &[bool], probabilities: &[f64]) -> Option<f64> {
    let outcomes: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
    mean_of_pairs(&outcomes, probabilities, |y, p| (p - y).powi(2))
}

/// Mean negative log-likelihood; probabilities are clipped to [1e-15, 1 - 1e-15].
pub fn log_loss(labels: &[bool], probabilities: &[f64]) -> Option<f64> {
    const EPS: f64 = 1e-15;
    let outcomes: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
    mean_of_pairs(&outcomes, probabilities, |y, p| {
        let p = p.clamp(EPS, 1.0 - EPS);
        -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
    })
}

/// The `q` quantile of an unsorted sample, interpolating linearly between order statistics
/// (the default of NumPy and R type 7). `None` for an empty sample.
pub fn quantile(sample: &[f64], q: f64) -> Option<f64> {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile_sorted(&sorted, q)
}

/// Like [`quantile`] for a sample that is already sorted ascending.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = position.floor() as usize;
    let above = (below + 1).min(last);
    let weight = position - below as f64;
    Some(sorted[below] + (sorted[above] - sorted[below]) * weight)
}

/// Several quantiles of one sample, sorting it once.
pub fn quantiles(sample: &[f64], levels: &[f64]) -> Option<Vec<f64>> {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    levels
        .iter()
        .map(|&q| quantile_sorted(&sorted, q))
        .collect()
}

/// The median of a sample.
pub fn median(sample: &[f64]) -> Option<f64> {
    quantile(sample, 0.5)
}

fn mean_of_pairs(a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) -> Option<f64> {
    if a.is_empty() || a.len() != b.len() {
        return None;
    }
    let total: f64 = a.iter().zip(b).map(|(&x, &y)| f(x, y)).sum();
    Some(total / a.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn mae_and_rmse_on_three_points() {
        // errors -1, 0, -2
        let y = [1.0, 2.0, 3.0];
        let p = [2.0, 2.0, 5.0];
        assert!(close(mae(&y, &p).unwrap(), 1.0));
        assert!(close(rmse(&y, &p).unwrap(), (5.0_f64 / 3.0).sqrt()));
    }

    #[test]
    fn empty_or_mismatched_inputs_have_no_metric() {
        assert_eq!(mae(&[], &[]), None);
        assert_eq!(rmse(&[1.0], &[1.0, 2.0]), None);
        assert_eq!(roc_auc(&[true, true], &[0.1, 0.2]), None);
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn coverage_counts_values_at_or_below_the_bound() {
        // 1<=2 yes, 5<=4 no, 3<=3 yes, 10<=11 yes
        let got = coverage(&[1.0, 5.0, 3.0, 10.0], &[2.0, 4.0, 3.0, 11.0]).unwrap();
        assert!(close(got, 0.75));
    }

    #[test]
    fn auc_averages_tied_scores() {
        // positive pairs: 0.9>0.1, 0.9>0.4, 0.4>0.1, 0.4=0.4 (half) -> 3.5 / 4
        let labels = [true, false, true, false];
        let scores = [0.9, 0.1, 0.4, 0.4];
        assert!(close(roc_auc(&labels, &scores).unwrap(), 0.875));
    }

    #[test]
    fn auc_is_one_when_perfect_and_zero_when_reversed() {
        let labels = [false, false, true, true];
        assert!(close(roc_auc(&labels, &[0.1, 0.2, 0.3, 0.4]).unwrap(), 1.0));
        assert!(close(roc_auc(&labels, &[0.4, 0.3, 0.2, 0.1]).unwrap(), 0.0));
        assert!(close(roc_auc(&labels, &[0.5; 4]).unwrap(), 0.5));
    }

    #[test]
    fn brier_and_log_loss_on_two_points() {
        let labels = [true, false];
        let p = [0.8, 0.3];
        // (0.2² + 0.3²) / 2
        assert!(close(brier_score(&labels, &p).unwrap(), 0.065));
        // -(ln 0.8 + ln 0.7) / 2
        let expected = -(0.8_f64.ln() + 0.7_f64.ln()) / 2.0;
        assert!(close(log_loss(&labels, &p).unwrap(), expected));
        assert!((expected - 0.289_909_25).abs() < 1e-8);
    }

    #[test]
    fn log_loss_stays_finite_for_certain_wrong_answers() {
        let loss = log_loss(&[true], &[0.0]).unwrap();
        assert!(loss.is_finite() && loss > 30.0);
    }

    #[test]
    fn pinball_loss_weights_under_and_over_prediction() {
        // y - p = 2 -> 0.9 * 2 = 1.8; y - p = -2 -> 0.1 * 2 = 0.2; mean 1.0
        let got = pinball_loss(&[10.0, 5.0], &[8.0, 7.0], 0.9).unwrap();
        assert!(close(got, 1.0));
        // at q = 0.5 the pinball loss is half the absolute error
        assert!(close(
            pinball_loss(&[10.0, 5.0], &[8.0, 7.0], 0.5).unwrap(),
            1.0
        ));
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let sample = [4.0, 1.0, 3.0, 2.0];
        assert!(close(quantile(&sample, 0.5).unwrap(), 2.5));
        // position 0.9 * 3 = 2.7 -> 3 + 0.7 * (4 - 3)
        assert!(close(quantile(&sample, 0.9).unwrap(), 3.7));
        assert!(close(quantile(&sample, 0.0).unwrap(), 1.0));
        assert!(close(quantile(&sample, 1.0).unwrap(), 4.0));
        assert!(close(median(&[7.0]).unwrap(), 7.0));
        assert_eq!(quantiles(&sample, &[0.0, 1.0]).unwrap(), vec![1.0, 4.0]);
    }
}
