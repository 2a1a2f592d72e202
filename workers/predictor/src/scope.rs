//! Scope growth: the tasks a project adds after a forecast is made.
//!
//! A completion forecast over the open tasks alone ends too early while a project is still
//! being planned: the work that will be added is not in it. So training learns, from projects
//! the log shows complete, how many tasks a project added after each week of its age per task it
//! had open then, and the Monte Carlo draws one such ratio per run for the project's age (see
//! `monte_carlo`). The ratios are kept as quantiles per week of age, so a draw follows their
//! distribution, wide where projects differ.
//!
//! Age counts from the project's start date (00:00 UTC), as the prediction worker knows it.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::{Event, ProjectId, TaskId};
use serde::{Deserialize, Serialize};

use crate::metrics::quantiles;

/// Weeks of age with their own ratios; the last holds every later week.
pub const AGE_WEEKS: usize = 13;
/// Quantiles kept per week: 0%, 1%, …, 100%.
const QUANTILE_COUNT: usize = 101;
const WEEK_HOURS: f64 = 168.0;

/// Tasks added later per open task, by week of project age.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScopeGrowth {
    /// Per week of age (the last for [`AGE_WEEKS`] − 1 weeks and more): quantiles of the ratio,
    /// ascending; empty where no completed project was seen at that age.
    pub by_age_week: Vec<Vec<f64>>,
}

impl ScopeGrowth {
    /// The ratios to draw from for a project `age_hours` old; empty when nothing was learned.
    pub fn ratios_at(&self, age_hours: f64) -> &[f64] {
        let week = if age_hours.is_finite() && age_hours > 0.0 {
            ((age_hours / WEEK_HOURS) as usize).min(AGE_WEEKS - 1)
        } else {
            0
        };
        self.by_age_week.get(week).map_or(&[], Vec::as_slice)
    }
}

/// The start of a project's age.
pub fn project_start(start_date: NaiveDate) -> DateTime<Utc> {
    start_date
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
}

/// Hours of age of a project started on `start_date`, as of `as_of`.
pub fn age_hours(start_date: NaiveDate, as_of: DateTime<Utc>) -> f64 {
    (as_of - project_start(start_date)).num_milliseconds() as f64 / 3_600_000.0
}

#[derive(Debug, Default)]
struct ProjectTasks {
    start: Option<DateTime<Utc>>,
    /// Per task: when it was created and, while closed (done or cancelled), when.
    tasks: HashMap<TaskId, (DateTime<Utc>, Option<DateTime<Utc>>)>,
}

/// What the log shows of each project's tasks, folded event by event in log order.
#[derive(Debug, Default)]
pub struct ScopeHistory {
    projects: HashMap<ProjectId, ProjectTasks>,
}

impl ScopeHistory {
    pub fn observe(&mut self, event: &Event, at: DateTime<Utc>) {
        match event {
            Event::ProjectCreated(e) => {
                self.projects.entry(e.project_id).or_default().start =
                    Some(project_start(e.start_date));
            }
            Event::TaskCreated(e) => {
                self.projects
                    .entry(e.project_id)
                    .or_default()
                    .tasks
                    .entry(e.task_id)
                    .or_insert((at, None));
            }
            Event::TaskCompleted(e) => self.close(e.project_id, e.task_id, Some(at)),
            Event::TaskCancelled(e) => self.close(e.project_id, e.task_id, Some(at)),
            Event::TaskReopened(e) => self.close(e.project_id, e.task_id, None),
            _ => {}
        }
    }

    fn close(&mut self, project: ProjectId, task: TaskId, at: Option<DateTime<Utc>>) {
        if let Some((_, closed)) = self
            .projects
            .get_mut(&project)
            .and_then(|p| p.tasks.get_mut(&task))
        {
            *closed = at;
        }
    }

    /// The ratios of the projects whose tasks had all closed before `cut`: at the middle of
    /// each week of their age before their last task closed, the tasks created later over the
    /// tasks open then (created, and not closed for good yet).
    pub fn learn(&self, cut: DateTime<Utc>) -> ScopeGrowth {
        let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); AGE_WEEKS];
        for project in self.projects.values() {
            let (Some(start), false) = (project.start, project.tasks.is_empty()) else {
                continue;
            };
            let Some(completion) = project
                .tasks
                .values()
                .map(|(_, closed)| *closed)
                .collect::<Option<Vec<_>>>()
                .and_then(|closed| closed.into_iter().max())
                .filter(|&last| last < cut)
            else {
                continue;
            };
            for week in 0.. {
                let t = start + Duration::minutes(((week as f64 + 0.5) * WEEK_HOURS * 60.0) as i64);
                if t >= completion {
                    break;
                }
                let (mut open, mut later) = (0usize, 0usize);
                for &(created, closed) in project.tasks.values() {
                    if created > t {
                        later += 1;
                    } else if closed.is_some_and(|closed| closed > t) {
                        open += 1;
                    }
                }
                if open > 0 {
                    ratios[week.min(AGE_WEEKS - 1)].push(later as f64 / open as f64);
                }
            }
        }
        let levels: Vec<f64> = (0..QUANTILE_COUNT)
            .map(|k| k as f64 / (QUANTILE_COUNT - 1) as f64)
            .collect();
        ScopeGrowth {
            by_age_week: ratios
                .iter()
                .map(|week| quantiles(week, &levels).unwrap_or_default())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests;
