//! The prediction worker: follows the feature store (woken by `<ns>.feat.updated`, polling as
//! well), predicts every open task it changed, forecasts the projects they belong to, ranks
//! members for unassigned tasks, and appends prediction events only when a prediction changed
//! materially. A promoted model is loaded without a restart and every open task is predicted
//! again with it.
//!
//! What it said last is read back from the log on start, so a restart emits nothing twice;
//! event ids are derived from the task, the model and the feature row's sequence number, so a
//! retry after a crash appends nothing twice either.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, Duration as Span, NaiveDate, Utc};
use domain::{
    AssignmentCandidate as Candidate, AssignmentRecommended, CompletionForecast as Completion,
    Event, ForecastHealth, MilestoneForecast as MilestoneOut, MilestoneId, ProjectForecasted,
    ProjectId, RiskFactor, TaskForecasted, TaskId, TaskRiskAssessed,
};
use features::store::{ProjectContext, QueuedTask, StoredTask};
use futures::StreamExt;
use sqlx::PgPool;
use uuid::Uuid;

use crate::emit::{self, Emitted};
use crate::monte_carlo::{self, ForecastInput, Health, Member, Milestone, RemainingTask};
use crate::{AssignmentRequest, FittedModel, QueuedWork, registry};

#[derive(Debug, Clone)]
pub struct PredictorConfig {
    /// How often the feature store is read when no news comes.
    pub poll: Duration,
    /// Monte Carlo runs per project forecast.
    pub runs: usize,
    /// Feature rows read per step.
    pub batch: i64,
}

impl Default for PredictorConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_millis(500),
            runs: 500,
            batch: 5_000,
        }
    }
}

pub struct PredictorContext {
    /// The namespace's schema first: the log and the registry.
    pub pool: PgPool,
    /// The feature store's schema first.
    pub features: PgPool,
    pub nats: Option<async_nats::Client>,
    pub subjects: bus::Subjects,
    pub metrics: telemetry::PredictionMetrics,
    pub config: PredictorConfig,
}

/// Predicts until `shutdown` completes.
pub async fn run(ctx: PredictorContext, shutdown: impl Future<Output = ()>) -> anyhow::Result<()> {
    let mut news = match &ctx.nats {
        Some(nats) => Some(nats.subscribe(ctx.subjects.features_updated()).await?),
        None => None,
    };
    let mut predictor = Predictor::start(&ctx).await?;
    tracing::info!(model = %predictor.model_version, "prediction worker started");
    tokio::pin!(shutdown);
    loop {
        match predictor.step(&ctx).await {
            Ok(step) if step.rows > 0 => {
                tracing::debug!(rows = step.rows, emitted = step.emitted, "predicted")
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(error = %format!("{error:#}"), "prediction step failed; trying again")
            }
        }
        let next_news = async {
            match news.as_mut() {
                Some(news) => news.next().await.map(|_| ()),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            _ = next_news => {}
            _ = tokio::time::sleep(ctx.config.poll) => {}
        }
    }
}

/// What one step did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Step {
    pub rows: usize,
    pub emitted: usize,
    pub reloaded: bool,
}

/// The last prediction of each kind the worker emitted, to judge what changed materially.
#[derive(Debug, Clone, Default)]
struct Said {
    forecasts: HashMap<Uuid, TaskForecasted>,
    risks: HashMap<Uuid, TaskRiskAssessed>,
    recommendations: HashMap<Uuid, AssignmentRecommended>,
    projects: HashMap<Uuid, ProjectForecasted>,
}

pub struct Predictor {
    model: FittedModel,
    /// `baseline` until a model is promoted, then the registry version.
    pub model_version: String,
    active: Option<i64>,
    /// The feature store's sequence number read up to.
    seq: i64,
    said: Said,
}

impl Predictor {
    pub async fn start(ctx: &PredictorContext) -> anyhow::Result<Self> {
        registry::ensure_registry(&ctx.pool).await?;
        let mut said = Said::default();
        for recorded in store::latest_of_category(&ctx.pool, "prediction").await? {
            let Ok(event) = Event::from_stored(
                &recorded.event_type,
                recorded.schema_version,
                &recorded.payload,
            ) else {
                continue;
            };
            match event {
                Event::TaskForecasted(e) => _ = said.forecasts.insert(e.task_id.0, e),
                Event::TaskRiskAssessed(e) => _ = said.risks.insert(e.task_id.0, e),
                Event::AssignmentRecommended(e) => _ = said.recommendations.insert(e.task_id.0, e),
                Event::ProjectForecasted(e) => _ = said.projects.insert(e.project_id.0, e),
                _ => {}
            }
        }
        let names = features::FEATURE_NAMES
            .iter()
            .map(|n| (*n).to_owned())
            .collect();
        let mut predictor = Self {
            model: FittedModel::baseline(names, features::schema_hash())?,
            model_version: "baseline".into(),
            active: None,
            seq: 0,
            said,
        };
        predictor.reload(ctx).await?;
        Ok(predictor)
    }

