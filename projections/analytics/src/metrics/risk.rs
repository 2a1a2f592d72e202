//! The distribution of predicted late probabilities over open tasks.

use crate::model::TaskRow;
use crate::view::{RiskBucket, RiskDistribution};

const BUCKETS: usize = 10;

/// Ten buckets of 0.1 over the open tasks that have a risk; values outside 0..=1 are clamped
/// into the first or last bucket. Empty (all zero) until predictions fill `risk`.
pub(crate) fn risk_distribution(tasks: &[TaskRow]) -> RiskDistribution {
    let mut counts = [0u32; BUCKETS];
    let mut total = 0;
    for risk in tasks
        .iter()
        .filter(|t| t.is_open())
        .filter_map(|t| t.risk)
        .filter(|r| !r.is_nan())
    {
        let index = (risk * BUCKETS as f64)
            .floor()
            .clamp(0.0, (BUCKETS - 1) as f64) as usize;
        counts[index] += 1;
        total += 1;
    }
    let buckets = counts
        .iter()
        .enumerate()
        // i / 10 rather than i · 0.1, which gives 0.30000000000000004.
        .map(|(i, count)| RiskBucket {
            from: i as f64 / 10.0,
            to: (i + 1) as f64 / 10.0,
            count: *count,
        })
        .collect();
    RiskDistribution {
        tasks: total,
        buckets,
    }
}

#[cfg(test)]
mod tests {
    use domain::TaskStatus;

    use super::*;
    use crate::metrics::accuracy::tests::task;

    #[test]
    fn risks_fall_in_buckets_of_a_tenth() {
        let with = |id, risk, status| {
            let mut t = task(id, None, 1.0, 0.0, &[]);
            t.risk = risk;
            t.status = status;
            t
        };
        use TaskStatus::*;
        let tasks = [
            with(1, Some(0.0), Todo),
            with(2, Some(0.05), InProgress),
            with(3, Some(0.3), Blocked),
            with(4, Some(1.0), Todo),
            with(5, Some(0.99), Todo),
            with(6, Some(0.5), Done),
            with(7, None, Todo),
        ];
        let got = risk_distribution(&tasks);
        assert_eq!(got.tasks, 5);
        let counts: Vec<u32> = got.buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, vec![2, 0, 0, 1, 0, 0, 0, 0, 0, 2]);
        assert_eq!((got.buckets[3].from, got.buckets[3].to), (0.3, 0.4));
        let empty = risk_distribution(&[]);
        assert_eq!((empty.tasks, empty.buckets.len()), (0, 10));
        assert!(empty.buckets.iter().all(|b| b.count == 0));
    }
}
