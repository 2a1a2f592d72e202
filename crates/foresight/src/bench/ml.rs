//! `foresight bench ml`: the models' quality and speed on a simulated log, in one table.
//!
//! A seeded simulation of `--log-events` events, with a fixed present, is decided and appended
//! to the log; `train` replays it (timed: the retraining target) and trains the candidates; the
//! simulator's truth gives the floor (the MAE of the true conditional median); scikit-learn's
//! random forest is trained and tested on the same exported rows (`bench/sklearn/run.sh`, its
//! own virtual environment); the chosen model's prediction latency is measured row by row. A
//! second table backtests the Monte Carlo completion forecast on held-out projects
//! (`monte_carlo_backtest`).

use std::collections::HashMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use uuid::Uuid;

use super::table::Table;
use super::{BenchOptions, quantile};
use crate::config::Config;

const SEED: u64 = 7;

/// The simulated present: fixed, so the same seed gives the same log and a run's quality
/// figures repeat (a present of now moves the weekdays and hours the history falls on).
fn present() -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone as _;
    chrono::Utc
        .with_ymd_and_hms(2026, 6, 3, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let pool = store::connect(&config.connect_options("bench")).await?;
    let generated = Instant::now();
    let simulation = simulate::simulate(&simulate::SimConfig::new(
        SEED,
        options.log_events,
        present(),
    ));
    let generate_seconds = generated.elapsed().as_secs_f64();
    let truth: HashMap<Uuid, simulate::TruthRow> = simulation
        .truth
        .iter()
        .map(|row| (row.task_id, row.clone()))
        .collect();
    let played = crate::simulate::play_direct(&pool, simulation).await?;
    println!(
        "simulated {} commands in {generate_seconds:.1} s, decided and appended in {:.1} s ({} rejected)",
        played.accepted + played.rejected,
        played.seconds,
        played.rejected
    );
    drop(played);

    let mut trained = crate::train::train(&pool).await?;
    let report = &trained.report;
    let dataset = &trained.dataset;
    let config_used = predictor::TrainConfig::default();
    let split = dataset.time_split(config_used.test_share, config_used.calibration_share);

    // The floor and the models on the same test runs: those the truth describes alone (a run
    // that was not reopened, whose duration is the truth's actual duration).
    let mut floor_rows = Vec::new();
    let mut floor_errors = Vec::new();
    for &row in &split.test {
        let (task, started) = trained.runs[row];
        if let Some(t) = truth.get(&task)
            && !t.reopened
            && t.started_at == started
            && t.actual_hours.is_some()
        {
            floor_rows.push(row);
            floor_errors.push((dataset.duration_hours[row] - t.expected_hours).abs());
        }
    }
    let floor = mean(&floor_errors);
    let chosen_mae = predictor::evaluation::duration_mae(&report.chosen, dataset, &floor_rows);
    let names: Vec<String> = dataset.names.clone();
    let baseline = predictor::FittedModel::baseline(names, dataset.schema_hash.clone())?;
    let baseline_mae = predictor::evaluation::duration_mae(&baseline, dataset, &floor_rows);

    // scikit-learn on the same rows.
    let sklearn = sklearn_forest(dataset, &split, &config_used).await;

    // Prediction latency, one row at a time as the worker predicts.
    let mut latencies = Vec::with_capacity(split.test.len().min(20_000));
    for &row in split.test.iter().take(20_000) {
        let started = Instant::now();
        report
            .chosen
            .predict(dataset.row(row), dataset.hours_to_due[row])?;
        latencies.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    latencies.sort_by(f64::total_cmp);

    let mut candidates = Table::new(&[
        "candidate",
        "kind",
        "MAE h (all test runs)",
        "RMSE h",
        "p90 coverage",
        "risk AUC",
        "Brier",
        "train s",
    ]);
    for c in &report.candidates {
        candidates.row(vec![
            c.name.clone(),
            format!("{:?}", c.kind).to_lowercase(),
            fmt(c.mae, 2),
            fmt(c.rmse, 2),
            fmt(c.p90_coverage, 3),
            fmt(c.risk_auc, 3),
            fmt(c.risk_brier, 3),
            format!("{:.2}", c.train_seconds),
        ]);
    }
    candidates.print(&format!(
        "bench ml: candidates on the latest {} of {} completed runs (fit {}, calibration {})",
        report.split.test, dataset.rows, report.split.fit, report.split.calibration
    ));

    let chosen = report.chosen.describe();
    let (duration_name, risk_name) = chosen.split_once('/').unwrap_or((chosen.as_str(), ""));
    let metric = |kind: predictor::CandidateKind,
                  name: &str,
                  pick: fn(&predictor::CandidateReport) -> Option<f64>| {
        report
            .candidates
            .iter()
            .find(|c| c.kind == kind && c.name == name)
            .and_then(pick)
    };
    let coverage = metric(predictor::CandidateKind::Duration, duration_name, |c| {
        c.p90_coverage
    });
    let auc = metric(predictor::CandidateKind::Risk, risk_name, |c| c.risk_auc);
    let forest_seconds = metric(predictor::CandidateKind::Duration, "forest", |c| {
        Some(c.train_seconds)
    });

    let mut table = Table::new(&["measure", "value", "target"]);
    table.row(vec![
        "test runs the truth describes alone".into(),
        floor_rows.len().to_string(),
        String::new(),
    ]);
    table.row(vec![
        "MAE of the true expected duration (floor), h".into(),
        fmt(floor, 2),
        String::new(),
    ]);
    table.row(vec![
        "MAE of the untrained baseline, h".into(),
        fmt(baseline_mae, 2),
        String::new(),
    ]);
    table.row(vec![
        format!("MAE of the chosen model ({chosen}), h"),
        fmt(chosen_mae, 2),
        "within 15% of the floor".into(),
    ]);
    table.row(vec![
        "chosen MAE / floor".into(),
        fmt(ratio(chosen_mae, floor), 3),
        "<= 1.15".into(),
    ]);
    match &sklearn {
        Ok(s) => {
            table.row(vec![
                "scikit-learn RandomForestRegressor MAE (all test runs), h".into(),
                format!("{:.2}", s.mae),
                String::new(),
            ]);
            table.row(vec![
                "chosen MAE (all test runs) vs scikit-learn".into(),
                fmt(
                    ratio(
                        metric(predictor::CandidateKind::Duration, duration_name, |c| c.mae),
                        Some(s.mae),
                    ),
                    3,
                ),
                "<= 1.00".into(),
            ]);
            table.row(vec![
                "scikit-learn forest training s (2 cores)".into(),
                format!("{:.2}", s.train_seconds),
                String::new(),
            ]);
            table.row(vec![
                "our forest training s (1 core) vs scikit-learn".into(),
                fmt(ratio(forest_seconds, Some(s.train_seconds)), 3),
                "<= 1.00".into(),
            ]);
        }
        Err(error) => table.row(vec![
            "scikit-learn".into(),
            format!("unavailable: {error:#}"),
            String::new(),
        ]),
    }
    table.row(vec![
        "p90 coverage".into(),
        fmt(coverage, 3),
        "0.85 .. 0.95".into(),
    ]);
    table.row(vec!["risk AUC".into(), fmt(auc, 3), ">= 0.80".into()]);
    table.row(vec![
        format!(
            "retraining from the log ({} events): replay + fit, s",
            trained.events
        ),
        format!(
            "{:.1} ({:.1} + {:.1})",
            trained.replay_seconds + trained.train_seconds,
            trained.replay_seconds,
            trained.train_seconds
        ),
        "< 60".into(),
    ]);
    table.row(vec![
        "prediction p50 / p99 ms".into(),
        format!(
            "{:.3} / {:.3}",
            quantile(&latencies, 0.5),
            quantile(&latencies, 0.99)
        ),
        "p99 < 5".into(),
    ]);
    table.print("bench ml: quality and speed");
    monte_carlo_backtest(&mut trained)?;
    pool.close().await;

    // The prediction worker under load, on a log of its own (`--commands` commands).
    let lag_config = config.with_namespace(
        domain::Namespace::new(&format!("{}_lag", config.namespace))
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
    );
    let lag = super::prediction_lag::run(&lag_config, options.commands).await;
    super::remove_namespace(&lag_config).await?;
    lag?.print(&format!(
        "bench ml: the prediction worker while {} simulated commands go through the whole path at full speed",
        options.commands
    ));
    super::assignment::run(SEED, options.log_events)?;
    Ok(())
}

/// Held-out projects of the Monte Carlo backtest, at most.
const BACKTEST_PROJECTS: usize = 200;
/// Monte Carlo runs per backtest forecast.
const BACKTEST_RUNS: usize = 300;

/// The Monte Carlo P85 coverage over held-out projects: those whose last task completed in the
/// test period of the time split, forecast with the chosen model as of 25%, 50% and 75% of
/// their elapsed time from the log `train` replayed; and, as baselines, the same without the
/// forecast's calibration, and without the scope growth too.
fn monte_carlo_backtest(trained: &mut crate::train::Trained) -> anyhow::Result<()> {
    use predictor::project_backtest::{self, FRACTIONS};

    let started = Instant::now();
    let events = std::mem::take(&mut trained.logged);
    let mut completed: Vec<_> = project_backtest::completed_projects(&events)
        .into_iter()
        .filter(|(_, span)| span.completion >= trained.test_start)
        .collect();
    completed.sort_by_key(|(project, span)| (span.completion, project.0));
    let held_out: std::collections::HashSet<domain::ProjectId> = completed
        .iter()
        .take(BACKTEST_PROJECTS)
        .map(|(project, _)| *project)
        .collect();
    let result = project_backtest::backtest_projects(
        &events,
        &trained.report.chosen,
        &held_out,
        &FRACTIONS,
        BACKTEST_RUNS,
        0,
    )?;
    let seconds = started.elapsed().as_secs_f64();
    // The baselines, on the same projects: the forecast without its calibration, then also
    // without the scope growth.
    let model = &mut trained.report.chosen;
    let scale = model.completion_scale.take();
    let uncalibrated = project_backtest::backtest_projects(
        &events,
        model,
        &held_out,
        &FRACTIONS,
        BACKTEST_RUNS,
        0,
    );
    let growth = std::mem::take(&mut model.scope_growth);
    let bare = project_backtest::backtest_projects(
        &events,
        model,
        &held_out,
        &FRACTIONS,
        BACKTEST_RUNS,
        0,
    );
    (model.completion_scale, model.scope_growth) = (scale, growth);
    let baselines = [
        ("without calibration", uncalibrated?),
        ("without calibration or scope growth", bare?),
    ];

    let shares = |r: Option<&predictor::BacktestReport>| {
        three(
            r.map(|r| [r.share_by_p50, r.share_by_p85, r.share_by_p95]),
            3,
        )
    };
    let pinball = |r: Option<&predictor::BacktestReport>| {
        three(
            r.map(|r| [r.pinball_p50_days, r.pinball_p85_days, r.pinball_p95_days]),
            2,
        )
    };
    let overall = result.overall.as_ref();
    let mut table = Table::new(&["measure", "value", "target"]);
    table.row(vec![
        format!(
            "held-out projects completed in the test period (of {})",
            completed.len()
        ),
        result.projects.to_string(),
        format!("<= {BACKTEST_PROJECTS}"),
    ]);
    table.row(vec![
        "cases (no open task: skipped)".into(),
        format!("{} ({})", result.cases, result.skipped),
        String::new(),
    ]);
    table.row(vec![
        "share of completions at or before P50 / P85 / P95, all".into(),
        shares(overall),
        String::new(),
    ]);
    for fraction in &result.by_fraction {
        let report = fraction.report.as_ref();
        table.row(vec![
            format!(
                "  as of {:.0}% of elapsed time ({} cases)",
                fraction.fraction * 100.0,
                report.map_or(0, |r| r.cases)
            ),
            shares(report),
            String::new(),
        ]);
    }
    table.row(vec![
        "median P95 - P50 width, days".into(),
        fmt(overall.map(|r| r.median_width_days), 2),
        String::new(),
    ]);
    table.row(vec![
        "pinball loss P50 / P85 / P95, days".into(),
        pinball(overall),
        String::new(),
    ]);
    table.row(vec![
        "P85 coverage".into(),
        fmt(overall.map(|r| r.share_by_p85), 3),
        "0.75 .. 0.92".into(),
    ]);
    match &trained.report.chosen.completion_scale {
        None => table.row(vec![
            "calibration".into(),
            "none (too few projects)".into(),
            String::new(),
        ]),
        Some(scale) => {
            for (horizon, f) in scale.by_horizon() {
                table.row(vec![
                    format!("calibration factors P50 / P85 / P95, {horizon}"),
                    three(Some([f.p50, f.p85, f.p95]), 2),
                    String::new(),
                ]);
            }
        }
    }
    for (name, baseline) in &baselines {
        table.row(vec![
            format!("{name}: shares, all"),
            shares(baseline.overall.as_ref()),
            String::new(),
        ]);
        for fraction in &baseline.by_fraction {
            table.row(vec![
                format!("  as of {:.0}% of elapsed time", fraction.fraction * 100.0),
                shares(fraction.report.as_ref()),
                String::new(),
            ]);
        }
        table.row(vec![
            format!("{name}: pinball, days"),
            pinball(baseline.overall.as_ref()),
            String::new(),
        ]);
    }
    table.print(&format!(
        "bench ml: Monte Carlo backtest over held-out projects ({} events replayed, {BACKTEST_RUNS} runs, {seconds:.1} s)",
        events.len()
    ));
    Ok(())
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

/// "a / b / c", or "-".
fn three(values: Option<[f64; 3]>, decimals: usize) -> String {
    values.map_or_else(
        || "-".into(),
        |[a, b, c]| format!("{a:.decimals$} / {b:.decimals$} / {c:.decimals$}"),
    )
}

fn fmt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".into(), |v| format!("{v:.decimals$}"))
}

struct Sklearn {
    mae: f64,
    train_seconds: f64,
}

/// Exports the training rows (fit and calibration) and the test rows, and runs scikit-learn's
/// forest with the Rust forest's settings on them.
async fn sklearn_forest(
    dataset: &predictor::Dataset,
    split: &predictor::TimeSplit,
    config: &predictor::TrainConfig,
) -> anyhow::Result<Sklearn> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/sklearn/run.sh");
    anyhow::ensure!(script.exists(), "{} is missing", script.display());
    let dir = std::env::temp_dir().join(format!("foresight-ml-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let train_rows: Vec<usize> = split
        .fit
        .iter()
        .chain(&split.calibration)
        .copied()
        .collect();
    let (train_csv, test_csv) = (dir.join("train.csv"), dir.join("test.csv"));
    write_csv(&train_csv, dataset, &train_rows)?;
    write_csv(&test_csv, dataset, &split.test)?;
    let forest = &config.duration_forest;
    let mut command = std::process::Command::new(&script);
    command
        .arg(&train_csv)
        .arg(&test_csv)
        .arg(forest.n_trees.to_string())
        .arg(forest.max_depth.to_string())
        .arg(forest.min_samples_leaf.to_string())
        .arg(forest.max_rows.unwrap_or(usize::MAX / 2).to_string());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await?
        .context("running bench/sklearn/run.sh")?;
    let _ = std::fs::remove_dir_all(&dir);
    anyhow::ensure!(
        output.status.success(),
        "scikit-learn failed: {}",
        String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .unwrap_or_default()
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    Ok(Sklearn {
        mae: answer["mae"].as_f64().context("no mae")?,
        train_seconds: answer["train_seconds"]
            .as_f64()
            .context("no train_seconds")?,
    })
}

fn write_csv(
    path: &std::path::Path,
    dataset: &predictor::Dataset,
    rows: &[usize],
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "{},duration_hours", dataset.names.join(","))?;
    for &row in rows {
        let values: Vec<String> = dataset.row(row).iter().map(|v| v.to_string()).collect();
        writeln!(out, "{},{}", values.join(","), dataset.duration_hours[row])?;
    }
    out.flush()?;
    Ok(())
}
