//! Two projects on a test namespace, their projections built from the log, an API with
//! authentication on, and the bearers the tests present.

use std::collections::BTreeSet;

use api::auth::{AuthConfig, Authenticator, JwtConfig, MetricsAccess, ProjectAccess};
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use secrecy::SecretBox;
use serde_json::{Value, json};
use testkit::TestEnv;
use tower::ServiceExt;
use uuid::Uuid;

pub const ISSUER: &str = "https://auth.example.test";
pub const AUDIENCE: &str = "foresight-api";
pub const HS256_SECRET: &[u8] = b"a shared secret of at least thirty-two bytes";
pub const RS256_PRIVATE: &[u8] = include_bytes!("keys/rs256-test-private.pem");
pub const RS256_PUBLIC: &[u8] = include_bytes!("keys/rs256-test-public.pem");
pub const RS256_OTHER_PRIVATE: &[u8] = include_bytes!("keys/rs256-other-private.pem");

/// Opaque tokens; the API is configured with their hashes only.
pub const READER_A: &str = "fst_reader_of_project_a_only";
pub const READER_ALL: &str = "fst_reader_of_every_project";
pub const ADMIN: &str = "fst_admin_of_everything";
pub const METRICS: &str = "fst_prometheus_scraper";

/// Project A and project B, each with a task; Ada is in A, Bob in B, Cy in both with a task
/// in each (`cy_task_a` the one in A).
pub struct World {
    pub env: TestEnv,
    pub a: Uuid,
    pub b: Uuid,
    pub task_a: Uuid,
    pub task_b: Uuid,
    pub ada: Uuid,
    pub bob: Uuid,
    pub cy: Uuid,
    pub cy_task_a: Uuid,
    /// The outcome of a command on project B.
    pub command_b: Uuid,
}

impl World {
    pub async fn new() -> World {
        let env = TestEnv::new().await;
        let pool = &env.pool;
        let (ada, bob, cy) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        for (member, name) in [(ada, "Ada"), (bob, "Bob"), (cy, "Cy")] {
            testkit::accept(pool, "member.register", json!({"member_id": member, "name": name, "skills": ["rust"], "capacity_hours_per_week": 30}), None).await;
        }
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        let mut command_b = Uuid::nil();
        for (project, name, member) in [(a, "Apollo", ada), (b, "Borealis", bob)] {
            let created = testkit::accept(pool, "project.create", json!({"project_id": project, "name": name, "start_date": "2026-01-05", "deadline": "2026-06-30"}), None).await;
            if project == b {
                command_b = created["command_id"]
                    .as_str()
                    .expect("id")
                    .parse()
                    .expect("uuid");
            }
            for who in [member, cy] {
                testkit::accept(
                    pool,
                    "project.add_member",
                    json!({"project_id": project, "member_id": who}),
                    None,
                )
                .await;
            }
        }
        let task = |project: Uuid, title: &str| {
            let id = Uuid::new_v4();
            (
                id,
                json!({"task_id": id, "project_id": project, "title": title, "estimate_hours": 8,
                        "priority": 2, "labels": [], "skills": ["rust"], "depends_on": []}),
            )
        };
        let mut ids = Vec::new();
        for (project, title) in [
            (a, "A's task"),
            (b, "B's task"),
            (a, "Cy in A"),
            (b, "Cy in B"),
        ] {
            let (id, payload) = task(project, title);
            testkit::accept(pool, "task.create", payload, None).await;
            ids.push(id);
        }
        for task in [ids[2], ids[3]] {
            testkit::accept(
                pool,
                "task.assign",
                json!({"task_id": task, "member_id": cy}),
                None,
            )
            .await;
        }
        let connect = env.connect_options();
        consumer::replay(&connect, &boards::Boards, 1000)
            .await
            .expect("boards");
        consumer::replay(&connect, &schedules::Schedules, 1000)
            .await
            .expect("schedules");
        consumer::replay(&connect, &analytics::Analytics, 1000)
            .await
            .expect("analytics");
        World {
            env,
            a,
            b,
            task_a: ids[0],
            task_b: ids[1],
            ada,
            bob,
            cy,
            cy_task_a: ids[2],
            command_b,
        }
    }

