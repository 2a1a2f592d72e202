//! `foresight train` and `foresight models`: replay the log into a point-in-time dataset with
//! the feature function the worker uses, train the candidates, register the chosen model, and
//! promote it only if it beats the active model on the same test rows.

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use domain::{Event, ModelPromoted, ModelTrained, ProjectId};
use features::{Sample, TrainingLog};
use predictor::completion_scale::CompletionScale;
use predictor::emit::{self, Emitted};
use predictor::project_backtest;
use predictor::registry::{self, NewModel};
use predictor::scope::ScopeHistory;
use predictor::{Dataset, TrainConfig, TrainingReport};
use serde_json::json;
use store::Position;

use crate::config::Config;

/// Events read per round trip while replaying.
const PAGE: i64 = 20_000;
/// Projects the completion forecast is calibrated on, and the runs of each forecast.
const CALIBRATION_PROJECTS: usize = 200;
const CALIBRATION_RUNS: usize = 300;
/// Mixed into each project's seed: other draws than the prediction worker's.
const CALIBRATION_SEED: u64 = 0x6361_6c69_6272_6174;

/// What a training run did.
pub struct Trained {
    pub report: TrainingReport,
    pub dataset: Dataset,
    /// The run behind each dataset row: task id and start.
    pub runs: Vec<(uuid::Uuid, chrono::DateTime<Utc>)>,
    pub version: i64,
    pub promoted: bool,
    pub candidate_mae: Option<f64>,
    pub active_mae: Option<f64>,
    pub events: u64,
    /// When the test period of the time split begins: what completed before it is the
    /// past the model learned from.
    pub test_start: DateTime<Utc>,
    /// The log replayed: every event with its business time, in commit order.
    pub logged: Vec<(Event, DateTime<Utc>)>,
    pub replay_seconds: f64,
    pub train_seconds: f64,
}

/// The whole log, read once in commit order.
pub struct Replayed {
    /// Through the training fold.
    pub log: TrainingLog,
    /// Each project's tasks, for the scope growth.
    pub scope: ScopeHistory,
    /// Every event with its business time, for the calibration of the completion forecast.
    pub logged: Vec<(Event, DateTime<Utc>)>,
    /// The last position read.
    pub position: Position,
}

/// The whole log, in commit order, through the training fold and the scope history.
pub async fn replay_log(pool: &sqlx::PgPool) -> anyhow::Result<Replayed> {
    let mut log = TrainingLog::new();
    let mut scope = ScopeHistory::default();
    let mut all = Vec::new();
    let mut position = Position::START;
    loop {
        let page = store::read_after(pool, position, PAGE).await?;
        let Some(last) = page.last().map(store::RecordedEvent::position) else {
            break;
        };
        for recorded in consumer::decode(page)? {
            log.observe(
                &recorded.event,
                recorded.recorded.occurred_at,
                recorded.recorded.global_position,
            );
            scope.observe(&recorded.event, recorded.recorded.occurred_at);
            all.push((recorded.event, recorded.recorded.occurred_at));
        }
        position = last;
    }
    Ok(Replayed {
        log,
        scope,
        logged: all,
        position,
    })
}

/// The calibration of the completion forecast (`predictor::completion_scale`), from backtests
/// of `model`'s forecasts of the latest projects to complete before `test_start`.
fn completion_scale(
    events: &[(Event, DateTime<Utc>)],
    model: &predictor::FittedModel,
    test_start: DateTime<Utc>,
) -> anyhow::Result<Option<CompletionScale>> {
    let mut before: Vec<_> = project_backtest::completed_projects(events)
        .into_iter()
        .filter(|(_, span)| span.completion < test_start)
        .collect();
    before.sort_by_key(|(project, span)| (std::cmp::Reverse(span.completion), project.0));
    let projects: HashSet<ProjectId> = before
        .iter()
        .take(CALIBRATION_PROJECTS)
        .map(|(project, _)| *project)
        .collect();
    if projects.is_empty() {
        return Ok(None);
    }
    let result = project_backtest::backtest_projects(
        events,
        model,
        &projects,
        &project_backtest::FRACTIONS,
        CALIBRATION_RUNS,
        CALIBRATION_SEED,
    )?;
    Ok(CompletionScale::learn(
        result.forecasts.iter().map(|f| (f.as_of, &f.case)),
    ))
}

/// Weeks of project age with a scope growth learned.
fn scope_weeks(model: &predictor::FittedModel) -> usize {
    model
        .scope_growth
        .by_age_week
        .iter()
        .filter(|week| !week.is_empty())
        .count()
}

