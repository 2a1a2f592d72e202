//! API2: only a valid bearer gets in. Opaque tokens are known by their hash; JWTs are
//! checked as RFC 8725 advises (allow-listed algorithms each bound to its key, signature,
//! `exp`, `nbf`, `iss`, `aud`, claim types). Every refusal looks the same to the client,
//! and no token reaches the logs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{Value, json};

use crate::world::*;

/// A 401 with the problem, the challenge, and nothing about why.
fn assert_refused(answer: &Answer, what: &str) {
    answer.assert_problem(StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(
        answer
            .header("www-authenticate")
            .starts_with("Bearer realm=\"foresight\""),
        "{what}: {:?}",
        answer.headers
    );
    assert_eq!(
        answer.body["detail"], "a valid bearer token is required",
        "{what}"
    );
}

/// A JWT put together by hand, for what no honest library would sign.
fn forged(header: &Value, claims: &Value, signature: &[u8]) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).expect("json"));
    format!(
        "{}.{}.{}",
        part(header),
        part(claims),
        URL_SAFE_NO_PAD.encode(signature)
    )
}

/// Signed with the configured HS256 secret, but under another HMAC or another header.
fn hmac_signed(alg: &str, hmac: ring::hmac::Algorithm, claims: &Value) -> String {
    hmac_signed_with(&json!({"alg": alg, "typ": "JWT"}), hmac, claims)
}

fn hmac_signed_with(header: &Value, hmac: ring::hmac::Algorithm, claims: &Value) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).expect("json"));
    let input = format!("{}.{}", part(header), part(claims));
    let key = ring::hmac::Key::new(hmac, HS256_SECRET);
    let signature = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
}

