//! Tidy tests of what ships beside the code, in `deploy/` and `monitoring/`: every YAML and
//! JSON file parses; the PrometheusRule carries exactly the alert rules; every metric a rule
//! or the dashboard names, and every metric the code registers, is documented; every alert
//! has its runbook section and promtool tests that fire and stay quiet; the compose file and
//! the Kubernetes manifests run every role. `promtool` itself runs in `scripts/test`.
//!
//! The PrometheusRule is generated from the rules file:
//! `UPDATE_DEPLOY=1 cargo test -p foresight-tests --test deploy` writes it again.

mod compose;
mod files;
mod kubernetes;
mod rules;

/// The roles of `foresight run <role>`.
pub const ROLES: [&str; 8] = [
    "commands",
    "relay",
    "boards",
    "schedules",
    "analytics",
    "features",
    "predictor",
    "api",
];
