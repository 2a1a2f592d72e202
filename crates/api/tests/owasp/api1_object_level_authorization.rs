//! API1: a bearer reads only its projects' objects; another project's are answered exactly
//! as ids that do not exist.

use axum::http::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::world::*;

#[tokio::test]
async fn another_projects_data_is_answered_as_if_it_did_not_exist() {
    let world = World::new().await;
    let api = world.api().await;
    let unknown = Uuid::new_v4();
    let routes = ["", "/board", "/schedule", "/analytics", "/forecast"];
    for route in routes {
        let own = get(
            &api,
            &format!("/v1/projects/{}{route}", world.a),
            Some(READER_A),
        )
        .await;
        // A's forecast does not exist yet (no prediction worker here): 404 for everyone.
        if route != "/forecast" {
            assert_eq!(own.status, StatusCode::OK, "{route}: {}", own.text);
        }
        let other = get(
            &api,
            &format!("/v1/projects/{}{route}", world.b),
            Some(READER_A),
        )
        .await;
        let missing = get(
            &api,
            &format!("/v1/projects/{unknown}{route}"),
            Some(READER_A),
        )
        .await;
        other.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(
            without_id(&other, world.b),
            without_id(&missing, unknown),
            "{route}"
        );
        assert_eq!(other.headers.len(), missing.headers.len(), "{route}");
        // The same project for a bearer of every project: it exists.
        if route != "/forecast" {
            let all = get(
                &api,
                &format!("/v1/projects/{}{route}", world.b),
                Some(READER_ALL),
            )
            .await;
            assert_eq!(all.status, StatusCode::OK, "{route}: {}", all.text);
        }
    }
}

#[tokio::test]
async fn the_project_list_holds_the_bearers_projects_only() {
    let world = World::new().await;
    let api = world.api().await;
    let ids = |answer: &Answer| -> Vec<String> {
        answer
            .body
            .as_array()
            .expect("a list")
            .iter()
            .map(|p| p["project_id"].as_str().expect("id").to_owned())
            .collect()
    };
    let mine = get(&api, "/v1/projects?limit=500", Some(READER_A)).await;
    assert_eq!(ids(&mine), [world.a.to_string()]);
    // Paging past A, or starting after B's id, never shows B.
    let after = get(
        &api,
        &format!("/v1/projects?after={}", world.a),
        Some(READER_A),
    )
    .await;
    assert!(ids(&after).is_empty(), "{}", after.text);
    let mut all = ids(&get(&api, "/v1/projects", Some(READER_ALL)).await);
    all.sort();
    let mut both = vec![world.a.to_string(), world.b.to_string()];
    both.sort();
    assert_eq!(all, both);
    // A JWT that names project A sees the same.
    let jwt = hs256(&claims("read", json!([world.a])));
    assert_eq!(
        ids(&get(&api, "/v1/projects", Some(&jwt)).await),
        [world.a.to_string()]
    );
}

#[tokio::test]
async fn a_task_of_another_project_is_unknown_even_once_cached_for_a_reader_of_all() {
    let world = World::new().await;
    let api = world.api().await;
    // A reader of every project reads B's task first: its answer is cached.
    let all = get(
        &api,
        &format!("/v1/tasks/{}", world.task_b),
        Some(READER_ALL),
    )
    .await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body["project_id"], json!(world.b));

    let unknown = Uuid::new_v4();
    let other = get(&api, &format!("/v1/tasks/{}", world.task_b), Some(READER_A)).await;
    let missing = get(&api, &format!("/v1/tasks/{unknown}"), Some(READER_A)).await;
    other.assert_problem(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        without_id(&other, world.task_b),
        without_id(&missing, unknown)
    );
    let own = get(&api, &format!("/v1/tasks/{}", world.task_a), Some(READER_A)).await;
    assert_eq!(own.status, StatusCode::OK);
    // And the reader of all still gets the cached answer, not the restricted one.
    let again = get(
        &api,
        &format!("/v1/tasks/{}", world.task_b),
        Some(READER_ALL),
    )
    .await;
    assert_eq!(again.body, all.body);
}

#[tokio::test]
async fn members_show_only_what_the_bearers_projects_hold() {
    let world = World::new().await;
    let api = world.api().await;
    let unknown = Uuid::new_v4();
    // Bob is only in B: unknown to a reader of A, on every member route.
    for route in ["", "/work", "/schedule"] {
        let other = get(
            &api,
            &format!("/v1/members/{}{route}", world.bob),
            Some(READER_A),
        )
        .await;
        let missing = get(
            &api,
            &format!("/v1/members/{unknown}{route}"),
            Some(READER_A),
        )
        .await;
        other.assert_problem(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(
            without_id(&other, world.bob),
            without_id(&missing, unknown),
            "{route}"
        );
        let own = get(
            &api,
            &format!("/v1/members/{}{route}", world.ada),
            Some(READER_A),
        )
        .await;
        assert_eq!(own.status, StatusCode::OK, "{route}: {}", own.text);
    }
    // Cy is in both: A's side only, and no load (a sum over every project).
    let cy = get(&api, &format!("/v1/members/{}", world.cy), Some(READER_A)).await;
    let projects: Vec<_> = cy.body["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["project_id"].clone())
        .collect();
    assert_eq!(projects, [json!(world.a)]);
    assert!(cy.body["load"].is_null(), "{}", cy.text);
    let full = get(&api, &format!("/v1/members/{}", world.cy), Some(READER_ALL)).await;
    assert_eq!(full.body["projects"].as_array().expect("projects").len(), 2);
    assert_eq!(full.body["load"]["open_tasks"], 2, "{}", full.text);

    let task_ids = |answer: &Answer, list: &str| -> Vec<serde_json::Value> {
        answer.body[list]
            .as_array()
            .expect("tasks")
            .iter()
            .map(|t| t["task_id"].clone())
            .collect()
    };
    let work = get(
        &api,
        &format!("/v1/members/{}/work", world.cy),
        Some(READER_A),
    )
    .await;
    assert_eq!(task_ids(&work, "tasks"), [json!(world.cy_task_a)]);
    let all_work = get(
        &api,
        &format!("/v1/members/{}/work", world.cy),
        Some(READER_ALL),
    )
    .await;
    assert_eq!(task_ids(&all_work, "tasks").len(), 2);
    let schedule = get(
        &api,
        &format!("/v1/members/{}/schedule", world.cy),
        Some(READER_A),
    )
    .await;
    assert_eq!(schedule.status, StatusCode::OK, "{}", schedule.text);
    let planned: Vec<_> = task_ids(&schedule, "tasks")
        .into_iter()
        .chain(task_ids(&schedule, "unscheduled"))
        .collect();
    assert_eq!(planned, [json!(world.cy_task_a)], "{}", schedule.text);
}

#[tokio::test]
async fn command_outcomes_are_for_bearers_of_every_project() {
    let world = World::new().await;
    let api = world.api().await;
    let uri = format!("/v1/commands/{}", world.command_b);
    let all = get(&api, &uri, Some(READER_ALL)).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text);
    assert_eq!(all.body["status"], "accepted");
    let unknown = Uuid::new_v4();
    let restricted = get(&api, &uri, Some(READER_A)).await;
    let missing = get(&api, &format!("/v1/commands/{unknown}"), Some(READER_A)).await;
    restricted.assert_problem(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(
        without_id(&restricted, world.command_b),
        without_id(&missing, unknown)
    );
}