#[tokio::test]
async fn requests_without_a_valid_opaque_token_are_refused_alike() {
    let world = World::new().await;
    let api = world.api().await;
    let uri = format!("/v1/projects/{}", world.a);
    let no_header = get(&api, &uri, None).await;
    assert_refused(&no_header, "no header");
    assert_eq!(
        no_header.header("www-authenticate"),
        "Bearer realm=\"foresight\""
    );

    let hash = api::auth::token_sha256(READER_A);
    let upper = READER_A.to_uppercase();
    for (what, value) in [
        ("another scheme", format!("Basic {READER_A}")),
        ("an empty bearer", "Bearer ".to_owned()),
        (
            "an unknown token",
            "Bearer fst_not_a_token_we_know".to_owned(),
        ),
        ("the hash instead of the token", format!("Bearer {hash}")),
        ("the token in another case", format!("Bearer {upper}")),
        ("a token with a suffix", format!("Bearer {READER_A}x")),
    ] {
        let request = Request::get(&uri)
            .header("authorization", value)
            .body(Body::empty())
            .expect("request");
        let answer = call(&api, request).await;
        assert_refused(&answer, what);
        assert_eq!(
            answer.text, no_header.text,
            "{what}: the body says nothing more"
        );
    }
    let ok = get(&api, &uri, Some(READER_A)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    // Authentication comes before routing: without a token, unknown paths say nothing.
    assert_refused(&get(&api, "/v1/nothing-here", None).await, "unknown path");
}

#[tokio::test]
async fn jwts_are_checked_as_rfc_8725_advises() {
    let world = World::new().await;
    let api = world.api().await;
    let uri = format!("/v1/projects/{}", world.a);
    let projects = json!([world.a]);
    let good = claims("read", projects.clone());
    // Signed by hand as the forgeries below are: accepted, so their refusals are for what
    // they change.
    let by_hand = hmac_signed("HS256", ring::hmac::HMAC_SHA256, &good);
    for (what, token) in [
        ("HS256", hs256(&good)),
        ("RS256", rs256(&good)),
        ("HS256 by hand", by_hand),
    ] {
        let answer = get(&api, &uri, Some(&token)).await;
        assert_eq!(answer.status, StatusCode::OK, "{what}: {}", answer.text);
    }

    let now = jsonwebtoken::get_current_timestamp();
    let with = |change: Value| {
        let mut claims = good.clone();
        for (key, value) in change.as_object().expect("object") {
            if value.is_null() {
                claims.as_object_mut().expect("object").remove(key);
            } else {
                claims[key] = value.clone();
            }
        }
        claims
    };
    let rs_public_as_secret = EncodingKey::from_secret(RS256_PUBLIC).expect("key");
    let header = |alg: &str| json!({"alg": alg, "typ": "JWT"});
    let mut refused = vec![
        ("expired", hs256(&with(json!({"exp": now - 60})))),
        ("not valid yet", hs256(&with(json!({"nbf": now + 600})))),
        ("no exp", hs256(&with(json!({"exp": null})))),
        ("no iss", hs256(&with(json!({"iss": null})))),
        ("no aud", hs256(&with(json!({"aud": null})))),
        (
            "another issuer",
            rs256(&with(json!({"iss": "https://evil.example"}))),
        ),
        (
            "another audience",
            rs256(&with(json!({"aud": "another-api"}))),
        ),
        (
            "exp as a string",
            hs256(&with(json!({"exp": (now + 3600).to_string()}))),
        ),
        (
            "nbf as a string, in the future",
            hs256(&with(json!({"nbf": (now + 600).to_string()}))),
        ),
        ("aud as a number", hs256(&with(json!({"aud": 42})))),
        (
            "signed with another RSA key",
            rs256_with(&good, RS256_OTHER_PRIVATE),
        ),
        (
            "HS256 keyed with the RS256 public key",
            sign(Algorithm::HS256, &good, &rs_public_as_secret),
        ),
        (
            "HS512, not on the allow-list",
            hmac_signed("HS512", ring::hmac::HMAC_SHA512, &good),
        ),
        (
            "HS384, not on the allow-list",
            hmac_signed("HS384", ring::hmac::HMAC_SHA384, &good),
        ),
        ("alg none", forged(&header("none"), &good, b"")),
        ("alg none, upper case", forged(&header("NONE"), &good, b"")),
        ("a signature cut off", {
            let token = hs256(&good);
            token[..token.rfind('.').expect("dot")].to_owned() + "."
        }),
        ("claims changed after signing", {
            let token = hs256(&with(json!({"projects": [world.a]})));
            let parts: Vec<&str> = token.split('.').collect();
            let body = URL_SAFE_NO_PAD
                .encode(serde_json::to_vec(&with(json!({"projects": "*"}))).expect("json"));
            format!("{}.{body}.{}", parts[0], parts[2])
        }),
        ("an unknown critical extension", {
            let header =
                json!({"alg": "HS256", "typ": "JWT", "crit": ["x-unknown"], "x-unknown": 1});
            hmac_signed_with(&header, ring::hmac::HMAC_SHA256, &good)
        }),
    ];
    refused.push(("garbage in three parts", "a.b.c".into()));
    for (what, token) in refused {
        assert_refused(&get(&api, &uri, Some(&token)).await, what);
    }
}

/// Everything written to the log while the test runs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_reaches_the_logs() {
    let world = World::new().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    // This test's runtime is one thread: every task of the request logs here.
    let _guard = tracing::subscriber::set_default(subscriber);
    let api = world.api().await;
    let jwt = hs256(&claims("read", json!("*")));
    let expired = hs256(&{
        let mut c = claims("read", json!("*"));
        c["exp"] = json!(1);
        c
    });
    let uri = format!("/v1/projects/{}", world.a);
    for bearer in [
        READER_A,
        "fst_wrong_token_value",
        jwt.as_str(),
        expired.as_str(),
    ] {
        get(&api, &uri, Some(bearer)).await;
        call(&api, request(Method::DELETE, &uri, Some(bearer))).await;
    }
    let logs = String::from_utf8_lossy(&captured.0.lock().expect("logs")).into_owned();
    assert!(
        logs.contains("request refused"),
        "the refusals are logged:\n{logs}"
    );
    for secret in [READER_A, "fst_wrong_token_value", &jwt, &expired] {
        assert!(!logs.contains(secret), "a token reached the logs:\n{logs}");
    }
    // Nor does the configuration print its secrets.
    let shown = format!("{:?}", world.auth_config());
    let secret = String::from_utf8_lossy(HS256_SECRET);
    assert!(!shown.contains(secret.as_ref()), "{shown}");
    assert!(shown.contains("REDACTED"), "{shown}");
}
