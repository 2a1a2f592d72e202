//! Backtest of the Monte Carlo completion forecast on held-out projects, replayed from the log.
//!
//! A held-out project counts when every one of its tasks ended done or cancelled by the end of
//! the log: its start is the first event about it (`project.created`), its actual completion the
//! last `task.completed` of its tasks. As of each fraction of its elapsed time
//! (`start + fraction × (completion − start)`), the project is forecast exactly as the prediction
//! worker forecasts it from the feature store (open tasks, remaining dependencies, assignees,
//! hours since the start of started tasks, the members' capacity, open milestones, deadline,
//! seeded by the project id), from one fold of the log up to that time; the case compares the
//! forecast's P50/P85/P95 with the actual completion. A project with no open task at that time
//! (or whose open tasks form a cycle) gives no case.
//!
//! Pure: the caller reads the log.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::{Event, ProjectId, TaskId};
use features::{Changes, FeatureState};

use crate::backtest::{BacktestCase, BacktestReport, backtest};
use crate::model::{FittedModel, PredictError};
use crate::monte_carlo::{ForecastInput, Member, Milestone, Percentiles, RemainingTask};

/// The fractions of a project's elapsed time the forecasts are made at.
pub const FRACTIONS: [f64; 3] = [0.25, 0.5, 0.75];

/// When a completed project started and when its last task completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectSpan {
    pub start: DateTime<Utc>,
    pub completion: DateTime<Utc>,
}

/// The backtest at one fraction of the elapsed time.
#[derive(Debug, Clone, PartialEq)]
pub struct FractionReport {
    pub fraction: f64,
    /// `None` without cases.
    pub report: Option<BacktestReport>,
}

/// One forecast and what happened.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProjectCase {
    pub project: ProjectId,
    /// Index into the fractions asked for.
    pub fraction: usize,
    pub as_of: DateTime<Utc>,
    pub case: BacktestCase,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectBacktest {
    /// Held-out projects that completed by the end of the log.
    pub projects: usize,
    pub cases: usize,
    /// Every case, in the order of their as-of times.
    pub forecasts: Vec<ProjectCase>,
    /// Checkpoints without a case: no open task (or a dependency cycle) at that time.
    pub skipped: usize,
    /// Every case; `None` without cases.
    pub overall: Option<BacktestReport>,
    /// In the order of the fractions asked for.
    pub by_fraction: Vec<FractionReport>,
}

/// Start and actual completion of every project whose tasks all ended done or cancelled by the
/// end of `events` (a project with no completed task has none).
pub fn completed_projects(events: &[(Event, DateTime<Utc>)]) -> HashMap<ProjectId, ProjectSpan> {
    let mut start: HashMap<ProjectId, DateTime<Utc>> = HashMap::new();
    let mut completion: HashMap<ProjectId, DateTime<Utc>> = HashMap::new();
    // Per task: its project and whether it is closed (done or cancelled).
    let mut tasks: HashMap<TaskId, (ProjectId, bool)> = HashMap::new();
    for (event, at) in events {
        if let Some(project) = event.project_id() {
            start.entry(project).or_insert(*at);
        }
        match event {
            Event::TaskCreated(e) => _ = tasks.insert(e.task_id, (e.project_id, false)),
            Event::TaskReopened(e) => _ = tasks.insert(e.task_id, (e.project_id, false)),
            Event::TaskCancelled(e) => _ = tasks.insert(e.task_id, (e.project_id, true)),
            Event::TaskCompleted(e) => {
                tasks.insert(e.task_id, (e.project_id, true));
                let last = completion.entry(e.project_id).or_insert(*at);
                *last = (*last).max(*at);
            }
            _ => {}
        }
    }
    let open: HashSet<ProjectId> = tasks
        .values()
        .filter(|(_, closed)| !closed)
        .map(|(project, _)| *project)
        .collect();
    completion
        .into_iter()
        .filter(|(project, _)| !open.contains(project))
        .filter_map(|(project, completion)| {
            let start = *start.get(&project)?;
            (completion > start).then_some((project, ProjectSpan { start, completion }))
        })
        .collect()
}

