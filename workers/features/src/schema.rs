//! The feature schema: the names in vector order, the vector type, and the schema hash.

use serde::{Deserialize, Serialize};

/// Bump when a feature changes meaning without changing name: the hash changes with it.
pub const FEATURE_SCHEMA_VERSION: u32 = 4;

/// Declares the features once: the named row, [`FEATURE_NAMES`] and the conversion between them
/// all come from this list, so names and values cannot fall out of order.
macro_rules! feature_schema {
    ($($(#[doc = $doc:literal])+ $name:ident,)+) => {
        /// One task's features by name. [`Features`] holds the same values in [`FEATURE_NAMES`]
        /// order, which is what models see.
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct FeatureRow {
            $($(#[doc = $doc])+ pub $name: f64,)+
        }

        /// The feature names, in the order of the values in [`Features`].
        pub const FEATURE_NAMES: &[&str] = &[$(stringify!($name)),+];

        impl FeatureRow {
            /// The values in [`FEATURE_NAMES`] order; a value that is not finite becomes 0.
            pub fn to_features(&self) -> Features {
                Features(vec![$(finite(self.$name)),+])
            }
        }
    };
}

feature_schema! {
    /// The task's estimate, hours.
    estimate_hours,
    /// `ln(1 + estimate_hours)`.
    log_estimate_hours,
    /// 1 (highest) to 4 (lowest).
    priority,
    /// Number of labels on the task.
    label_count,
    /// Number of skills the task asks for.
    skill_count,
    /// 1 with an (actual or supposed) assignee, else 0.
    has_assignee,
    /// Share of the task's skills the assignee has: 1 when the task lists none, 0 when it lists
    /// some and has no assignee.
    skill_match,
    /// When the assignee lacks a skill the task asks for: how much more the log's runs by
    /// assignees lacking a skill of their task overran than the others (the difference of the
    /// two mean overruns, each smoothed toward the global mean); 0 otherwise.
    assignee_skill_gap_log_overrun,
    /// Tasks this one waits for that are neither done nor cancelled.
    open_dependencies,
    /// Tasks this one waits for that are done.
    done_dependencies,
    /// Open tasks that wait for this one.
    open_dependents,
    /// Times the task was reopened.
    reopen_count,
    /// Times the due date was changed after creation.
    due_date_change_count,
    /// Times the estimate was changed after creation.
    estimate_change_count,
    /// 1 when the task has a due date.
    has_due_date,
    /// Days from `as_of` to the due date, clamped to [-60, 120]; 0 without a due date.
    days_to_due,
    /// Hours from the start of the current run to `as_of`; 0 when not started or closed.
    hours_since_start,
    /// 1 while the task is blocked.
    is_blocked,
    /// Hours of work logged on the task so far.
    logged_hours,
    /// `logged_hours / estimate_hours`, at most 100.
    logged_over_estimate,
    /// Hours from the task's creation to `as_of`.
    age_hours,
    /// `age_hours / project_cycle_p85_hours`.
    age_over_cycle_p85,
    /// `hours_since_start / project_cycle_p85_hours`.
    run_over_cycle_p85,
    /// The assignee's open tasks in every project, this one excepted.
    assignee_open_tasks,
    /// The assignee's tasks in progress in every project, this one excepted.
    assignee_in_progress_tasks,
    /// Estimate hours of the assignee's other open tasks over their weekly capacity: weeks of
    /// queued work.
    assignee_load_weeks,
    /// The assignee's weekly capacity, hours; 0 without an assignee.
    assignee_capacity_hours_per_week,
    /// The assignee's share of late completions among those with a due date, smoothed:
    /// `(late + 1) / (n + 4)`.
    assignee_late_share,
    /// The assignee's mean overrun (`ln((working + 1) / (estimate + 1))` per completed run, with
    /// `working` the working hours of the run on the assignee's calendar),
    /// smoothed toward the global mean.
    assignee_log_overrun,
    /// Runs the assignee completed.
    assignee_completed_count,
    /// The mean overrun per label, each smoothed toward the global mean, averaged over the task's
    /// labels; the global mean without labels.
    label_log_overrun,
    /// The project's mean overrun, smoothed toward the global mean.
    project_log_overrun,
    /// Tasks the project completed in the 28 days up to `as_of`, per week.
    project_throughput_per_week,
    /// The 85th percentile of the project's last 100 cycle times (start to completion), hours;
    /// the global one, then 72, while the project has fewer than 5.
    project_cycle_p85_hours,
    /// Day of the week the run starts (its start when started, else `as_of`), 0 = Monday, UTC:
    /// elapsed time runs through weekends.
    start_weekday,
    /// Hour of the day the run starts, fractional, UTC.
    start_hour,
    /// Hours from the run's start to the next Saturday 00:00 UTC.
    hours_to_weekend,
    /// Days of the assignee's time off in the 14 days from the run's start.
    assignee_time_off_days_14,
    /// Days from the run's start day to the first day of the assignee's next announced time
    /// off (0 when it has begun), at most 365; 365 when none is announced. With the three
    /// after it, this is the working calendar of the run that duration models measure time on.
    time_off_1_in_days,
    /// Days of that time off from the later of its first day and the run's start day; 0 when
    /// none is announced.
    time_off_1_days,
    /// The same for the assignee's time off after that one.
    time_off_2_in_days,
    /// Its days, as for `time_off_1_days`.
    time_off_2_days,
}

/// A task's feature values in [`FEATURE_NAMES`] order, every value finite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Features(pub Vec<f64>);

impl Features {
    pub fn as_slice(&self) -> &[f64] {
        &self.0
    }

    /// The value of the feature called `name`.
    pub fn get(&self, name: &str) -> Option<f64> {
        let index = FEATURE_NAMES.iter().position(|n| *n == name)?;
        self.0.get(index).copied()
    }
}

/// A stable hash of [`FEATURE_SCHEMA_VERSION`] and [`FEATURE_NAMES`], 16 hex digits. A model
/// records it when trained; a serving worker refuses a model whose hash is not its own.
pub fn schema_hash() -> String {
    hash_schema(FEATURE_SCHEMA_VERSION, FEATURE_NAMES)
}

/// FNV-1a (64 bits) over the version and the names, each name closed by a 0 byte.
fn hash_schema(version: u32, names: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    let version = version.to_le_bytes();
    let bytes = version.iter().chain(
        names
            .iter()
            .flat_map(|name| name.as_bytes().iter().chain(&[0])),
    );
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(PRIME);
    }
    format!("{hash:016x}")
}

fn finite(value: f64) -> f64 {
    if value.is_finite() { value } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_in_row_order() {
        let unique: std::collections::BTreeSet<&str> = FEATURE_NAMES.iter().copied().collect();
        assert_eq!(unique.len(), FEATURE_NAMES.len());
        let row = FeatureRow {
            priority: 3.0,
            time_off_2_days: 7.0,
            ..FeatureRow::default()
        };
        let features = row.to_features();
        assert_eq!(features.0.len(), FEATURE_NAMES.len());
        assert_eq!(features.get("priority"), Some(3.0));
        assert_eq!(features.0.last(), Some(&7.0));
        assert_eq!(features.get("no_such_feature"), None);
    }

    #[test]
    fn values_that_are_not_finite_become_zero() {
        let row = FeatureRow {
            estimate_hours: f64::NAN,
            age_hours: f64::INFINITY,
            ..FeatureRow::default()
        };
        assert!(row.to_features().0.iter().all(|v| *v == 0.0));
    }

    #[test]
    fn schema_hash_is_stable_and_follows_names_and_version() {
        assert_eq!(schema_hash(), schema_hash());
        assert_eq!(schema_hash().len(), 16);
        // Pinned: a change here means the schema changed; bump the version or accept that
        // models trained before are refused.
        assert_eq!(schema_hash(), PINNED_HASH);
        let mut renamed = FEATURE_NAMES.to_vec();
        renamed[0] = "estimate_minutes";
        assert_ne!(hash_schema(FEATURE_SCHEMA_VERSION, &renamed), schema_hash());
        let mut reordered = FEATURE_NAMES.to_vec();
        reordered.swap(0, 1);
        assert_ne!(
            hash_schema(FEATURE_SCHEMA_VERSION, &reordered),
            schema_hash()
        );
        let shorter = &FEATURE_NAMES[..FEATURE_NAMES.len() - 1];
        assert_ne!(hash_schema(FEATURE_SCHEMA_VERSION, shorter), schema_hash());
        assert_ne!(
            hash_schema(FEATURE_SCHEMA_VERSION + 1, FEATURE_NAMES),
            schema_hash()
        );
        // Joining names must not hide a boundary move: ["ab", "c"] is not ["a", "bc"].
        assert_ne!(hash_schema(1, &["ab", "c"]), hash_schema(1, &["a", "bc"]));
    }

    const PINNED_HASH: &str = "d6547d597b33078e";
}