/// Training rows from completed runs, in completion order (the time split's order), with the
/// run (task id and start) behind each row.
pub fn dataset_of_runs(samples: &[Sample]) -> (Dataset, Vec<(uuid::Uuid, chrono::DateTime<Utc>)>) {
    let names: Vec<String> = features::FEATURE_NAMES
        .iter()
        .map(|n| (*n).to_owned())
        .collect();
    let cols = names.len();
    let mut ordered: Vec<&Sample> = samples.iter().collect();
    ordered.sort_by_key(|s| (s.completed_at, s.completed_position));
    let mut x = Vec::with_capacity(ordered.len() * cols);
    for sample in &ordered {
        x.extend_from_slice(&sample.features.0);
    }
    let runs = ordered
        .iter()
        .map(|s| (s.task_id.0, s.started_at))
        .collect();
    let dataset = Dataset {
        names,
        schema_hash: features::schema_hash(),
        rows: ordered.len(),
        cols,
        x,
        duration_hours: ordered.iter().map(|s| s.duration_hours).collect(),
        late: ordered.iter().map(|s| s.late).collect(),
        hours_to_due: ordered.iter().map(|s| s.hours_to_due_at_start).collect(),
        time: ordered
            .iter()
            .map(|s| s.completed_at.timestamp_millis())
            .collect(),
    };
    (dataset, runs)
}

/// Replays, trains, registers and maybe promotes. The pool's search path is the namespace.
pub async fn train(pool: &sqlx::PgPool) -> anyhow::Result<Trained> {
    registry::ensure_registry(pool).await?;
    let started = Instant::now();
    let Replayed {
        log,
        scope,
        logged,
        position,
    } = replay_log(pool).await.context("replaying the log")?;
    let events = logged.len() as u64;
    let replay_seconds = started.elapsed().as_secs_f64();

    let trained_at = Instant::now();
    let (dataset, runs) = dataset_of_runs(log.samples());
    drop(log);
    let train_config = TrainConfig::default();
    let config_for_training = train_config.clone();
    let (report, dataset, logged, test_start) =
        tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut report = predictor::train(&dataset, &config_for_training)?;
            let split = dataset.time_split(
                config_for_training.test_share,
                config_for_training.calibration_share,
            );
            // From the projects complete before the test period, as the durations are learned
            // from the runs before it: the projects that complete in it stay held out.
            let test_start = split
                .test
                .first()
                .and_then(|&row| DateTime::from_timestamp_millis(dataset.time[row]))
                .unwrap_or_else(Utc::now);
            report.chosen.scope_growth = scope.learn(test_start);
            report.chosen.completion_scale = completion_scale(&logged, &report.chosen, test_start)?;
            Ok((report, dataset, logged, test_start))
        })
        .await??;
    let train_seconds = trained_at.elapsed().as_secs_f64();

    // The promotion rule: the candidate must beat the active model on the same test rows.
    let split = dataset.time_split(train_config.test_share, train_config.calibration_share);
    let candidate_mae = predictor::evaluation::duration_mae(&report.chosen, &dataset, &split.test);
    let active = match registry::load_active(pool, &dataset.schema_hash).await {
        Ok(active) => active,
        Err(error) => {
            tracing::warn!(error = %format!("{error:#}"), "the active model cannot be used; a new one replaces it");
            None
        }
    };
    let active_mae = active
        .as_ref()
        .and_then(|(_, model)| predictor::evaluation::duration_mae(model, &dataset, &split.test));
    let promoted = match (active.as_ref(), candidate_mae, active_mae) {
        (None, _, _) => true,
        (Some(_), Some(candidate), Some(active)) => candidate < active,
        (Some(_), Some(_), None) => true,
        (Some(_), None, _) => false,
    };

    let metrics = metrics_of(&report, candidate_mae);
    let version = registry::register(
        pool,
        &NewModel {
            model: &report.chosen,
            metrics: json!({"chosen": metrics, "candidates": report.candidates}),
            parameters: json!({
                "test_share": train_config.test_share,
                "calibration_share": train_config.calibration_share,
                "split": report.split,
                "events": events,
                "samples": dataset.rows,
                "active_mae_hours": active_mae,
                "scope_growth_weeks": scope_weeks(&report.chosen),
                "completion_scale": report.chosen.completion_scale,
            }),
            training_position: position.global_position,
        },
    )
    .await?;
    let now = Utc::now();
    let mut emitted = vec![Emitted {
        event_id: emit::event_id(&["model.trained", &version.to_string()]),
        event: Event::ModelTrained(ModelTrained {
            model_version: version.to_string(),
            kind: report.chosen.describe(),
            metrics,
            training_position: position.global_position,
            feature_schema: dataset.schema_hash.clone(),
        }),
        occurred_at: now,
    }];
    if promoted {
        let previous = registry::promote(pool, version).await?;
        emitted.push(Emitted {
            event_id: emit::event_id(&["model.promoted", &version.to_string()]),
            event: Event::ModelPromoted(ModelPromoted {
                model_version: version.to_string(),
                previous_version: previous.map(|v| v.to_string()),
            }),
            occurred_at: now,
        });
    }
    emit::append(pool, "train", emitted).await?;
    Ok(Trained {
        report,
        dataset,
        runs,
        version,
        promoted,
        candidate_mae,
        active_mae,
        events,
        test_start,
        logged,
        replay_seconds,
        train_seconds,
    })
}

