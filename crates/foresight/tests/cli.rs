//! The binary as an operator uses it: `up`, `send`, `events`, the ops endpoints, SIGTERM,
//! tokens for the query API.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use testkit::TestEnv;
use uuid::Uuid;

fn foresight(env: &TestEnv, http_addr: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_foresight"));
    command
        .env("FORESIGHT_DATABASE_URL", &env.database_url)
        .env("FORESIGHT_NATS_URL", &env.nats_url)
        .env("FORESIGHT_NAMESPACE", env.namespace.as_str())
        .env("FORESIGHT_HTTP_ADDR", http_addr)
        .env("RUST_LOG", "warn");
    command
}

fn free_addr() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").to_string()
}

/// A bare HTTP/1.0 GET: (status, body).
fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    get_as(addr, path, None)
}

/// A bare HTTP/1.0 GET with a bearer token when one is given.
fn get_as(addr: &str, path: &str, bearer: Option<&str>) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let authorization = bearer
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {addr}\r\n{authorization}\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

fn wait_ready(addr: &str, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some((200, _)) = get(addr, "/readyz") {
            return;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "foresight up exited early"
        );
        assert!(Instant::now() < deadline, "foresight up never became ready");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn run(mut command: Command) -> Output {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("run foresight")
}

#[tokio::test]
async fn up_send_events_and_a_clean_stop() {
    let env = TestEnv::new().await;
    let addr = free_addr();
    let mut up = foresight(&env, &addr)
        .arg("up")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn up");
    wait_ready(&addr, &mut up);
    assert_eq!(get(&addr, "/healthz").map(|(s, _)| s), Some(200));
    let mut health = foresight(&env, &addr);
    health.arg("health");
    assert!(
        run(health).status.success(),
        "`foresight health` of a running up"
    );

    let member = Uuid::new_v4();
    let mut send = foresight(&env, &addr);
    send.args([
        "send",
        "member.register",
        &format!("member_id={member}"),
        "name=Ada",
        "skills=[\"rust\"]",
        "capacity_hours_per_week=30",
    ]);
    let sent = run(send);
    assert!(
        sent.status.success(),
        "send failed: {}",
        String::from_utf8_lossy(&sent.stderr)
    );
    let outcome: serde_json::Value = serde_json::from_slice(&sent.stdout).expect("outcome JSON");
    assert_eq!(outcome["status"], "accepted");
    assert_eq!(outcome["stream_id"], format!("member-{member}"));

    let mut missing = foresight(&env, &addr);
    missing.args(["send", "task.start", &format!("task_id={}", Uuid::new_v4())]);
    let rejected = run(missing);
    assert_eq!(rejected.status.code(), Some(2), "a rejection exits with 2");
    let outcome: serde_json::Value =
        serde_json::from_slice(&rejected.stdout).expect("outcome JSON");
    assert_eq!(outcome["error"]["code"], "not_found");

    // `events` prints what is readable in commit order; another test's open transaction on
    // the same cluster can hold that back for a moment.
    let deadline = Instant::now() + Duration::from_secs(30);
    let lines = loop {
        let mut events = foresight(&env, &addr);
        events.arg("events");
        let printed = run(events);
        assert!(printed.status.success());
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&printed.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        if !lines.is_empty() || Instant::now() > deadline {
            break lines;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["event_type"], "member.registered");

    let (status, metrics) = get(&addr, "/metrics").expect("metrics");
    assert_eq!(status, 200);
    assert!(
        metrics
            .contains("foresight_commands_total{outcome=\"accepted\",type=\"member.register\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("foresight_relay_active 1"));

    let term = Command::new("kill")
        .args(["-TERM", &up.id().to_string()])
        .status()
        .expect("kill");
    assert!(term.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = up.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "foresight up did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "SIGTERM is a clean stop: {status:?}");
}

#[test]
fn bad_configuration_is_named() {
    let output = run({
        let mut command = Command::new(env!("CARGO_BIN_EXE_foresight"));
        command
            .args(["events"])
            .env("FORESIGHT_NAMESPACE", "Not-Valid");
        command
    });
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("FORESIGHT_NAMESPACE"), "{stderr}");

    let output = run({
        let mut command = Command::new(env!("CARGO_BIN_EXE_foresight"));
        command
            .args(["events"])
            .env("FORESIGHT_STREAM_REPLICAS", "7");
        command
    });
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("FORESIGHT_STREAM_REPLICAS"), "{stderr}");
}

#[tokio::test]
async fn a_model_is_promoted_only_when_it_beats_the_active_one_on_the_same_test_runs() {
    let env = TestEnv::new().await;
    let addr = free_addr();
    let truth = std::env::temp_dir().join(format!("{}-truth.csv", env.namespace));
    let simulated = command_output(
        &env,
        &addr,
        &[
            "simulate",
            "--direct",
            "--events",
            "3000",
            "--truth-file",
            truth.to_str().expect("utf-8 path"),
        ],
    );
    assert!(simulated.status.success(), "{simulated:?}");
    let csv = std::fs::read_to_string(&truth).expect("truth file");
    let _ = std::fs::remove_file(&truth);
    assert!(csv.starts_with("task_id,project_id,member_id,estimate_hours,expected_hours"));
    assert!(csv.lines().count() > 50, "a truth row per started task");

    let first = command_output(&env, &addr, &["train"]);
    let first_out = String::from_utf8_lossy(&first.stdout);
    assert!(first.status.success(), "{first:?}");
    assert!(
        first_out.contains("promoted"),
        "no active model yet: {first_out}"
    );
    assert!(
        first_out.contains("completion forecast: scope growth learned for"),
        "{first_out}"
    );

    // The same log again: the new model is no better on the same test runs, so it stays a
    // candidate and the first stays active.
    let second = command_output(&env, &addr, &["train"]);
    let second_out = String::from_utf8_lossy(&second.stdout);
    assert!(second.status.success(), "{second:?}");
    assert!(second_out.contains("kept as a candidate"), "{second_out}");

    let models = command_output(&env, &addr, &["models"]);
    let listing = String::from_utf8_lossy(&models.stdout);
    let rows: Vec<&str> = listing.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{listing}");
    assert!(
        rows[0].contains("candidate") && rows[1].contains("active"),
        "{listing}"
    );

    let events: Vec<String> = sqlx::query_scalar(
        "SELECT event_type FROM events WHERE stream_id LIKE 'model-%' ORDER BY global_position",
    )
    .fetch_all(&env.pool)
    .await
    .expect("model events");
    assert_eq!(events, ["model.trained", "model.promoted", "model.trained"]);
}

fn command_output(env: &TestEnv, addr: &str, args: &[&str]) -> Output {
    let mut command = foresight(env, addr);
    command.args(args);
    run(command)
}

#[tokio::test]
async fn the_api_answers_only_the_tokens_foresight_token_made() {
    let env = TestEnv::new().await;
    let addr = free_addr();
    let made = command_output(
        &env,
        &addr,
        &["token", "new", "--name", "ci", "--all-projects"],
    );
    assert!(made.status.success(), "{made:?}");
    let out = String::from_utf8_lossy(&made.stdout).into_owned();
    let token = out
        .split_whitespace()
        .find(|w| w.starts_with("fst_"))
        .expect("the token is printed")
        .to_owned();
    let entry: serde_json::Value =
        serde_json::from_str(out.lines().last().expect("the entry")).expect("an entry as JSON");
    let tokens_file = std::env::temp_dir().join(format!("{}-tokens.json", env.namespace));
    std::fs::write(&tokens_file, serde_json::json!([entry]).to_string()).expect("tokens file");

    // `token hash` gives the entry's hash from standard input.
    let mut hash = foresight(&env, &addr)
        .args(["token", "hash"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn token hash");
    writeln!(hash.stdin.take().expect("stdin"), "{token}").expect("write");
    let hashed = hash.wait_with_output().expect("token hash");
    assert_eq!(
        String::from_utf8_lossy(&hashed.stdout).trim(),
        entry["sha256"].as_str().expect("hash")
    );

    // Required, and nothing configured: the API refuses to start, and says why.
    let mut bare = foresight(&env, &addr);
    bare.args(["run", "api"])
        .env("FORESIGHT_API_AUTH", "required");
    let refused = run(bare);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("FORESIGHT_API_AUTH"));

    let log = std::env::temp_dir().join(format!("{}-api.log", env.namespace));
    let mut api = foresight(&env, &addr)
        .args(["run", "api"])
        .env("FORESIGHT_API_AUTH", "required")
        .env("FORESIGHT_API_TOKENS_FILE", &tokens_file)
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"))
        .spawn()
        .expect("spawn run api");
    wait_ready(&addr, &mut api);
    assert_eq!(get(&addr, "/v1/projects").map(|(s, _)| s), Some(401));
    let wrong = format!("{token}0");
    assert_eq!(
        get_as(&addr, "/v1/projects", Some(&wrong)).map(|(s, _)| s),
        Some(401)
    );
    assert_eq!(
        get_as(&addr, "/v1/projects", Some(&token)).map(|(s, _)| s),
        Some(200)
    );
    let _ = api.kill();
    let _ = api.wait();
    let logged = std::fs::read_to_string(&log).expect("log");
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&tokens_file);
    assert!(logged.contains("authentication is on"), "{logged}");
    assert!(!logged.contains(&token), "the token reached the log");
}
