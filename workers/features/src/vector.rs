//! A task's feature vector, from the folded state, as of a point in time.

use chrono::{DateTime, Datelike, Timelike, Utc};
use domain::{MemberId, TaskId, TaskStatus};

use crate::history::{OVERRUN_PRIOR_WEIGHT, hours_between};
use crate::schema::{FeatureRow, Features};
use crate::state::FeatureState;
use crate::view::{MemberView, TaskView, millis_to_hours};

/// `days_to_due` is clamped to this range: beyond, the distance says nothing more.
pub const DAYS_TO_DUE_RANGE: (f64, f64) = (-60.0, 120.0);
/// `logged_over_estimate` is clamped to at most this.
pub const MAX_LOGGED_OVER_ESTIMATE: f64 = 100.0;
/// Capacity below this counts as this when dividing a workload by it.
pub const MIN_CAPACITY_HOURS_PER_WEEK: f64 = 1.0;

impl FeatureState {
    /// The task's features as of `as_of`, with its current assignee (or none); `None` for an
    /// unknown task. `as_of` is meant to be at or after [`FeatureState::clock`]: the state holds
    /// no event after it, and time-based features are measured to it, never to the wall clock.
    pub fn task_features(&self, task: TaskId, as_of: DateTime<Utc>) -> Option<Features> {
        self.task_row(task, as_of).map(|row| row.to_features())
    }

    /// The task's features as of `as_of` as if `member` were its assignee; `None` for an unknown
    /// task or member. For the current assignee it equals [`FeatureState::task_features`].
    pub fn task_features_for(
        &self,
        task: TaskId,
        member: MemberId,
        as_of: DateTime<Utc>,
    ) -> Option<Features> {
        self.task_row_for(task, member, as_of)
            .map(|row| row.to_features())
    }

    /// [`FeatureState::task_features`] by name.
    pub fn task_row(&self, task: TaskId, as_of: DateTime<Utc>) -> Option<FeatureRow> {
        let task = self.tasks.get(&task)?;
        Some(self.row(task, task.assignee, as_of))
    }

    /// [`FeatureState::task_features_for`] by name.
    pub fn task_row_for(
        &self,
        task: TaskId,
        member: MemberId,
        as_of: DateTime<Utc>,
    ) -> Option<FeatureRow> {
        let task = self.tasks.get(&task)?;
        self.members.get(&member)?;
        Some(self.row(task, Some(member), as_of))
    }

