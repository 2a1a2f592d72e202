//! The alert rules, their tests, their runbook, the PrometheusRule built from them, the
//! dashboard, and the metric table of `monitoring/README.md` that all of them lean on.

use std::collections::BTreeSet;
use std::fs;

use serde_yaml_ng::Value;

use crate::files::{at, json, read, root, str_at, yaml};

const RULES: &str = "monitoring/rules/foresight.rules.yml";
const RULE_TESTS: &str = "monitoring/tests/foresight.test.yml";
const PROMETHEUS_RULE: &str = "deploy/k8s/base/prometheusrule.yaml";
const DASHBOARD: &str = "monitoring/grafana/foresight.json";
const README: &str = "monitoring/README.md";
const HOW_TO_UPDATE: &str = "run `UPDATE_DEPLOY=1 cargo test -p foresight-tests --test deploy`";

const PROMETHEUS_RULE_HEADER: &str = "\
# Generated from monitoring/rules/foresight.rules.yml by tests/deploy: edit that file, then
# run `UPDATE_DEPLOY=1 cargo test -p foresight-tests --test deploy`.
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  name: foresight
  labels:
    app.kubernetes.io/name: foresight
spec:
";

fn updating() -> bool {
    std::env::var_os("UPDATE_DEPLOY").is_some_and(|v| v == "1")
}

/// The PrometheusRule: the rules file's `groups:` onwards, under `spec:`.
fn prometheus_rule_text() -> String {
    let rules = read(RULES);
    let start = rules
        .find("\ngroups:")
        .map(|i| i + 1)
        .expect("the rules file has a top-level `groups:`");
    let body: String = rules[start..]
        .lines()
        .map(|line| match line {
            "" => "\n".to_owned(),
            line => format!("  {line}\n"),
        })
        .collect();
    format!("{PROMETHEUS_RULE_HEADER}{body}")
}

#[test]
fn the_prometheus_rule_carries_the_rules_files_groups() {
    let wanted = prometheus_rule_text();
    let path = root().join(PROMETHEUS_RULE);
    let current = fs::read_to_string(&path).unwrap_or_default();
    if current != wanted {
        assert!(
            updating(),
            "{PROMETHEUS_RULE} is out of date; {HOW_TO_UPDATE}"
        );
        fs::write(&path, &wanted).expect("writing the PrometheusRule");
    }
    let rule = yaml(PROMETHEUS_RULE);
    assert_eq!(str_at(&rule, &["kind"]), "PrometheusRule");
    assert_eq!(
        at(&rule, &["spec", "groups"]),
        at(&yaml(RULES), &["groups"]),
        "the PrometheusRule's groups differ from {RULES}"
    );
}

/// Every alerting rule of the rules file.
fn alerts() -> Vec<Value> {
    let rules = yaml(RULES);
    let groups = at(&rules, &["groups"]).as_sequence().expect("groups");
    groups
        .iter()
        .flat_map(|g| at(g, &["rules"]).as_sequence().cloned().unwrap_or_default())
        .filter(|rule| rule.get("alert").is_some())
        .collect()
}

#[test]
fn every_alert_has_a_summary_a_description_a_runbook_section_and_tests_both_ways() {
    let readme = read(README);
    let tests = yaml(RULE_TESTS);
    let (mut fired, mut quiet) = (BTreeSet::new(), BTreeSet::new());
    for test in at(&tests, &["tests"]).as_sequence().expect("tests") {
        for case in at(test, &["alert_rule_test"])
            .as_sequence()
            .expect("alert_rule_test")
        {
            let name = str_at(case, &["alertname"]).to_owned();
            let expected = at(case, &["exp_alerts"]).as_sequence().map_or(0, Vec::len);
            if expected == 0 {
                quiet.insert(name)
            } else {
                fired.insert(name)
            };
        }
    }
    let alerts = alerts();
    assert!(alerts.len() >= 8, "{} alerts", alerts.len());
    let mut names = BTreeSet::new();
    for alert in &alerts {
        let name = str_at(alert, &["alert"]);
        names.insert(name.to_owned());
        assert!(
            ["warning", "critical"].contains(&str_at(alert, &["labels", "severity"])),
            "{name}: severity"
        );
        for annotation in ["summary", "description"] {
            assert!(
                !str_at(alert, &["annotations", annotation]).is_empty(),
                "{name}: no {annotation}"
            );
        }
        let anchor = name.to_lowercase();
        assert_eq!(
            str_at(alert, &["annotations", "runbook_url"]),
            format!("monitoring/README.md#{anchor}"),
            "{name}: runbook_url"
        );
        assert!(
            readme.contains(&format!("\n### {name}\n")),
            "{README}: no runbook section for {name}"
        );
        assert!(
            fired.contains(name),
            "{RULE_TESTS}: no test where {name} fires"
        );
        assert!(
            quiet.contains(name),
            "{RULE_TESTS}: no test where {name} stays quiet"
        );
    }
    let unknown: Vec<_> = fired
        .union(&quiet)
        .filter(|n| !names.contains(*n))
        .collect();
    assert!(
        unknown.is_empty(),
        "tests of alerts that do not exist: {unknown:?}"
    );
}

