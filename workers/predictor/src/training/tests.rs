//! Training on synthetic tables with a known formula.

use super::*;
use crate::forest::ForestConfig;
use crate::synthetic::task_table;

/// Smaller forests than the defaults keep debug-build tests quick.
fn quick_config() -> TrainConfig {
    TrainConfig {
        duration_forest: ForestConfig {
            n_trees: 30,
            ..ForestConfig::duration()
        },
        risk_forest: ForestConfig {
            n_trees: 30,
            ..ForestConfig::risk()
        },
        ..TrainConfig::default()
    }
}

fn report_of<'a>(
    report: &'a TrainingReport,
    kind: CandidateKind,
    name: &str,
) -> &'a CandidateReport {
    report
        .candidates
        .iter()
        .find(|c| c.kind == kind && c.name == name)
        .unwrap()
}

#[test]
fn learned_models_beat_the_baseline_with_calibrated_p90() {
    let data = task_table(3000, 12, 11);
    let report = train(&data, &quick_config()).unwrap();
    assert_eq!(
        report.split,
        SplitSizes {
            fit: 1800,
            calibration: 600,
            test: 600
        }
    );
    let mae = |name| {
        report_of(&report, CandidateKind::Duration, name)
            .mae
            .unwrap()
    };
    let (baseline, linear, forest) = (mae("baseline"), mae("linear"), mae("forest"));
    assert!(linear < baseline, "linear {linear} vs baseline {baseline}");
    assert!(forest < baseline, "forest {forest} vs baseline {baseline}");
    for name in ["baseline", "linear", "forest"] {
        let c = report_of(&report, CandidateKind::Duration, name);
        let coverage = c.p90_coverage.unwrap();
        assert!(
            (0.8..=0.97).contains(&coverage),
            "{name}: p90 coverage {coverage}"
        );
        assert!(c.rmse.unwrap() >= c.mae.unwrap());
    }
    assert_ne!(report.chosen.duration.name(), "baseline");
    // The blend is measured like the others, and the chosen model has the lowest MAE.
    let blend = report_of(&report, CandidateKind::Duration, "blend");
    assert!(blend.failure.is_none() && blend.p90_coverage.is_some());
    let lowest = ["baseline", "linear", "forest", "blend"]
        .map(mae)
        .into_iter()
        .fold(f64::INFINITY, f64::min);
    assert_eq!(mae(report.chosen.duration.name()), lowest);
    for name in ["distribution", "logistic", "forest"] {
        let c = report_of(&report, CandidateKind::Risk, name);
        assert!(c.failure.is_none(), "{name}: {:?}", c.failure);
        let auc = c.risk_auc.unwrap();
        assert!(auc > 0.7, "{name}: AUC {auc}");
        assert!(c.risk_brier.unwrap() < 0.25 && c.risk_log_loss.unwrap() < 0.7);
    }
    let best_auc = report
        .candidates
        .iter()
        .filter(|c| c.kind == CandidateKind::Risk)
        .filter_map(|c| c.risk_auc)
        .fold(0.0, f64::max);
    let chosen = report_of(&report, CandidateKind::Risk, report.chosen.risk.name());
    assert_eq!(chosen.risk_auc, Some(best_auc));
}

#[test]
fn a_blend_predicts_the_mean_of_its_two_models() {
    let data = task_table(1500, 9, 5);
    let config = quick_config();
    let split = data.time_split(config.test_share, config.calibration_share);
    let x = data.gather(&split.fit);
    let y: Vec<f64> = split
        .fit
        .iter()
        .map(|&i| data.duration_hours[i].ln_1p())
        .collect();
    let baseline = Baseline::from_names(&data.names).unwrap();
    let clock = Clock::for_names(&data.names);
    let fit_linear = || DurationModel::fit_linear(baseline, clock, &x, data.cols, &y).unwrap();
    let fit_forest = || {
        DurationModel::fit_forest(baseline, clock, &x, data.cols, &y, &config.duration_forest)
            .unwrap()
    };
    let (linear, forest) = (fit_linear(), fit_forest());
    let rows = data.gather(&split.test);
    let (a, b) = (
        linear.predict_log(&rows, data.cols),
        forest.predict_log(&rows, data.cols),
    );
    let blend = DurationModel::blend(fit_linear(), fit_forest()).unwrap();
    assert_eq!(blend.name(), "blend");
    for ((p, a), b) in blend.predict_log(&rows, data.cols).iter().zip(&a).zip(&b) {
        assert!((p - 0.5 * (a + b)).abs() < 1e-12);
    }
    assert!(DurationModel::blend(fit_forest(), fit_linear()).is_none());
}

#[test]
fn a_trained_model_round_trips_through_bytes() {
    let data = task_table(1500, 9, 5);
    let mut config = quick_config();
    // Make sure the forests are what gets stored.
    config.min_rows = 10;
    let report = train(&data, &config).unwrap();
    let model = report.chosen;
    let bytes = model.to_bytes().unwrap();
    let back = FittedModel::from_bytes(&bytes, &data.schema_hash).unwrap();
    for i in [0, 700, 1499] {
        let row = data.row(i);
        assert_eq!(
            back.predict(row, Some(30.0)),
            model.predict(row, Some(30.0))
        );
    }
    assert!(matches!(
        FittedModel::from_bytes(&bytes, "another-schema"),
        Err(crate::model::ModelLoadError::SchemaMismatch { .. })
    ));
}

#[test]
fn factors_name_what_pushes_the_risk_up() {
    let data = task_table(3000, 9, 3);
    let model = train(&data, &quick_config()).unwrap().chosen;
    let label = data.column("label_log_ratio").unwrap();
    // an average task, except that its labels usually take twice as long
    let mut x = model.feature_means.clone().unwrap();
    x[label] = 2.0_f64.ln();
    let prediction = model.predict(&x, Some(10.0)).unwrap();
    let late = prediction.late_probability.unwrap();
    assert!(prediction.p90_hours >= prediction.p50_hours);
    assert!(!prediction.factors.is_empty() && prediction.factors.len() <= 3);
    assert_eq!(
        prediction.factors[0].name, "label_log_ratio",
        "{prediction:?}"
    );
    assert!(prediction.factors[0].contribution > 0.0 && prediction.factors[0].contribution <= late);
}

#[test]
fn no_data_gives_the_untrained_baseline() {
    let mut data = task_table(0, 7, 1);
    data.schema_hash = "empty".into();
    let report = train(&data, &TrainConfig::default()).unwrap();
    assert_eq!(report.chosen.describe(), "baseline/distribution");
    assert_eq!(report.chosen.feature_means, None);
    let baseline = report_of(&report, CandidateKind::Duration, "baseline");
    assert_eq!(baseline.mae, None);
    assert!(
        report_of(&report, CandidateKind::Duration, "forest")
            .failure
            .is_some()
    );
    let p = report
        .chosen
        .predict(&[4.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], None)
        .unwrap();
    assert!((p.p50_hours - 4.0).abs() < 1e-9);
}

#[test]
fn an_invalid_dataset_is_refused() {
    let mut data = task_table(10, 7, 1);
    data.time.pop();
    assert!(matches!(
        train(&data, &TrainConfig::default()),
        Err(TrainError::Dataset(_))
    ));
    let mut data = task_table(10, 7, 1);
    data.names[0] = "estimate".into();
    assert!(matches!(
        train(&data, &TrainConfig::default()),
        Err(TrainError::Dataset(DatasetError::MissingFeature(_)))
    ));
}