/// A forecast to make: `project` as of `as_of`, the `fraction`-th fraction of its time.
struct Checkpoint {
    as_of: DateTime<Utc>,
    project: ProjectId,
    fraction: usize,
    completion: DateTime<Utc>,
}

/// Forecasts each held-out project as of each fraction of its elapsed time, in one pass over
/// `events` (the log in commit order, with each event's business time), and backtests the
/// forecasts against the actual completions. `seed` is mixed into each project's seed (0 gives
/// the prediction worker's).
pub fn backtest_projects(
    events: &[(Event, DateTime<Utc>)],
    model: &FittedModel,
    held_out: &HashSet<ProjectId>,
    fractions: &[f64],
    runs: usize,
    seed: u64,
) -> Result<ProjectBacktest, PredictError> {
    let spans = completed_projects(events);
    let mut checkpoints: Vec<Checkpoint> = spans
        .iter()
        .filter(|(project, _)| held_out.contains(project))
        .flat_map(|(&project, span)| {
            let elapsed_ms = (span.completion - span.start).num_milliseconds() as f64;
            fractions
                .iter()
                .enumerate()
                .map(move |(fraction, &share)| Checkpoint {
                    as_of: span.start + Duration::milliseconds((elapsed_ms * share).round() as i64),
                    project,
                    fraction,
                    completion: span.completion,
                })
        })
        .collect();
    let projects = checkpoints
        .iter()
        .map(|c| c.project)
        .collect::<HashSet<_>>()
        .len();
    checkpoints.sort_by_key(|c| (c.as_of, c.project, c.fraction));

    let mut forecasts: Vec<ProjectCase> = Vec::new();
    let mut skipped = 0;
    let mut state = FeatureState::new();
    let mut changes = Changes::default();
    let mut pending = checkpoints.iter().peekable();
    let mut take = |state: &FeatureState, checkpoint: &Checkpoint| -> Result<(), PredictError> {
        let project_seed = checkpoint.project.0.as_u64_pair().0 ^ seed;
        match forecast_at(
            state,
            model,
            checkpoint.project,
            checkpoint.as_of,
            runs,
            project_seed,
        )? {
            Some(forecast) => forecasts.push(ProjectCase {
                project: checkpoint.project,
                fraction: checkpoint.fraction,
                as_of: checkpoint.as_of,
                case: BacktestCase {
                    forecast,
                    actual: checkpoint.completion,
                },
            }),
            None => skipped += 1,
        }
        Ok(())
    };
    for (event, at) in events {
        if pending.peek().is_none() {
            // Nothing after the last checkpoint is read.
            break;
        }
        while let Some(checkpoint) = pending.next_if(|c| *at > c.as_of) {
            take(&state, checkpoint)?;
        }
        state.apply_noting(event, *at, &mut changes);
        changes.clear();
    }
    for checkpoint in pending {
        take(&state, checkpoint)?;
    }

    let all: Vec<BacktestCase> = forecasts.iter().map(|f| f.case).collect();
    let by_fraction = fractions
        .iter()
        .enumerate()
        .map(|(index, &fraction)| {
            let cases: Vec<BacktestCase> = forecasts
                .iter()
                .filter(|f| f.fraction == index)
                .map(|f| f.case)
                .collect();
            FractionReport {
                fraction,
                report: backtest(&cases),
            }
        })
        .collect();
    Ok(ProjectBacktest {
        projects,
        cases: all.len(),
        forecasts,
        skipped,
        overall: backtest(&all),
        by_fraction,
    })
}