    /// The tokens, both JWT keys, `/metrics` for the `metrics` scope.
    pub fn auth_config(&self) -> AuthConfig {
        let entry = |name: &str, token: &str, scopes: &[&str], projects: ProjectAccess| {
            api::auth::parse_tokens(
                &json!([{"name": name, "sha256": api::auth::token_sha256(token),
                          "scopes": scopes, "projects": projects_json(&projects)}])
                .to_string(),
            )
            .expect("a valid entry")
            .remove(0)
        };
        AuthConfig {
            tokens: vec![
                entry("reader-a", READER_A, &["read"], only(&[self.a])),
                entry("reader-all", READER_ALL, &["read"], ProjectAccess::All),
                entry("admin", ADMIN, &["admin"], ProjectAccess::All),
                entry("scraper", METRICS, &["metrics"], only(&[])),
            ],
            jwt: Some(JwtConfig {
                hs256_secret: Some(SecretBox::new(HS256_SECRET.to_vec().into_boxed_slice())),
                rs256_public_key_pem: Some(RS256_PUBLIC.to_vec()),
                issuer: ISSUER.into(),
                audience: AUDIENCE.into(),
                leeway_secs: 0,
            }),
            metrics: MetricsAccess::Token,
        }
    }

    pub async fn api(&self) -> axum::Router {
        self.api_with(self.auth_config(), api::RequestLimits::default())
            .await
    }

    pub async fn api_with(&self, auth: AuthConfig, limits: api::RequestLimits) -> axum::Router {
        let options = api::ApiState::connect_options(self.env.connect_options());
        let pool = store::connect(&options).await.expect("api pool");
        let readiness = telemetry::Readiness::default();
        readiness.set_ready();
        let authenticator = Authenticator::new(auth).expect("a valid configuration");
        api::router(
            api::ApiState::new(
                pool,
                self.env.namespace.clone(),
                telemetry::Metrics::new(),
                readiness,
            )
            .with_security(authenticator, limits),
        )
    }
}

pub fn only(ids: &[Uuid]) -> ProjectAccess {
    ProjectAccess::Only(ids.iter().copied().collect::<BTreeSet<_>>())
}

fn projects_json(projects: &ProjectAccess) -> Value {
    match projects {
        ProjectAccess::All => json!("*"),
        ProjectAccess::Only(ids) => json!(ids),
    }
}

/// Claims that pass every check: issuer, audience, an hour to live.
pub fn claims(scope: &str, projects: Value) -> Value {
    let now = jsonwebtoken::get_current_timestamp();
    json!({"sub": "someone", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 3600,
           "scope": scope, "projects": projects})
}

pub fn hs256(claims: &Value) -> String {
    sign(
        jsonwebtoken::Algorithm::HS256,
        claims,
        &jsonwebtoken::EncodingKey::from_secret(HS256_SECRET).expect("key"),
    )
}

pub fn rs256(claims: &Value) -> String {
    rs256_with(claims, RS256_PRIVATE)
}

pub fn rs256_with(claims: &Value, private_pem: &[u8]) -> String {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(private_pem).expect("key");
    sign(jsonwebtoken::Algorithm::RS256, claims, &key)
}

pub fn sign(
    algorithm: jsonwebtoken::Algorithm,
    claims: &Value,
    key: &jsonwebtoken::EncodingKey,
) -> String {
    api::auth::install_jwt_crypto();
    jsonwebtoken::encode(&jsonwebtoken::Header::new(algorithm), claims, key).expect("signed")
}

/// An answer: status, headers, JSON body (null if none).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ascii"))
            .unwrap_or("")
    }

    /// A problem+json answer with this status and code.
    pub fn assert_problem(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(
            self.header("content-type"),
            "application/problem+json",
            "{}",
            self.text
        );
        assert_eq!(self.body["status"], status.as_u16(), "{}", self.text);
        assert_eq!(self.body["code"], code, "{}", self.text);
    }
}

pub async fn call(router: &axum::Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("an answer");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Answer {
        status,
        headers,
        body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        text,
    }
}

/// A request with `Authorization: Bearer <bearer>` when one is given.
pub fn request(method: Method, uri: &str, bearer: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder().method(method).uri(uri);
    if let Some(bearer) = bearer {
        builder = builder.header("authorization", format!("Bearer {bearer}"));
    }
    builder.body(Body::empty()).expect("request")
}

pub async fn get(router: &axum::Router, uri: &str, bearer: Option<&str>) -> Answer {
    call(router, request(Method::GET, uri, bearer)).await
}

/// The answer with every occurrence of `id` made `{id}`: two 404s compared as one.
pub fn without_id(answer: &Answer, id: Uuid) -> String {
    answer.text.replace(&id.to_string(), "{id}")
}
