//! Every role as a process of its own (`foresight run <role>`), for the soak: started,
//! killed, restarted, and scraped for its memory and the lag it reports.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::cli::Role;
use crate::config::Config;

/// One role's process and what was seen of it.
pub struct Member {
    pub role: Role,
    pub addr: SocketAddr,
    child: Option<Child>,
    pub kills: u32,
    pub peak_rss_bytes: f64,
}

pub struct Fleet {
    config: Config,
    pub members: Vec<Member>,
}

impl Fleet {
    /// Starts every role on a port of its own.
    pub fn start(config: &Config) -> anyhow::Result<Self> {
        let mut fleet = Fleet {
            config: config.clone(),
            members: Vec::new(),
        };
        for role in Role::ALL {
            let addr = free_addr()?;
            fleet.members.push(Member {
                role: *role,
                addr,
                child: None,
                kills: 0,
                peak_rss_bytes: 0.0,
            });
        }
        for index in 0..fleet.members.len() {
            fleet.spawn(index)?;
        }
        Ok(fleet)
    }

    fn spawn(&mut self, index: usize) -> anyhow::Result<()> {
        let member = &mut self.members[index];
        let child = Command::new(std::env::current_exe().context("the running binary")?)
            .args(["run", &member.role.name()])
            .env("FORESIGHT_DATABASE_URL", &self.config.database_url)
            .env("FORESIGHT_NATS_URL", &self.config.nats_url)
            .env("FORESIGHT_NAMESPACE", self.config.namespace.as_str())
            .env("FORESIGHT_HTTP_ADDR", member.addr.to_string())
            .env("RUST_LOG", "error")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("starting the {} role", member.role.name()))?;
        member.child = Some(child);
        Ok(())
    }

    /// Kills a role: SIGKILL, or SIGTERM (which finishes the batch in hand) when `gently`.
    pub fn kill(&mut self, index: usize, gently: bool) -> anyhow::Result<()> {
        let member = &mut self.members[index];
        let Some(mut child) = member.child.take() else {
            return Ok(());
        };
        if gently {
            terminate(&child)?;
            // Bounded: a role that does not stop on SIGTERM is killed.
            for _ in 0..100 {
                if child.try_wait()?.is_some() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let _ = child.kill();
        child.wait()?;
        member.kills += 1;
        Ok(())
    }

    pub fn restart(&mut self, index: usize) -> anyhow::Result<()> {
        if self.members[index].child.is_none() {
            self.spawn(index)?;
        }
        Ok(())
    }

    /// Starts whatever is not running, including roles that died on their own.
    pub fn ensure_running(&mut self) -> anyhow::Result<()> {
        for index in 0..self.members.len() {
            let died = match self.members[index].child.as_mut() {
                Some(child) => child.try_wait()?.is_some(),
                None => true,
            };
            if died {
                self.members[index].child = None;
                self.spawn(index)?;
            }
        }
        Ok(())
    }

    pub fn is_running(&self, index: usize) -> bool {
        self.members[index].child.is_some()
    }

    /// SIGTERM to every role, then waits for all of them.
    pub fn stop(&mut self) -> anyhow::Result<()> {
        for index in 0..self.members.len() {
            self.kill(index, true)?;
        }
        Ok(())
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        for member in &mut self.members {
            if let Some(mut child) = member.child.take() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

fn terminate(child: &Child) -> anyhow::Result<()> {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .context("sending SIGTERM")?;
    anyhow::ensure!(status.success(), "kill -TERM failed");
    Ok(())
}

fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// The samples of a `/metrics` page: series (name with labels) to value.
pub async fn scrape(addr: SocketAddr) -> anyhow::Result<BTreeMap<String, f64>> {
    let read = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream
            .write_all(format!("GET /metrics HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes())
            .await?;
        let mut text = String::new();
        stream.read_to_string(&mut text).await?;
        anyhow::Ok(text)
    };
    let text = tokio::time::timeout(Duration::from_secs(2), read)
        .await
        .context("scraping timed out")??;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Ok(body
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .collect())
}