    fn row(&self, task: &TaskView, assignee: Option<MemberId>, as_of: DateTime<Utc>) -> FeatureRow {
        let unknown;
        let member = match assignee {
            Some(id) => Some(match self.members.get(&id) {
                Some(member) => member,
                None => {
                    unknown = MemberView::unknown(id);
                    &unknown
                }
            }),
            None => None,
        };
        let (open_dependencies, done_dependencies) = self.dependencies(task);
        let open_dependents = task
            .dependents
            .iter()
            .filter(|id| self.tasks.get(id).is_some_and(TaskView::is_open))
            .count();
        let days_to_due = task.due_date.map_or(0.0, |due| {
            let (low, high) = DAYS_TO_DUE_RANGE;
            (hours_between(as_of, due) / 24.0).clamp(low, high)
        });
        let hours_since_start = task
            .started_at
            .filter(|_| task.is_open())
            .map_or(0.0, |start| hours_between(start, as_of).max(0.0));
        let age_hours = hours_between(task.created_at, as_of).max(0.0);
        let run_start = task.started_at.filter(|_| task.is_open()).unwrap_or(as_of);
        let cycle_p85 = self.cycle_p85_hours(task.project_id);
        let load = Workload::of(member, task);
        let global = self.global_log_overrun();
        let project = self.flows.get(&task.project_id);
        let next_time_off = member.map_or(NO_TIME_OFF, |m| next_time_off(m, run_start));
        FeatureRow {
            estimate_hours: task.estimate_hours,
            log_estimate_hours: task.estimate_hours.ln_1p(),
            priority: f64::from(task.priority),
            label_count: task.labels.len() as f64,
            skill_count: task.skills.len() as f64,
            has_assignee: flag(member.is_some()),
            skill_match: skill_match(task, member),
            assignee_skill_gap_log_overrun: if member.is_some() && skill_match(task, member) < 1.0 {
                self.skill_gap_log_overrun()
            } else {
                0.0
            },
            open_dependencies,
            done_dependencies,
            open_dependents: open_dependents as f64,
            reopen_count: f64::from(task.reopen_count),
            due_date_change_count: f64::from(task.due_date_changes),
            estimate_change_count: f64::from(task.estimate_changes),
            has_due_date: flag(task.due_date.is_some()),
            days_to_due,
            hours_since_start,
            is_blocked: flag(task.status == TaskStatus::Blocked),
            logged_hours: task.logged_hours,
            logged_over_estimate: logged_over_estimate(task),
            age_hours,
            age_over_cycle_p85: age_hours / cycle_p85,
            run_over_cycle_p85: hours_since_start / cycle_p85,
            assignee_open_tasks: load.open_tasks,
            assignee_in_progress_tasks: load.in_progress_tasks,
            assignee_load_weeks: load.weeks,
            assignee_capacity_hours_per_week: member.map_or(0.0, |m| m.capacity_hours_per_week),
            assignee_late_share: member.map_or(0.25, |m| m.history.late_share()),
            assignee_log_overrun: member.map_or(global, |m| {
                m.history.overrun.smoothed(global, OVERRUN_PRIOR_WEIGHT)
            }),
            assignee_completed_count: member.map_or(0.0, |m| f64::from(m.history.completed)),
            label_log_overrun: self.label_overrun(task, global),
            project_log_overrun: project.map_or(global, |flow| {
                flow.overrun.smoothed(global, OVERRUN_PRIOR_WEIGHT)
            }),
            project_throughput_per_week: project
                .map_or(0.0, |flow| flow.throughput_per_week(as_of)),
            project_cycle_p85_hours: cycle_p85,
            start_weekday: f64::from(run_start.weekday().num_days_from_monday()),
            start_hour: f64::from(run_start.num_seconds_from_midnight()) / 3600.0,
            hours_to_weekend: hours_to_weekend(run_start),
            assignee_time_off_days_14: member.map_or(0.0, |m| time_off_days(m, run_start, 14)),
            time_off_1_in_days: next_time_off[0].0,
            time_off_1_days: next_time_off[0].1,
            time_off_2_in_days: next_time_off[1].0,
            time_off_2_days: next_time_off[1].1,
        }
    }

    /// Dependencies that are open, and those that are done; cancelled or unknown ones count in
    /// neither.
    fn dependencies(&self, task: &TaskView) -> (f64, f64) {
        let (mut open, mut done) = (0.0, 0.0);
        for dep in task.depends_on.iter().filter_map(|id| self.tasks.get(id)) {
            match dep.status {
                TaskStatus::Done => done += 1.0,
                TaskStatus::Cancelled => {}
                TaskStatus::Todo | TaskStatus::InProgress | TaskStatus::Blocked => open += 1.0,
            }
        }
        (open, done)
    }

    fn label_overrun(&self, task: &TaskView, global: f64) -> f64 {
        if task.labels.is_empty() {
            return global;
        }
        let sum: f64 = task
            .labels
            .iter()
            .map(|label| {
                self.labels
                    .get(label)
                    .map_or(global, |stats| stats.smoothed(global, OVERRUN_PRIOR_WEIGHT))
            })
            .sum();
        sum / task.labels.len() as f64
    }
}

/// The assignee's other open work: the task itself never counts in its own workload, so that
/// the current assignee and a supposed one are measured alike.
struct Workload {
    open_tasks: f64,
    in_progress_tasks: f64,
    weeks: f64,
}

impl Workload {
    fn of(member: Option<&MemberView>, task: &TaskView) -> Self {
        let Some(member) = member else {
            return Workload {
                open_tasks: 0.0,
                in_progress_tasks: 0.0,
                weeks: 0.0,
            };
        };
        let own = member.open_tasks.contains(&task.id);
        let own_in_progress = own && task.status == TaskStatus::InProgress;
        let own_millis = if own { task.estimate_millis() } else { 0 };
        let hours = millis_to_hours(member.open_estimate_millis - own_millis).max(0.0);
        let capacity = member
            .capacity_hours_per_week
            .max(MIN_CAPACITY_HOURS_PER_WEEK);
        Workload {
            open_tasks: member.open_tasks.len().saturating_sub(usize::from(own)) as f64,
            in_progress_tasks: f64::from(
                member
                    .in_progress_tasks
                    .saturating_sub(u32::from(own_in_progress)),
            ),
            weeks: hours / capacity,
        }
    }
}

