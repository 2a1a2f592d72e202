//! The Kubernetes manifests: a Deployment per role with probes and resources, configuration
//! and secrets kept out of the pods' specs, the API's Service, disruption budgets, the
//! monitoring resources, PostgreSQL and NATS as clustered engines. `kubectl kustomize`
//! builds them in `scripts/test` where the tool is present.

use std::collections::BTreeSet;

use serde_yaml_ng::Value;

use crate::ROLES;
use crate::files::{at, documents_of, files_under, root, str_at, yaml};

const BASE: &str = "deploy/k8s/base";

/// Every resource in the base, by kind and name.
fn resources() -> Vec<Value> {
    files_under(BASE, &[".yaml"])
        .into_iter()
        .filter(|path| !path.ends_with("kustomization.yaml"))
        .flat_map(|path| documents_of(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

fn find<'r>(resources: &'r [Value], kind: &str, name: &str) -> &'r Value {
    resources
        .iter()
        .find(|r| str_at(r, &["kind"]) == kind && str_at(r, &["metadata", "name"]) == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {BASE}"))
}

#[test]
fn the_kustomization_lists_every_manifest_of_the_base() {
    let kustomization = yaml(&format!("{BASE}/kustomization.yaml"));
    let listed: BTreeSet<String> = at(&kustomization, &["resources"])
        .as_sequence()
        .expect("resources")
        .iter()
        .map(|r| r.as_str().expect("a path").to_owned())
        .collect();
    let base = root().join(BASE);
    let present: BTreeSet<String> = files_under(BASE, &[".yaml"])
        .iter()
        .map(|p| {
            p.strip_prefix(&base)
                .expect("under the base")
                .to_string_lossy()
                .into_owned()
        })
        .filter(|p| p != "kustomization.yaml")
        .collect();
    assert_eq!(listed, present);
    for overlay in files_under("deploy/k8s/overlays", &["kustomization.yaml"]) {
        let text = std::fs::read_to_string(&overlay).expect("readable");
        assert!(
            text.contains("../../base"),
            "{} does not build on the base",
            overlay.display()
        );
    }
}

#[test]
fn every_role_has_a_deployment_with_probes_resources_and_its_configuration() {
    let resources = resources();
    for role in ROLES {
        let deployment = find(&resources, "Deployment", &format!("foresight-{role}"));
        let pod = at(deployment, &["spec", "template", "spec"]);
        assert_eq!(
            at(pod, &["securityContext", "runAsNonRoot"]),
            &Value::Bool(true),
            "{role}"
        );
        let container = &at(pod, &["containers"])[0];
        assert_eq!(str_at(container, &["image"]), "foresight", "{role}");
        let args: Vec<&str> = at(container, &["args"])
            .as_sequence()
            .expect("args")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(args, ["run", role]);
        for (probe, path) in [
            ("startupProbe", "/healthz"),
            ("livenessProbe", "/healthz"),
            ("readinessProbe", "/readyz"),
        ] {
            assert_eq!(
                str_at(container, &[probe, "httpGet", "path"]),
                path,
                "{role}: {probe}"
            );
        }
        for (kind, resource) in [
            ("requests", "cpu"),
            ("requests", "memory"),
            ("limits", "memory"),
        ] {
            assert!(
                !at(container, &["resources", kind, resource]).is_null(),
                "{role}: {kind}.{resource}"
            );
        }
        let from: Vec<&str> = at(container, &["envFrom"])
            .as_sequence()
            .expect("envFrom")
            .iter()
            .flat_map(|source| {
                [
                    str_at(source, &["configMapRef", "name"]),
                    str_at(source, &["secretRef", "name"]),
                ]
            })
            .collect();
        assert!(
            from.contains(&"foresight-config") && from.contains(&"foresight-secrets"),
            "{role}: {from:?}"
        );
        // URLs carry credentials: never a literal value in a pod's spec.
        for variable in at(container, &["env"]).as_sequence().into_iter().flatten() {
            assert!(
                at(variable, &["value"]).is_null(),
                "{role}: {} is inlined",
                str_at(variable, &["name"])
            );
        }
    }
}

#[test]
fn the_api_is_a_service_and_disruptions_spare_it_and_the_standbys() {
    let resources = resources();
    let api = find(&resources, "Service", "foresight-api");
    assert_eq!(
        str_at(api, &["spec", "selector", "app.kubernetes.io/component"]),
        "api"
    );
    let budgets: BTreeSet<&str> = resources
        .iter()
        .filter(|r| str_at(r, &["kind"]) == "PodDisruptionBudget")
        .map(|r| {
            str_at(
                r,
                &[
                    "spec",
                    "selector",
                    "matchLabels",
                    "app.kubernetes.io/component",
                ],
            )
        })
        .collect();
    for role in [
        "api",
        "relay",
        "boards",
        "schedules",
        "analytics",
        "features",
    ] {
        assert!(budgets.contains(role), "no PodDisruptionBudget for {role}");
    }
}

#[test]
fn monitoring_postgres_and_nats_are_there_as_clustered_engines() {
    let resources = resources();
    let monitor = find(&resources, "ServiceMonitor", "foresight");
    assert_eq!(
        str_at(
            monitor,
            &[
                "spec",
                "selector",
                "matchLabels",
                "app.kubernetes.io/component"
            ]
        ),
        "metrics"
    );
    find(&resources, "PrometheusRule", "foresight");
    let metrics = find(&resources, "Service", "foresight-metrics");
    assert_eq!(str_at(metrics, &["spec", "clusterIP"]), "None");

    let postgres = find(&resources, "Cluster", "foresight-db");
    assert_eq!(str_at(postgres, &["apiVersion"]), "postgresql.cnpg.io/v1");
    assert!(at(postgres, &["spec", "instances"]).as_u64() >= Some(3));

    // Three copies of each stream on a three-node JetStream cluster with file storage.
    let kustomization =
        std::fs::read_to_string(root().join(BASE).join("kustomization.yaml")).expect("readable");
    assert!(kustomization.contains("FORESIGHT_STREAM_REPLICAS=3"));
    let nats = yaml("deploy/k8s/nats/values.yaml");
    assert_eq!(
        at(&nats, &["config", "cluster", "enabled"]),
        &Value::Bool(true)
    );
    assert_eq!(
        at(&nats, &["config", "cluster", "replicas"]).as_u64(),
        Some(3)
    );
    assert_eq!(
        at(&nats, &["config", "jetstream", "enabled"]),
        &Value::Bool(true)
    );
    assert_eq!(
        at(&nats, &["config", "jetstream", "fileStore", "enabled"]),
        &Value::Bool(true)
    );
    assert_eq!(at(&nats, &["promExporter", "enabled"]), &Value::Bool(true));
}
