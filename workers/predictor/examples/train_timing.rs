//! Times training and prediction on a synthetic table (default: 60,000 × 30).
//! `cargo run --release -p predictor --example train_timing -- [rows] [cols] [csv path]`;
//! with a path, the table is also written as CSV for a comparison with other libraries.

use std::io::Write;
use std::time::Instant;

use predictor::duration::DurationModel;
use predictor::forest::{Forest, ForestConfig};
use predictor::risk::RiskModel;
use predictor::synthetic::task_table;
use predictor::{Dataset, FittedModel, TrainConfig, train};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let rows = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(60_000);
    let cols = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(30);
    let data = task_table(rows, cols, 1);
    if let Some(path) = args.get(3) {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        writeln!(out, "{},log_hours", data.names.join(","))?;
        for i in 0..rows {
            let row: Vec<String> = data.row(i).iter().map(f64::to_string).collect();
            writeln!(out, "{},{}", row.join(","), data.duration_hours[i].ln_1p())?;
        }
    }

    let log_hours: Vec<f64> = data.duration_hours.iter().map(|h| h.ln_1p()).collect();
    let config = ForestConfig::duration();
    let started = Instant::now();
    let forest = Forest::fit(&data.x, cols, &log_hours, &config).map_err(std::io::Error::other)?;
    println!(
        "forest alone on {rows}×{cols} ({} trees, depth {}, ≤{:?} rows): {:.2} s",
        config.n_trees,
        config.max_depth,
        config.max_rows,
        started.elapsed().as_secs_f64()
    );
    drop(forest);

    let started = Instant::now();
    let report = train(&data, &TrainConfig::default()).map_err(std::io::Error::other)?;
    println!(
        "train(): {:.2} s, split {:?}",
        started.elapsed().as_secs_f64(),
        report.split
    );
    for c in &report.candidates {
        println!(
            "  {:?} {:<12} mae {:>7} rmse {:>7} p90cov {:>6} auc {:>6} brier {:>6} fit {:.2} s {}",
            c.kind,
            c.name,
            show(c.mae),
            show(c.rmse),
            show(c.p90_coverage),
            show(c.risk_auc),
            show(c.risk_brier),
            c.train_seconds,
            c.failure.as_deref().unwrap_or("")
        );
    }
    let model = report.chosen;
    println!("chosen: {}", model.describe());

    time_predictions(&model, &data, "chosen")?;

    // The slowest combination, forest duration and forest risk, whatever was chosen.
    let mut model = model;
    let split = data.time_split(0.2, 0.25);
    let x = data.gather(&split.fit);
    let y: Vec<f64> = split.fit.iter().map(|&i| log_hours[i]).collect();
    model.duration = DurationModel::fit_forest(
        model.duration.baseline,
        model.duration.clock,
        &x,
        cols,
        &y,
        &config,
    )
    .map_err(std::io::Error::other)?;
    let log_p50 = model.duration.predict_log(&x, cols);
    let due: Vec<f64> = split
        .fit
        .iter()
        .map(|&i| data.hours_to_due[i].unwrap_or(0.0))
        .collect();
    let late: Vec<bool> = split
        .fit
        .iter()
        .map(|&i| data.late[i] == Some(true))
        .collect();
    model.risk = RiskModel::fit_forest(&x, cols, &log_p50, &due, &late, &ForestConfig::risk())
        .map_err(std::io::Error::other)?;
    time_predictions(&model, &data, "forest/forest")
}

fn time_predictions(model: &FittedModel, data: &Dataset, label: &str) -> std::io::Result<()> {
    let n = 1000.min(data.rows);
    let started = Instant::now();
    for i in 0..n {
        let p = model
            .predict(data.row(i), Some(40.0))
            .map_err(std::io::Error::other)?;
        std::hint::black_box(p);
    }
    println!(
        "{label}: predict with p50, p90, risk and factors: {:.3} ms each; model {} KiB",
        started.elapsed().as_secs_f64() * 1000.0 / n as f64,
        model.to_bytes().map_err(std::io::Error::other)?.len() / 1024
    );
    Ok(())
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "-".into(), |v| format!("{v:.3}"))
}