fn metrics_of(report: &TrainingReport, mae: Option<f64>) -> BTreeMap<String, f64> {
    let name = report.chosen.describe();
    let (duration, risk) = name.split_once('/').unwrap_or((name.as_str(), ""));
    let mut metrics = BTreeMap::new();
    for candidate in &report.candidates {
        let chosen_duration =
            candidate.kind == predictor::CandidateKind::Duration && candidate.name == duration;
        let chosen_risk =
            candidate.kind == predictor::CandidateKind::Risk && candidate.name == risk;
        if chosen_duration {
            metrics.extend(candidate.rmse.map(|v| ("rmse_hours".to_owned(), v)));
            metrics.extend(
                candidate
                    .p90_coverage
                    .map(|v| ("p90_coverage".to_owned(), v)),
            );
        }
        if chosen_risk {
            metrics.extend(candidate.risk_auc.map(|v| ("risk_auc".to_owned(), v)));
            metrics.extend(candidate.risk_brier.map(|v| ("risk_brier".to_owned(), v)));
        }
    }
    metrics.extend(mae.map(|v| ("mae_hours".to_owned(), v)));
    metrics
}

fn option(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"))
}

pub async fn run_train(config: &Config) -> anyhow::Result<()> {
    let pool = store::connect(&config.connect_options("train")).await?;
    let trained = train(&pool).await?;
    println!(
        "replayed {} events in {:.1} s; {} runs ({} fit, {} calibration, {} test); trained in {:.1} s",
        trained.events,
        trained.replay_seconds,
        trained.dataset.rows,
        trained.report.split.fit,
        trained.report.split.calibration,
        trained.report.split.test,
        trained.train_seconds
    );
    println!(
        "{:>12} | {:>8} | {:>8} | {:>8} | {:>12} | {:>8} | {:>8} | {:>9}",
        "candidate", "kind", "MAE h", "RMSE h", "p90 coverage", "risk AUC", "Brier", "seconds"
    );
    for c in &trained.report.candidates {
        println!(
            "{:>12} | {:>8} | {:>8} | {:>8} | {:>12} | {:>8} | {:>8} | {:>9.2}",
            c.name,
            format!("{:?}", c.kind).to_lowercase(),
            option(c.mae),
            option(c.rmse),
            option(c.p90_coverage),
            option(c.risk_auc),
            option(c.risk_brier),
            c.train_seconds
        );
    }
    println!(
        "completion forecast: scope growth learned for {} of {} weeks of age; calibration {}",
        scope_weeks(&trained.report.chosen),
        predictor::scope::AGE_WEEKS,
        trained.report.chosen.completion_scale.as_ref().map_or_else(
            || "none (too few completed projects)".to_owned(),
            |scale| {
                let stages: Vec<String> = scale
                    .by_horizon()
                    .iter()
                    .map(|(horizon, f)| {
                        format!("{horizon}: {:.2}/{:.2}/{:.2}", f.p50, f.p85, f.p95)
                    })
                    .collect();
                format!("factors P50/P85/P95 by horizon, {}", stages.join("; "))
            }
        )
    );
    println!(
        "model {} ({}): test MAE {} h against the active model's {} h: {}",
        trained.version,
        trained.report.chosen.describe(),
        option(trained.candidate_mae),
        option(trained.active_mae),
        if trained.promoted {
            "promoted"
        } else {
            "kept as a candidate"
        }
    );
    pool.close().await;
    Ok(())
}

pub async fn run_models(config: &Config) -> anyhow::Result<()> {
    let pool = store::connect(&config.connect_options("models")).await?;
    registry::ensure_registry(&pool).await?;
    let entries = registry::list(&pool).await?;
    println!(
        "{:>7} | {:>9} | {:>18} | {:>8} | {:>12} | {:>8} | {:>10} | {:<20}",
        "version", "status", "kind", "MAE h", "p90 coverage", "risk AUC", "position", "trained at"
    );
    for e in entries {
        let metric = |name: &str| e.metrics["chosen"][name].as_f64();
        println!(
            "{:>7} | {:>9} | {:>18} | {:>8} | {:>12} | {:>8} | {:>10} | {:<20}",
            e.version,
            e.status,
            e.kind,
            option(metric("mae_hours")),
            option(metric("p90_coverage")),
            option(metric("risk_auc")),
            e.training_position,
            e.trained_at.format("%Y-%m-%d %H:%M:%S")
        );
    }
    pool.close().await;
    Ok(())
}
