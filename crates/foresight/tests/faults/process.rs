//! The `foresight` binary as operators run it, one process per role, and what the tests do to
//! such a process: scrape its `/metrics`, kill it (SIGKILL), pause and resume it (SIGSTOP,
//! SIGCONT). A process still running when its handle is dropped is killed.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use testkit::TestEnv;

/// The binary, configured for the test's namespace; quiet unless `TEST_LOG` is set.
pub fn foresight(env: &TestEnv) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_foresight"));
    command
        .env("FORESIGHT_DATABASE_URL", &env.database_url)
        .env("FORESIGHT_NATS_URL", &env.nats_url)
        .env("FORESIGHT_NAMESPACE", env.namespace.as_str())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    if std::env::var_os("TEST_LOG").is_none() {
        command.stderr(Stdio::null());
    }
    command
}

/// A seeded history of about `events` events decided and appended straight to the log
/// (`foresight simulate --direct`): a long log, fast.
pub async fn simulate_direct(env: &TestEnv, seed: u64, events: usize) {
    simulate_direct_in_background(env, seed, events)
        .await
        .expect("join");
}

/// The same, while the test goes on; the handle ends when the log has it all.
pub fn simulate_direct_in_background(
    env: &TestEnv,
    seed: u64,
    events: usize,
) -> tokio::task::JoinHandle<()> {
    let mut command = foresight(env);
    command.args([
        "simulate",
        "--direct",
        "--seed",
        &seed.to_string(),
        "--events",
        &events.to_string(),
    ]);
    tokio::task::spawn_blocking(move || {
        let status = command.status().expect("run foresight simulate");
        assert!(status.success(), "foresight simulate failed: {status:?}");
    })
}

pub fn free_addr() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").to_string()
}

/// `foresight run <role>` on an HTTP address of its own.
pub struct RoleProcess {
    pub role: String,
    pub addr: String,
    child: Child,
}

impl RoleProcess {
    /// Starts the role with `settings` (`FORESIGHT_*` variables) and waits until it is ready.
    pub async fn start(env: &TestEnv, role: &str, settings: &[(&str, &str)]) -> Self {
        let addr = free_addr();
        let mut command = foresight(env);
        command
            .args(["run", role])
            .env("FORESIGHT_HTTP_ADDR", &addr)
            .envs(settings.iter().copied());
        let child = command.spawn().expect("spawn foresight run");
        let mut process = Self {
            role: role.to_owned(),
            addr,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while get(&process.addr, "/readyz").await.map(|(s, _)| s) != Some(200) {
            assert!(
                process.child.try_wait().expect("wait").is_none(),
                "foresight run {role} exited early"
            );
            assert!(
                Instant::now() < deadline,
                "foresight run {role} never became ready"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        process
    }

    /// Its `/metrics` text.
    pub async fn metrics(&self) -> String {
        let (status, body) = get(&self.addr, "/metrics")
            .await
            .unwrap_or_else(|| panic!("{} serves no /metrics", self.role));
        assert_eq!(status, 200);
        body
    }

    /// SIGKILL: nothing is finished, the kernel closes its connections.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// SIGSTOP: frozen where it stands, connections open.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    /// SIGCONT.
    pub fn resume(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, signal: &str) {
        let sent = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success(), "kill {signal} failed");
    }
}

impl Drop for RoleProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bare HTTP/1.0 GET: (status, body), or `None` if nothing answers.
pub async fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    let (addr, path) = (addr.to_owned(), path.to_owned());
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(&addr).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).ok()?;
        let status = response.split(' ').nth(1)?.parse().ok()?;
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        Some((status, body))
    })
    .await
    .expect("join")
}

/// The value of one series (`name{labels}` exactly as exposed) in a `/metrics` text.
pub fn series(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|value| value.trim().parse().ok())
}
