//! API3: answers carry the documented properties and nothing else (no internal column, no
//! other project's field), and requests cannot name properties the API does not know.

use axum::http::StatusCode;
use serde_json::Value;

use crate::world::*;

/// `value` holds no property that `schema` (in the OpenAPI document) does not list, all the
/// way down.
fn assert_documented(doc: &Value, schema: &Value, value: &Value, at: &str) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return assert_documented(doc, &doc["components"]["schemas"][name], value, at);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            // `null` or the type: the non-null one describes a present value.
            let present: Vec<&Value> = options.iter().filter(|o| o["type"] != "null").collect();
            if value.is_null() {
                return;
            }
            assert_eq!(present.len(), 1, "{at}: {schema}");
            return assert_documented(doc, present[0], value, at);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = serde_json::Map::new();
        for part in parts {
            let part = match part["$ref"].as_str() {
                Some(r) => {
                    &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")]
                }
                None => part,
            };
            if let Some(properties) = part["properties"].as_object() {
                merged.extend(properties.clone());
            }
        }
        let merged = serde_json::json!({"type": "object", "properties": merged});
        return assert_documented(doc, &merged, value, at);
    }
    match value {
        Value::Object(fields) => {
            let Some(properties) = schema["properties"].as_object() else {
                return; // a free-form object, documented as such
            };
            for (key, field) in fields {
                let property = properties
                    .get(key)
                    .unwrap_or_else(|| panic!("{at}.{key} is not documented"));
                assert_documented(doc, property, field, &format!("{at}.{key}"));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_documented(doc, &schema["items"], item, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn every_answer_holds_only_documented_properties() {
    let world = World::new().await;
    let api = world.api().await;
    let doc = get(&api, "/openapi.json", None).await.body;
    let (a, task, cy) = (world.a, world.cy_task_a, world.cy);
    let reads = [
        ("/v1/projects", "/v1/projects".to_owned()),
        ("/v1/projects/{id}", format!("/v1/projects/{a}")),
        ("/v1/projects/{id}/board", format!("/v1/projects/{a}/board")),
        (
            "/v1/projects/{id}/schedule",
            format!("/v1/projects/{a}/schedule"),
        ),
        (
            "/v1/projects/{id}/analytics",
            format!("/v1/projects/{a}/analytics"),
        ),
        ("/v1/members/{id}", format!("/v1/members/{cy}")),
        (
            "/v1/members/{id}/schedule",
            format!("/v1/members/{cy}/schedule"),
        ),
        ("/v1/members/{id}/work", format!("/v1/members/{cy}/work")),
        ("/v1/tasks/{id}", format!("/v1/tasks/{task}")),
    ];
    for bearer in [READER_A, READER_ALL] {
        for (template, uri) in &reads {
            let answer = get(&api, uri, Some(bearer)).await;
            assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text);
            let schema = &doc["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"];
            assert!(!schema.is_null(), "{template} documents its answer");
            assert_documented(&doc, schema, &answer.body, template);
        }
    }
    // The log's own columns never surface, whatever the route.
    let task = get(&api, &format!("/v1/tasks/{task}"), Some(READER_ALL)).await;
    for internal in [
        "transaction_id",
        "global_position",
        "metadata",
        "risk_detail",
        "stream_version",
    ] {
        assert!(!task.text.contains(internal), "{internal}: {}", task.text);
    }
}

#[tokio::test]
async fn an_unknown_query_parameter_is_refused_by_name() {
    let world = World::new().await;
    let api = world.api().await;
    for uri in [
        format!("/v1/projects/{}?fields=secret", world.a),
        "/v1/projects?project_id=x".to_owned(),
        format!("/v1/tasks/{}?include=metadata", world.task_a),
    ] {
        let answer = get(&api, &uri, Some(READER_A)).await;
        answer.assert_problem(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(
            answer.body["detail"]
                .as_str()
                .map(|d| d.ends_with("unknown parameter")),
            Some(true),
            "{}",
            answer.text
        );
    }
}