/// The project's completion forecast as of `as_of` from the folded state, built as the
/// prediction worker builds it from the feature store; `None` without open tasks or with a
/// dependency cycle among them.
fn forecast_at(
    state: &FeatureState,
    model: &FittedModel,
    project: ProjectId,
    as_of: DateTime<Utc>,
    runs: usize,
    seed: u64,
) -> Result<Option<Percentiles>, PredictError> {
    let Some(view) = state.project(project) else {
        return Ok(None);
    };
    let tasks: Vec<_> = state.open_tasks_of_project(project).collect();
    if tasks.is_empty() {
        return Ok(None);
    }
    let Some(rows) = tasks
        .iter()
        .map(|t| state.task_features(t.id, as_of).map(|f| f.0))
        .collect::<Option<Vec<Vec<f64>>>>()
    else {
        return Ok(None);
    };
    let open: BTreeSet<TaskId> = tasks.iter().map(|t| t.id).collect();
    let remaining = tasks
        .iter()
        .zip(&rows)
        .map(|(t, row)| RemainingTask {
            id: t.id.0,
            milestone: t.milestone_id.map(|m| m.0),
            depends_on: t
                .depends_on
                .iter()
                .filter(|d| open.contains(d))
                .map(|d| d.0)
                .collect(),
            assignee: t.assignee.map(|m| m.0),
            already_elapsed_hours: t.started_at.map_or(0.0, |s| {
                model.hours_run(row, (as_of - s).num_seconds() as f64 / 3600.0)
            }),
        })
        .collect();
    let input = ForecastInput {
        tasks: remaining,
        members: state
            .project_members(project)
            .map(|(member, _role)| {
                let here: f64 = tasks
                    .iter()
                    .filter(|t| t.assignee == Some(member.id))
                    .map(|t| t.estimate_hours)
                    .sum();
                Member::in_project(
                    member.id.0,
                    member.capacity_hours_per_week,
                    here,
                    member.open_estimate_hours(),
                )
            })
            .collect(),
        milestones: view
            .milestones
            .iter()
            .filter(|(_, m)| !m.completed)
            .map(|(id, m)| Milestone {
                id: id.0,
                due: Some(end_of_day(m.due_date)),
            })
            .collect(),
        as_of,
        deadline: view.deadline.map(end_of_day),
        runs,
        seed,
        working_hours: model.working_hours(),
        scope_growth: model.scope_growth_at(view.start_date, as_of),
    };
    Ok(model
        .forecast_completion(&input, &rows)?
        .ok()
        .map(|f| f.completion))
}