/// Metric names in a PromQL expression: identifiers that start with `foresight_` or `process_`.
fn metric_names(expr: &str, into: &mut BTreeSet<String>) {
    let is_ident = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    for prefix in ["foresight_", "process_"] {
        for (at, _) in expr.match_indices(prefix) {
            if expr[..at].chars().next_back().is_some_and(is_ident) {
                continue;
            }
            let name: String = expr[at..].chars().take_while(|c| is_ident(*c)).collect();
            into.insert(name);
        }
    }
}

/// The metric names the code registers: string literals `"foresight_…"` in the telemetry crate.
fn registered_metrics() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for path in crate::files::files_under("crates/telemetry/src", &[".rs"]) {
        let source = fs::read_to_string(&path).expect("readable");
        for (at, _) in source.match_indices("\"foresight_") {
            let name: String = source[at + 1..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            // A prefix alone (`"foresight_"` in a check) names no metric.
            if !name.ends_with('_') {
                names.insert(name);
            }
        }
    }
    names
}

fn dashboard_exprs() -> Vec<String> {
    let dashboard = json(DASHBOARD);
    let mut exprs = Vec::new();
    for panel in dashboard["panels"].as_array().expect("panels") {
        for target in panel["targets"].as_array().into_iter().flatten() {
            exprs.push(target["expr"].as_str().unwrap_or_default().to_owned());
        }
    }
    exprs
}

#[test]
fn every_metric_a_rule_or_the_dashboard_names_or_the_code_registers_is_documented() {
    let readme = read(README);
    let documented = |name: &str| {
        let base = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|suffix| name.strip_suffix(suffix))
            .unwrap_or(name);
        readme.contains(&format!("`{name}`")) || readme.contains(&format!("`{base}`"))
    };
    let mut named = BTreeSet::new();
    for alert in alerts() {
        metric_names(str_at(&alert, &["expr"]), &mut named);
    }
    for expr in dashboard_exprs() {
        metric_names(&expr, &mut named);
    }
    let registered = registered_metrics();
    assert!(
        registered.len() >= 25,
        "registered metrics found: {registered:?}"
    );
    let missing: Vec<_> = named
        .iter()
        .chain(&registered)
        .filter(|name| !documented(name))
        .collect();
    assert!(
        missing.is_empty(),
        "not in {README}'s metric table: {missing:?}"
    );
}

#[test]
fn the_dashboard_covers_the_pipeline_and_is_well_formed() {
    let dashboard = json(DASHBOARD);
    assert_eq!(dashboard["uid"], "foresight");
    let variables = dashboard["templating"]["list"]
        .as_array()
        .expect("templating");
    assert!(
        variables
            .iter()
            .any(|v| v["name"] == "datasource" && v["type"] == "datasource")
    );
    let mut ids = BTreeSet::new();
    for panel in dashboard["panels"].as_array().expect("panels") {
        let title = panel["title"].as_str().unwrap_or_default();
        assert!(
            ids.insert(panel["id"].as_i64().expect("a panel id")),
            "duplicate id: {title}"
        );
        let grid = &panel["gridPos"];
        let right = grid["x"].as_i64().unwrap_or(99) + grid["w"].as_i64().unwrap_or(99);
        assert!(right <= 24, "{title} is wider than the dashboard");
        if panel["type"] == "row" {
            continue;
        }
        // The data source is the variable, so the dashboard imports into any Grafana.
        assert_eq!(panel["datasource"]["uid"], "${datasource}", "{title}");
        assert!(
            !panel["targets"].as_array().expect("targets").is_empty(),
            "{title}"
        );
    }
    let exprs = dashboard_exprs().join("\n");
    for needed in [
        "foresight_commands_total",
        "foresight_command_duration_seconds_bucket",
        "foresight_command_rejections_total",
        "foresight_consumer_lag_events",
        "foresight_consumer_lag_seconds",
        "foresight_relay_lag_events",
        "foresight_http_request_duration_seconds_bucket",
        "foresight_model_duration_mae_hours",
        "foresight_model_risk_auc",
    ] {
        assert!(exprs.contains(needed), "the dashboard shows no {needed}");
    }
}
