//! API9: the OpenAPI document is the inventory. Every route it lists answers; no route
//! answers that it does not list (probed over likely paths and every method).

use std::collections::{BTreeMap, BTreeSet};

use crate::world::*;
use axum::http::{Method, StatusCode};

/// Path and method pairs the document lists; HEAD comes with GET (RFC 9110 section 9.3.2).
fn documented(doc: &serde_json::Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let mut methods: BTreeSet<String> = item
                .as_object()
                .expect("item")
                .keys()
                .filter(|k| {
                    [
                        "get", "put", "post", "delete", "options", "head", "patch", "trace",
                    ]
                    .contains(&k.as_str())
                })
                .map(|k| k.to_uppercase())
                .collect();
            if methods.contains("GET") {
                methods.insert("HEAD".into());
            }
            (path.clone(), methods)
        })
        .collect()
}

/// The template a concrete path fills, if any.
fn template_of<'a>(path: &str, mut templates: impl Iterator<Item = &'a String>) -> Option<String> {
    let segments: Vec<&str> = path.split('/').collect();
    templates
        .find(|t| {
            let parts: Vec<&str> = t.split('/').collect();
            parts.len() == segments.len()
                && parts
                    .iter()
                    .zip(&segments)
                    .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
        })
        .cloned()
}

#[tokio::test]
async fn no_route_answers_that_the_document_does_not_list() {
    let world = World::new().await;
    let api = world.api().await;
    let doc = get(&api, "/openapi.json", None).await.body;
    let inventory = documented(&doc);
    assert!(inventory.len() >= 15, "{inventory:?}");
    let id = world.a;
    let mut probes: Vec<String> = inventory
        .keys()
        .map(|p| p.replace("{id}", &id.to_string()))
        .collect();
    probes.extend(
        [
            "/",
            "/v1",
            "/v1/",
            "/v2/projects",
            "/v0/projects",
            "/api",
            "/api/v1/projects",
            "/admin",
            "/debug",
            "/debug/pprof",
            "/metrics/",
            "/healthz/",
            "/status",
            "/version",
            "/swagger",
            "/docs",
            "/openapi.yaml",
            "/.env",
            "/.git/config",
            "/graphql",
            "/v1/projects/",
            "/v1/tasks",
            "/v1/members",
            "/v1/commands",
            "/v1/events",
            "/v1/models",
            "/v1/features",
            "/v1/projects/{id}/events",
            "/v1/projects/{id}/tasks",
            "/v1/projects/{id}/members",
            "/v1/projects/{id}/board/",
            "/v1/tasks/{id}/events",
            "/v1/commands/{id}/retry",
            "/V1/projects",
            "/v1//projects",
            "/v1/projects/{id}/../{id}",
        ]
        .iter()
        .map(|p| p.replace("{id}", &id.to_string())),
    );
    let methods = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
        Method::TRACE,
    ];
    for path in &probes {
        let template = template_of(path, inventory.keys());
        let route_missing = |answer: &Answer| {
            answer.status == StatusCode::METHOD_NOT_ALLOWED
                || (answer.status == StatusCode::NOT_FOUND
                    && answer.body["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("route")))
        };
        let get_answer = call(&api, request(Method::GET, path, Some(ADMIN))).await;
        for method in &methods {
            let listed = template
                .as_ref()
                .is_some_and(|t| inventory[t].contains(method.as_str()));
            let answer = call(&api, request(method.clone(), path, Some(ADMIN))).await;
            let answered = if method == Method::HEAD {
                // No body to read: HEAD is GET's route, with GET's status.
                assert_eq!(answer.status, get_answer.status, "HEAD {path}");
                !route_missing(&get_answer)
            } else {
                !route_missing(&answer)
            };
            assert_eq!(
                answered, listed,
                "{method} {path}: {} {}",
                answer.status, answer.text
            );
        }
    }
}

#[tokio::test]
async fn every_listed_read_answers() {
    let world = World::new().await;
    let api = world.api().await;
    let doc = get(&api, "/openapi.json", None).await.body;
    for path in documented(&doc).keys() {
        let id = if path.starts_with("/v1/members") {
            world.cy
        } else if path.starts_with("/v1/tasks") {
            world.task_a
        } else if path.starts_with("/v1/commands") {
            world.command_b
        } else {
            world.a
        };
        let answer = get(&api, &path.replace("{id}", &id.to_string()), Some(ADMIN)).await;
        // The forecast exists once a prediction worker made one: its 404 names the forecast.
        if path.ends_with("/forecast") {
            assert!(answer.text.contains("forecast"), "{path}: {}", answer.text);
            continue;
        }
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
    }
}
