//! What a simulation is asked for: a seed, a size and the present.

use chrono::{DateTime, Utc};

/// The parameters of [`crate::simulate`].
#[derive(Clone, Debug, PartialEq)]
pub struct SimConfig {
    /// Everything, ids included, follows from the seed.
    pub seed: u64,
    /// About how many commands to generate (each accepted command appends about one event);
    /// the result is within ±10%, from a few hundred to millions.
    pub target_events: usize,
    /// The end of the history: nothing happens after it, and work is still open at it.
    pub present: DateTime<Utc>,
    /// How many weeks of history lead to the present; `None` picks it from the size: 6 weeks
    /// for a few hundred commands, growing to a year for a million.
    pub weeks: Option<u32>,
}

impl SimConfig {
    pub fn new(seed: u64, target_events: usize, present: DateTime<Utc>) -> Self {
        SimConfig {
            seed,
            target_events,
            present,
            weeks: None,
        }
    }

    /// The length of the history in weeks.
    pub fn history_weeks(&self) -> u32 {
        self.weeks.unwrap_or_else(|| {
            let size = (self.target_events.max(500) as f64 / 500.0).log2();
            (6.0 + 4.0 * size).round().clamp(6.0, 52.0) as u32
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigger_simulations_cover_longer_histories() {
        let config = |target| SimConfig::new(1, target, DateTime::UNIX_EPOCH);
        assert_eq!(config(300).history_weeks(), 6);
        assert_eq!(config(2_000).history_weeks(), 14);
        assert_eq!(config(1_000_000).history_weeks(), 50);
        let fixed = SimConfig {
            weeks: Some(3),
            ..config(1_000_000)
        };
        assert_eq!(fixed.history_weeks(), 3);
    }
}
