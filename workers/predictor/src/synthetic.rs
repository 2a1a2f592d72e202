//! A synthetic task table with a known data-generating formula, for tests and benchmarks of the
//! models (and of the `bench` role) without a replayed log.
//!
//! ```text
//! log(duration) = log(estimate) + 0.9·assignee_log_overrun + 0.7·label_log_ratio
//!               + 0.25·[priority = 3] + 0.03·assignee_open_tasks − 0.15 + noise(σ = 0.35)
//! ```
//!
//! so the baseline (estimate × exp(assignee ratio)) misses the label, priority and workload
//! effects.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::dataset::Dataset;

/// Columns with a meaning; further columns are noise.
const NAMED: [&str; 7] = [
    "estimate_hours",
    "assignee_log_overrun",
    "label_log_ratio",
    "has_due_date",
    "days_to_due",
    "priority",
    "assignee_open_tasks",
];

/// `rows` completed tasks with `cols` features (at least 7), one per hour of `time`.
pub fn task_table(rows: usize, cols: usize, seed: u64) -> Dataset {
    let cols = cols.max(NAMED.len());
    let mut names: Vec<String> = NAMED.iter().map(|n| (*n).to_owned()).collect();
    names.extend((NAMED.len()..cols).map(|j| format!("noise_{j}")));
    let mut rng = StdRng::seed_from_u64(seed);
    let mut data = Dataset {
        names,
        schema_hash: format!("synthetic-{cols}"),
        rows,
        cols,
        ..Dataset::default()
    };
    for i in 0..rows {
        let estimate = (8.0_f64.ln() + 0.8 * normal(&mut rng))
            .exp()
            .clamp(0.5, 200.0);
        let assignee = 0.3 * normal(&mut rng);
        let label = 0.3 * normal(&mut rng);
        let priority = f64::from(rng.random_range(0..4_u8));
        let open = f64::from(rng.random_range(0..20_u8));
        let log_duration = estimate.ln()
            + 0.9 * assignee
            + 0.7 * label
            + if priority == 3.0 { 0.25 } else { 0.0 }
            + 0.03 * open
            - 0.15
            + 0.35 * normal(&mut rng);
        let duration = log_duration.exp().max(0.05);
        let due = rng.random_bool(0.7);
        // The due date leaves the estimate plus a random margin.
        let hours_to_due = due.then(|| estimate * (0.3 + 0.6 * normal(&mut rng)).exp());
        data.x.extend_from_slice(&[
            estimate,
            assignee,
            label,
            f64::from(u8::from(due)),
            hours_to_due.map_or(0.0, |h| h / 24.0),
            priority,
            open,
        ]);
        data.x.extend((NAMED.len()..cols).map(|_| normal(&mut rng)));
        data.duration_hours.push(duration);
        data.late.push(hours_to_due.map(|h| duration > h));
        data.hours_to_due.push(hours_to_due);
        data.time.push(i as i64 * 3600);
    }
    data
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_valid_and_reproducible() {
        let a = task_table(500, 12, 1);
        assert_eq!(a.validate(), Ok(()));
        assert_eq!(a, task_table(500, 12, 1));
        let late = a.late.iter().flatten().filter(|&&l| l).count();
        let due = a.late.iter().flatten().count();
        assert!(due > 300 && late > 30 && late < due - 30, "{late} of {due}");
    }
}