/// As the prediction worker reads a due date: the end of that day.
fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use domain::{
        MemberId, MemberJoinedProject, MemberRegistered, ProjectCreated, TaskAssigned, TaskChanged,
        TaskCreated,
    };
    use uuid::Uuid;

    fn at(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap() + Duration::hours(hours)
    }

    fn project(n: u128) -> ProjectId {
        ProjectId(Uuid::from_u128(0x1000 + n))
    }

    fn task(n: u128) -> TaskId {
        TaskId(Uuid::from_u128(0x2000 + n))
    }

    fn created(project_id: ProjectId, task_id: TaskId, depends_on: Vec<TaskId>) -> Event {
        Event::TaskCreated(TaskCreated {
            task_id,
            project_id,
            title: "work".into(),
            description: None,
            estimate_hours: 8.0,
            priority: 2,
            labels: vec![],
            skills: vec![],
            milestone_id: None,
            due_date: None,
            depends_on,
        })
    }

    fn changed(project_id: ProjectId, task_id: TaskId) -> TaskChanged {
        TaskChanged {
            task_id,
            project_id,
        }
    }

    /// Project 1: task 1, then task 2 after it; completed at hour 40. Project 2 keeps an open
    /// task, so it never counts.
    fn log() -> Vec<(Event, DateTime<Utc>)> {
        let (p, other) = (project(1), project(2));
        let ada = MemberId(Uuid::from_u128(0x3001));
        let start_date = at(0).date_naive();
        vec![
            (
                Event::MemberRegistered(MemberRegistered {
                    member_id: ada,
                    name: "Ada".into(),
                    skills: vec![],
                    capacity_hours_per_week: 40.0,
                }),
                at(0),
            ),
            (
                Event::ProjectCreated(ProjectCreated {
                    project_id: p,
                    name: "Billing".into(),
                    start_date,
                    deadline: None,
                }),
                at(0),
            ),
            (
                Event::MemberJoinedProject(MemberJoinedProject {
                    project_id: p,
                    member_id: ada,
                    role: None,
                    capacity_hours_per_week: 40.0,
                    skills: vec![],
                }),
                at(0),
            ),
            (created(p, task(1), vec![]), at(0)),
            (created(p, task(2), vec![task(1)]), at(0)),
            (
                Event::TaskAssigned(TaskAssigned {
                    task_id: task(1),
                    project_id: p,
                    member_id: ada,
                }),
                at(1),
            ),
            (
                Event::TaskAssigned(TaskAssigned {
                    task_id: task(2),
                    project_id: p,
                    member_id: ada,
                }),
                at(1),
            ),
            (
                Event::ProjectCreated(ProjectCreated {
                    project_id: other,
                    name: "Other".into(),
                    start_date,
                    deadline: None,
                }),
                at(2),
            ),
            (created(other, task(3), vec![]), at(2)),
            (Event::TaskStarted(changed(p, task(1))), at(2)),
            (Event::TaskCompleted(changed(p, task(1))), at(20)),
            (Event::TaskStarted(changed(p, task(2))), at(20)),
            (Event::TaskCompleted(changed(p, task(2))), at(40)),
            (Event::TaskStarted(changed(other, task(3))), at(41)),
        ]
    }

    fn model() -> FittedModel {
        let names = features::FEATURE_NAMES
            .iter()
            .map(|n| (*n).to_owned())
            .collect();
        FittedModel::baseline(names, features::schema_hash()).unwrap()
    }

    #[test]
    fn only_projects_whose_tasks_all_closed_complete() {
        let spans = completed_projects(&log());
        assert_eq!(spans.len(), 1);
        assert_eq!(
            spans[&project(1)],
            ProjectSpan {
                start: at(0),
                completion: at(40),
            }
        );
    }

    #[test]
    fn a_case_at_each_fraction_forecasts_after_its_time() {
        let held_out: HashSet<ProjectId> = [project(1), project(2)].into();
        let result = backtest_projects(&log(), &model(), &held_out, &FRACTIONS, 200, 0).unwrap();
        assert_eq!((result.projects, result.cases, result.skipped), (1, 3, 0));
        // Hours 10, 20 (task 1 done, task 2 just started) and 30 of 0 .. 40.
        let as_of: Vec<_> = result
            .forecasts
            .iter()
            .map(|f| (f.fraction, f.as_of))
            .collect();
        assert_eq!(as_of, vec![(0, at(10)), (1, at(20)), (2, at(30))]);
        for f in &result.forecasts {
            let p = f.case.forecast;
            assert!(p.p50 > f.as_of, "{f:?}");
            assert!(p.p50 <= p.p85 && p.p85 <= p.p95, "{f:?}");
            assert_eq!(f.case.actual, at(40));
        }
        assert_eq!(result.overall.as_ref().unwrap().cases, 3);
        for fraction in &result.by_fraction {
            assert_eq!(fraction.report.as_ref().unwrap().cases, 1);
        }
        // Deterministic: the same log gives the same forecasts.
        let again = backtest_projects(&log(), &model(), &held_out, &FRACTIONS, 200, 0).unwrap();
        assert_eq!(again, result);
    }

    #[test]
    fn projects_not_held_out_give_no_case() {
        let held_out: HashSet<ProjectId> = [project(2)].into();
        let result = backtest_projects(&log(), &model(), &held_out, &FRACTIONS, 50, 0).unwrap();
        assert_eq!((result.projects, result.cases), (0, 0));
        assert_eq!(result.overall, None);
        assert!(result.by_fraction.iter().all(|f| f.report.is_none()));
    }
}