    /// Loads the active model if another one was promoted; true when it did.
    async fn reload(&mut self, ctx: &PredictorContext) -> anyhow::Result<bool> {
        let active = registry::active_version(&ctx.pool).await?;
        if active.is_none() || active == self.active {
            return Ok(false);
        }
        match registry::load_active(&ctx.pool, &features::schema_hash()).await {
            Ok(Some((version, model))) => {
                tracing::info!(version, kind = %model.describe(), "loaded the promoted model");
                self.model = model;
                self.model_version = version.to_string();
                self.active = Some(version);
                ctx.metrics.model_version.set(version);
                export_model_metrics(ctx).await;
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(error) => {
                // Refused (another feature schema, a damaged row): keep predicting with what we have.
                self.active = active;
                tracing::error!(error = %format!("{error:#}"), "the promoted model cannot be used; retrain");
                Ok(false)
            }
        }
    }

    /// Reads what the feature store changed, predicts it and appends what changed materially.
    pub async fn step(&mut self, ctx: &PredictorContext) -> anyhow::Result<Step> {
        let reloaded = self.reload(ctx).await?;
        let head = features::store::head_seq(&ctx.features).await?;
        if head < self.seq {
            // A rebuilt feature store starts its sequence again.
            self.seq = 0;
        }
        let rows = if reloaded {
            features::store::all_open_tasks(&ctx.features).await?
        } else {
            features::store::changed_tasks(&ctx.features, self.seq, ctx.config.batch).await?
        };
        let mut emitted = Vec::new();
        let mut projects = BTreeSet::new();
        for row in &rows {
            projects.insert(row.project_id);
            if row.open {
                self.predict_task(ctx, row, &mut emitted);
            }
        }
        for project in projects {
            self.forecast_project(ctx, project, &mut emitted).await?;
        }
        let count = emit::append(&ctx.pool, "predictor", emitted).await?;
        if let Some(top) = rows.iter().map(|r| r.seq).max() {
            self.seq = self.seq.max(top);
        }
        ctx.metrics.feature_seq.set(self.seq);
        ctx.metrics.feature_head.set(head.max(self.seq));
        Ok(Step {
            rows: rows.len(),
            emitted: count,
            reloaded,
        })
    }

    fn predict_task(&mut self, ctx: &PredictorContext, row: &StoredTask, out: &mut Vec<Emitted>) {
        let started = Instant::now();
        let context = &row.context;
        let from = context.started_at.unwrap_or(row.as_of);
        let hours_to_due = context
            .due_date
            .map(|due| (due - from).num_seconds() as f64 / 3600.0);
        let prediction = match self.model.predict(&row.features, hours_to_due) {
            Ok(prediction) => prediction,
            Err(error) => {
                tracing::warn!(task = %row.task_id, %error, "no prediction for a task");
                return;
            }
        };
        ctx.metrics.latency.observe(started.elapsed().as_secs_f64());
        let task_id = TaskId(row.task_id);
        let project_id = ProjectId(row.project_id);
        let seq = row.seq.to_string();

        let forecast = TaskForecasted {
            task_id,
            project_id,
            duration_hours_p50: round2(prediction.p50_hours),
            duration_hours_p90: round2(prediction.p90_hours),
            expected_finish_p50: finish(from, prediction.p50_hours, row.as_of),
            expected_finish_p90: finish(from, prediction.p90_hours, row.as_of),
            model_version: self.model_version.clone(),
            as_of: row.as_of,
        };
        if self
            .said
            .forecasts
            .get(&row.task_id)
            .is_none_or(|before| forecast_moved(before, &forecast))
        {
            out.push(Emitted {
                event_id: emit::event_id(&[
                    "forecast",
                    &row.task_id.to_string(),
                    &self.model_version,
                    &seq,
                ]),
                event: Event::TaskForecasted(forecast.clone()),
                occurred_at: row.as_of,
            });
            ctx.metrics.made.with_label_values(&["forecast"]).inc();
            self.said.forecasts.insert(row.task_id, forecast);
        }

        if let Some(probability) = prediction.late_probability {
            let risk = TaskRiskAssessed {
                task_id,
                project_id,
                late_probability: round3(probability),
                factors: prediction
                    .factors
                    .iter()
                    .map(|f| RiskFactor {
                        name: f.name.clone(),
                        contribution: round3(f.contribution),
                    })
                    .collect(),
                model_version: self.model_version.clone(),
                as_of: row.as_of,
            };
            if self
                .said
                .risks
                .get(&row.task_id)
                .is_none_or(|before| risk_moved(before, &risk))
            {
                out.push(Emitted {
                    event_id: emit::event_id(&[
                        "risk",
                        &row.task_id.to_string(),
                        &self.model_version,
                        &seq,
                    ]),
                    event: Event::TaskRiskAssessed(risk.clone()),
                    occurred_at: row.as_of,
                });
                ctx.metrics.made.with_label_values(&["risk"]).inc();
                self.said.risks.insert(row.task_id, risk);
            }
        }

        if context.assignee.is_none() && !row.candidates.is_empty() {
            self.recommend(ctx, row, out);
        }
    }

    /// A candidate's queued task as the ranking weighs it: the hours left by its latest forecast
    /// (its p50 less the time since its start), or by its estimate at the member's capacity
    /// before it has one.
    fn queued_work(
        &self,
        task: &QueuedTask,
        capacity_hours_per_week: f64,
        as_of: DateTime<Utc>,
    ) -> QueuedWork {
        let total = self.said.forecasts.get(&task.task_id).map_or_else(
            || crate::hours_at_capacity(task.estimate_hours, capacity_hours_per_week),
            |forecast| forecast.duration_hours_p50,
        );
        let since_start = task.started_at.map_or(0.0, |at| {
            (as_of - at).num_milliseconds() as f64 / 3_600_000.0
        });
        QueuedWork {
            priority: task.priority,
            due: task.due_date,
            started: task.started_at.is_some(),
            hours_left: (total - since_start.max(0.0)).max(0.0),
        }
    }

    fn recommend(&mut self, ctx: &PredictorContext, row: &StoredTask, out: &mut Vec<Emitted>) {
        let candidates = row
            .candidates
            .iter()
            .filter_map(|c| {
                let predicted = self.model.predict(&c.features, None).ok()?.p50_hours;
                Some(crate::AssignmentCandidate {
                    member: c.member_id,
                    capacity_hours_per_week: c.capacity_hours_per_week,
                    queued_open_hours: c.queued_open_hours,
                    queue: c
                        .queue
                        .iter()
                        .map(|q| self.queued_work(q, c.capacity_hours_per_week, row.as_of))
                        .collect(),
                    predicted_hours: predicted,
                    skill_match: c.skill_match,
                })
            })
            .collect();
        let ranked = crate::rank_members(&AssignmentRequest {
            as_of: row.as_of,
            estimate_hours: row.context.estimate_hours,
            priority: row.context.priority,
            due: row.context.due_date,
            candidates,
        });
        if ranked.is_empty() {
            return;
        }
        let recommendation = AssignmentRecommended {
            task_id: TaskId(row.task_id),
            project_id: ProjectId(row.project_id),
            candidates: ranked
                .iter()
                .map(|r| Candidate {
                    member_id: domain::MemberId(r.member),
                    expected_finish: r.expected_finish,
                    predicted_duration_hours: round2(r.predicted_hours),
                    skill_match: round3(r.skill_match),
                    load_after: round3(r.load_after),
                    expected_hours_late: round2(r.expected_hours_late),
                })
                .collect(),
            model_version: self.model_version.clone(),
            as_of: row.as_of,
        };
        let order = |r: &AssignmentRecommended| -> Vec<Uuid> {
            r.candidates.iter().map(|c| c.member_id.0).collect()
        };
        let moved = self
            .said
            .recommendations
            .get(&row.task_id)
            .is_none_or(|before| {
                order(before) != order(&recommendation)
                    || before.model_version != recommendation.model_version
            });
        if moved {
            out.push(Emitted {
                event_id: emit::event_id(&[
                    "assignment",
                    &row.task_id.to_string(),
                    &self.model_version,
                    &row.seq.to_string(),
                ]),
                event: Event::AssignmentRecommended(recommendation.clone()),
                occurred_at: row.as_of,
            });
            ctx.metrics.made.with_label_values(&["assignment"]).inc();
            self.said
                .recommendations
                .insert(row.task_id, recommendation);
        }
    }

    async fn forecast_project(
        &mut self,
        ctx: &PredictorContext,
        project: Uuid,
        out: &mut Vec<Emitted>,
    ) -> anyhow::Result<()> {
        let Some(context) = features::store::project_context(&ctx.features, project).await? else {
            return Ok(());
        };
        let tasks = features::store::open_tasks_of_project(&ctx.features, project).await?;
        let Some(as_of) = tasks.iter().map(|t| t.as_of).max() else {
            return Ok(());
        };
        let Some(forecast) = self.monte_carlo(ctx, project, &context, &tasks, as_of)? else {
            return Ok(());
        };
        let moved = self
            .said
            .projects
            .get(&project)
            .is_none_or(|before| project_moved(before, &forecast));
        if moved {
            let key = format!("{}", forecast.as_of.timestamp());
            out.push(Emitted {
                event_id: emit::event_id(&[
                    "project",
                    &project.to_string(),
                    &self.model_version,
                    &key,
                    &tasks.len().to_string(),
                ]),
                event: Event::ProjectForecasted(forecast.clone()),
                occurred_at: as_of,
            });
            ctx.metrics.made.with_label_values(&["project"]).inc();
            self.said.projects.insert(project, forecast);
        }
        Ok(())
    }

    fn monte_carlo(
        &self,
        ctx: &PredictorContext,
        project: Uuid,
        context: &ProjectContext,
        tasks: &[StoredTask],
        as_of: DateTime<Utc>,
    ) -> anyhow::Result<Option<ProjectForecasted>> {
        let open: BTreeSet<Uuid> = tasks.iter().map(|t| t.task_id).collect();
        let remaining: Vec<RemainingTask> = tasks
            .iter()
            .map(|t| RemainingTask {
                id: t.task_id,
                milestone: t.context.milestone_id,
                depends_on: t
                    .context
                    .depends_on
                    .iter()
                    .copied()
                    .filter(|d| open.contains(d))
                    .collect(),
                assignee: t.context.assignee,
                already_elapsed_hours: t.context.started_at.map_or(0.0, |s| {
                    let elapsed = (as_of - s).num_seconds() as f64 / 3600.0;
                    self.model.hours_run(&t.features, elapsed)
                }),
            })
            .collect();
        let rows: Vec<Vec<f64>> = tasks.iter().map(|t| t.features.clone()).collect();
        let open_milestones: Vec<_> = context.milestones.iter().filter(|m| !m.completed).collect();
        let input = ForecastInput {
            tasks: remaining,
            members: context
                .members
                .iter()
                .map(|m| {
                    let here: f64 = tasks
                        .iter()
                        .filter(|t| t.context.assignee == Some(m.member_id))
                        .map(|t| t.context.estimate_hours)
                        .sum();
                    Member::in_project(
                        m.member_id,
                        m.capacity_hours_per_week,
                        here,
                        m.queued_open_hours,
                    )
                })
                .collect(),
            milestones: open_milestones
                .iter()
                .map(|m| Milestone {
                    id: m.milestone_id,
                    due: Some(end_of_day(m.due_date)),
                })
                .collect(),
            as_of,
            deadline: context.deadline.map(end_of_day),
            runs: ctx.config.runs,
            seed: project.as_u64_pair().0,
            working_hours: self.model.working_hours(),
            scope_growth: self.model.scope_growth_at(context.start_date, as_of),
        };
        let result = match self.model.forecast_completion(&input, &rows)? {
            Ok(result) => result,
            Err(error) => {
                // A dependency cycle: no forecast can be made until it is broken.
                tracing::info!(%project, %error, "no completion forecast for a project");
                return Ok(None);
            }
        };
        let due_of: BTreeMap<Uuid, NaiveDate> = open_milestones
            .iter()
            .map(|m| (m.milestone_id, m.due_date))
            .collect();
        Ok(Some(ProjectForecasted {
            project_id: ProjectId(project),
            deadline: context.deadline,
            forecast: completion(&result.completion, result.health),
            milestones: result
                .milestones
                .iter()
                .filter_map(|m| {
                    Some(MilestoneOut {
                        milestone_id: MilestoneId(m.milestone),
                        due_date: *due_of.get(&m.milestone)?,
                        forecast: completion(&m.completion, m.health),
                    })
                })
                .collect(),
            remaining_tasks: u32::try_from(tasks.len()).unwrap_or(u32::MAX),
            runs: u32::try_from(result.runs).unwrap_or(u32::MAX),
            model_version: self.model_version.clone(),
            as_of,
        }))
    }
}

/// The promoted model's test metrics as gauges; a failure to read them only costs the gauges.
async fn export_model_metrics(ctx: &PredictorContext) {
    let metrics = match registry::active_metrics(&ctx.pool).await {
        Ok(metrics) => metrics.unwrap_or_default(),
        Err(error) => {
            tracing::warn!(error = %format!("{error:#}"), "reading the active model's metrics failed");
            return;
        }
    };
    let value = |name: &str| metrics.get(name).and_then(|v| v.as_f64()).unwrap_or(0.0);
    let m = &ctx.metrics;
    m.model_mae_hours.set(value("mae_hours"));
    m.model_p90_coverage.set(value("p90_coverage"));
    m.model_risk_auc.set(value("risk_auc"));
    m.model_risk_brier.set(value("risk_brier"));
}

fn completion(p: &monte_carlo::Percentiles, health: Health) -> Completion {
    Completion {
        p50: p.p50,
        p85: p.p85,
        p95: p.p95,
        health: match health {
            Health::OnTrack => ForecastHealth::OnTrack,
            Health::AtRisk => ForecastHealth::AtRisk,
            Health::OffTrack => ForecastHealth::OffTrack,
        },
    }
}

fn end_of_day(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(23, 59, 59).unwrap_or_default().and_utc()
}

/// The expected finish of a run from `from` lasting `hours`, never before the present.
fn finish(from: DateTime<Utc>, hours: f64, as_of: DateTime<Utc>) -> DateTime<Utc> {
    let at = from + Span::seconds((hours * 3600.0) as i64);
    at.max(as_of)
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

fn relative(a: f64, b: f64) -> f64 {
    (a - b).abs() / a.abs().max(b.abs()).max(1e-9)
}

/// Material change of a duration forecast: another model, 5% on p50 or p90, or half a day on
/// the expected finish.
fn forecast_moved(before: &TaskForecasted, now: &TaskForecasted) -> bool {
    before.model_version != now.model_version
        || relative(before.duration_hours_p50, now.duration_hours_p50) > 0.05
        || relative(before.duration_hours_p90, now.duration_hours_p90) > 0.05
        || (before.expected_finish_p50 - now.expected_finish_p50)
            .num_hours()
            .abs()
            >= 12
}

/// Material change of a risk: another model or three points of probability.
fn risk_moved(before: &TaskRiskAssessed, now: &TaskRiskAssessed) -> bool {
    before.model_version != now.model_version
        || (before.late_probability - now.late_probability).abs() >= 0.03
}

/// Material change of a project forecast: another model, health or remaining work, or half a
/// day on any percentile.
fn project_moved(before: &ProjectForecasted, now: &ProjectForecasted) -> bool {
    let far = |a: DateTime<Utc>, b: DateTime<Utc>| (a - b).num_hours().abs() >= 12;
    before.model_version != now.model_version
        || before.forecast.health != now.forecast.health
        || before.remaining_tasks != now.remaining_tasks
        || far(before.forecast.p50, now.forecast.p50)
        || far(before.forecast.p85, now.forecast.p85)
        || far(before.forecast.p95, now.forecast.p95)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forecast(p50: f64, finish_hours: i64, model: &str) -> TaskForecasted {
        let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        TaskForecasted {
            task_id: TaskId(Uuid::nil()),
            project_id: ProjectId(Uuid::nil()),
            duration_hours_p50: p50,
            duration_hours_p90: p50 * 2.0,
            expected_finish_p50: at + Span::hours(finish_hours),
            expected_finish_p90: at + Span::hours(finish_hours * 2),
            model_version: model.into(),
            as_of: at,
        }
    }

    #[test]
    fn a_forecast_is_emitted_again_only_on_a_material_change() {
        let before = forecast(20.0, 20, "1");
        assert!(
            !forecast_moved(&before, &forecast(20.5, 21, "1")),
            "2.5% and an hour"
        );
        assert!(
            forecast_moved(&before, &forecast(22.0, 22, "1")),
            "10% on p50"
        );
        assert!(
            forecast_moved(&before, &forecast(20.0, 40, "1")),
            "20 hours later"
        );
        assert!(
            forecast_moved(&before, &forecast(20.0, 20, "2")),
            "another model"
        );
    }

    #[test]
    fn the_expected_finish_is_never_in_the_past() {
        let now = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        let started = now - Span::hours(100);
        assert_eq!(finish(started, 30.0, now), now);
        assert_eq!(
            finish(started, 130.5, now),
            now + Span::minutes(30 * 60 + 30)
        );
    }
}
