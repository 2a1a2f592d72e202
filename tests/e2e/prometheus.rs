//! A real Prometheus server (Debian's, fetched by `scripts/check-deploy`) scraping a test's
//! `/metrics` and evaluating `monitoring/`'s alert rules, with every duration in them divided
//! by 60, so that an alert meant to fire after minutes fires after as many seconds.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub struct Prometheus {
    child: Child,
    addr: String,
    _dir: TempDir,
}

impl Prometheus {
    /// Starts Prometheus scraping `targets` (host:port) every second with the scaled rules.
    pub fn start(targets: &[String]) -> Prometheus {
        let dir = TempDir::new();
        let rules = std::fs::read_to_string(repo().join("monitoring/rules/foresight.rules.yml"))
            .expect("the rules file");
        std::fs::write(dir.0.join("rules.yml"), time_scaled(&rules)).expect("write rules");
        let targets = targets
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ");
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
             rule_files: [rules.yml]\n\
             scrape_configs:\n  - job_name: foresight\n    static_configs:\n      - targets: [{targets}]\n"
        );
        std::fs::write(dir.0.join("prometheus.yml"), config).expect("write config");
        let addr = free_addr();
        let child = Command::new(binary())
            .arg(format!(
                "--config.file={}",
                dir.0.join("prometheus.yml").display()
            ))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.0.join("data").display()
            ))
            .arg(format!("--web.listen-address={addr}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting prometheus");
        Prometheus {
            child,
            addr,
            _dir: dir,
        }
    }

    /// The names of the alerts firing now (none while Prometheus is still starting).
    pub async fn firing(&self) -> Vec<String> {
        let Some(body) = get(&self.addr, "/api/v1/alerts").await else {
            return Vec::new();
        };
        let answer: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let mut names: Vec<String> = answer["data"]["alerts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|a| a["state"] == "firing")
            .filter_map(|a| a["labels"]["alertname"].as_str().map(str::to_owned))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the repository")
        .to_owned()
}

/// `FORESIGHT_PROMETHEUS`, else the one `scripts/check-deploy` unpacked, else the PATH's.
fn binary() -> PathBuf {
    if let Ok(path) = std::env::var("FORESIGHT_PROMETHEUS") {
        return path.into();
    }
    let tools = std::env::var("FORESIGHT_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").expect("HOME")).join(".cache/foresight/tools")
        });
    let unpacked = tools.join("prometheus");
    if unpacked.exists() {
        return unpacked;
    }
    let found = Command::new("sh")
        .args(["-c", "command -v prometheus"])
        .output()
        .expect("sh");
    assert!(
        found.status.success(),
        "no prometheus binary: run scripts/check-deploy (scripts/test does), or set FORESIGHT_PROMETHEUS"
    );
    PathBuf::from(String::from_utf8_lossy(&found.stdout).trim())
}

/// Minutes become seconds and hours minutes, in `for:`, range selectors and offsets; a
/// threshold on a `_seconds` series shrinks alike.
pub fn time_scaled(rules: &str) -> String {
    rules
        .lines()
        .map(|line| {
            let mut line = scale_durations(line);
            if line.contains("_seconds") {
                line = scale_threshold(&line);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn scale_durations(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number =
            chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric());
        if starts_number {
            let end = (i..chars.len())
                .find(|&j| !chars[j].is_ascii_digit())
                .unwrap_or(chars.len());
            let unit = chars.get(end).copied();
            let after = chars.get(end + 1).copied();
            let before: String = chars[..i].iter().collect();
            let is_duration = matches!(unit, Some('m' | 'h'))
                && !after.is_some_and(|c| c.is_alphanumeric())
                && (before.ends_with('[')
                    || before.ends_with("offset ")
                    || before.ends_with("for: "));
            if is_duration {
                let number: String = chars[i..end].iter().collect();
                out.push_str(&number);
                out.push(if unit == Some('m') { 's' } else { 'm' });
                i = end + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn scale_threshold(line: &str) -> String {
    let Some((head, number)) = line.rsplit_once("> ") else {
        return line.to_owned();
    };
    match number.trim().parse::<f64>() {
        Ok(value) => format!("{head}> {}", value / 60.0),
        Err(_) => line.to_owned(),
    }
}

fn free_addr() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").to_string()
}

async fn get(addr: &str, path: &str) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let exchange = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
        let request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await.ok()?;
        response.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())
    };
    tokio::time::timeout(Duration::from_secs(2), exchange)
        .await
        .ok()
        .flatten()
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("foresight-prom-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn durations_and_second_thresholds_are_divided_by_sixty() {
    let rules = "        expr: max by (c) (foresight_consumer_lag_seconds) > 60\n        for: 5m\n          (min_over_time(x_lag_events[10m])) > 0\n          foo offset 1h\n          rate(x[5m]) > 0.1";
    assert_eq!(
        time_scaled(rules),
        "        expr: max by (c) (foresight_consumer_lag_seconds) > 1\n        for: 5s\n          (min_over_time(x_lag_events[10s])) > 0\n          foo offset 1m\n          rate(x[5s]) > 0.1"
    );
}