/// The share of the task's skills the member has: 1 when the task asks for none, 0 without a
/// member.
fn skill_match(task: &TaskView, member: Option<&MemberView>) -> f64 {
    match member {
        Some(member) => share_of_skills(&task.skills, |skill| member.skills.contains(skill)),
        None if task.skills.is_empty() => 1.0,
        None => 0.0,
    }
}

/// The share of the `asked` skills that `has`: 1 when none are asked. The `skill_match`
/// feature, for whoever else ranks members by it.
pub fn share_of_skills<S>(asked: &[S], has: impl Fn(&S) -> bool) -> f64 {
    if asked.is_empty() {
        return 1.0;
    }
    asked.iter().filter(|skill| has(skill)).count() as f64 / asked.len() as f64
}

fn logged_over_estimate(task: &TaskView) -> f64 {
    if task.estimate_hours > 0.0 {
        (task.logged_hours / task.estimate_hours).min(MAX_LOGGED_OVER_ESTIMATE)
    } else {
        0.0
    }
}

fn flag(value: bool) -> f64 {
    if value { 1.0 } else { 0.0 }
}

#[cfg(test)]
mod tests;

/// Hours from `at` to the next Saturday 00:00 UTC (0 during a weekend).
fn hours_to_weekend(at: DateTime<Utc>) -> f64 {
    let days_left = 5 - i64::from(at.weekday().num_days_from_monday());
    if days_left <= 0 {
        return 0.0;
    }
    let midnight = at
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc();
    hours_between(at, midnight + chrono::Duration::days(days_left))
}

/// `(days until, days long)` of a period of time off that is not announced.
pub(crate) const NO_TIME_OFF: [(f64, f64); 2] = [(MAX_DAYS_TO_TIME_OFF, 0.0); 2];
/// Time off further ahead than this counts as none.
pub const MAX_DAYS_TO_TIME_OFF: f64 = 365.0;

/// The member's next two periods of time off from `from`'s day on, in the order they begin,
/// as `(days until the first day, days long)`; a period under way counts from `from`'s day.
/// Overlapping announcements are merged first, so the two never overlap.
pub(crate) fn next_time_off(member: &MemberView, from: DateTime<Utc>) -> [(f64, f64); 2] {
    let today = from.date_naive();
    let mut periods: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = member
        .time_off
        .iter()
        .filter(|(start, end)| *end >= today && start <= end)
        .map(|(start, end)| ((*start).max(today), *end))
        .collect();
    periods.sort_unstable();
    let mut merged: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = Vec::with_capacity(2);
    for (start, end) in periods {
        if let Some(last) = merged.last_mut()
            && start <= last.1 + chrono::Duration::days(1)
        {
            last.1 = last.1.max(end);
        } else if merged.len() == 2 {
            break;
        } else {
            merged.push((start, end));
        }
    }
    let mut next = NO_TIME_OFF;
    for (slot, (start, end)) in next.iter_mut().zip(merged) {
        let until = (start - today).num_days() as f64;
        if until < MAX_DAYS_TO_TIME_OFF {
            *slot = (until, (end - start).num_days() as f64 + 1.0);
        }
    }
    next
}

/// Days of `member`'s time off within `days` days from `from` (both ends of a range included).
fn time_off_days(member: &MemberView, from: DateTime<Utc>, days: i64) -> f64 {
    let first = from.date_naive();
    let last = first + chrono::Duration::days(days - 1);
    member
        .time_off
        .iter()
        .map(|(start, end)| {
            let (start, end) = ((*start).max(first), (*end).min(last));
            if end >= start {
                (end - start).num_days() as f64 + 1.0
            } else {
                0.0
            }
        })
        .sum()
}
