//! The compose file for one machine, and the Prometheus configuration that scrapes it.

use crate::ROLES;
use crate::files::{at, str_at, yaml};

const COMPOSE: &str = "deploy/compose.yaml";

fn strings(value: &serde_yaml_ng::Value) -> Vec<String> {
    value
        .as_sequence()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn compose_runs_every_role_from_the_image_beside_its_services() {
    let compose = yaml(COMPOSE);
    let services = at(&compose, &["services"]);
    for role in ROLES {
        let service = at(services, &[role]);
        assert!(!service.is_null(), "{COMPOSE}: no service {role}");
        assert_eq!(str_at(service, &["image"]), "foresight:local", "{role}");
        assert_eq!(
            str_at(service, &["build", "dockerfile"]),
            "deploy/Dockerfile",
            "{role}"
        );
        assert_eq!(strings(at(service, &["command"])), ["run", role], "{role}");
        // Credentials travel in the URLs: from the environment, never baked in.
        let env = at(service, &["environment"]);
        for variable in ["FORESIGHT_DATABASE_URL", "FORESIGHT_NATS_URL"] {
            assert!(
                str_at(env, &[variable]).contains("${"),
                "{role}: {variable} is not configurable"
            );
        }
    }
    for needed in ["postgres", "nats", "nats-exporter", "prometheus", "grafana"] {
        assert!(
            !at(services, &[needed]).is_null(),
            "{COMPOSE}: no service {needed}"
        );
    }
    assert!(strings(at(services, &["nats", "command"])).contains(&"--jetstream".to_owned()));
    assert!(
        strings(at(services, &["prometheus", "volumes"]))
            .contains(&"../monitoring:/etc/prometheus:ro".to_owned())
    );
    assert!(
        strings(at(services, &["grafana", "volumes"]))
            .iter()
            .any(|v| v.starts_with("../monitoring/grafana:")),
        "grafana is not provisioned with the dashboard"
    );
}

#[test]
fn compose_publishes_ports_on_loopback_only() {
    let compose = yaml(COMPOSE);
    let services = at(&compose, &["services"]).as_mapping().expect("services");
    let mut published = Vec::new();
    for (name, service) in services {
        for port in strings(at(service, &["ports"])) {
            assert!(
                port.starts_with("127.0.0.1:"),
                "{name:?} publishes {port} beyond loopback"
            );
            published.push(port);
        }
    }
    // NATS's monitoring port has no authentication.
    assert!(
        published.contains(&"127.0.0.1:8222:8222".to_owned()),
        "{published:?}"
    );
}

#[test]
fn prometheus_scrapes_every_compose_role_and_nats_through_its_exporter() {
    let prometheus = yaml("monitoring/prometheus.yml");
    let compose = yaml(COMPOSE);
    let jobs = at(&prometheus, &["scrape_configs"])
        .as_sequence()
        .expect("scrape_configs");
    let job = |name: &str| {
        jobs.iter()
            .find(|j| str_at(j, &["job_name"]) == name)
            .unwrap_or_else(|| panic!("no job {name}"))
    };
    let groups = at(job("foresight"), &["static_configs"])
        .as_sequence()
        .expect("static_configs");
    for role in ROLES {
        let scraped = groups.iter().any(|group| {
            str_at(group, &["labels", "role"]) == role
                && strings(at(group, &["targets"])) == [format!("{role}:8080")]
        });
        assert!(scraped, "role {role} is not scraped with its role label");
    }
    let nats = strings(at(&at(job("nats"), &["static_configs"])[0], &["targets"]));
    assert_eq!(nats, ["nats-exporter:7777"]);
    assert!(!at(&compose, &["services", "nats-exporter"]).is_null());
}
