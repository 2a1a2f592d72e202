//! A nats-server process of a test's own, for what the shared server cannot show: accounts,
//! permissions, credentials, TLS, a broker killed and started again. It listens on a free
//! loopback port, keeps its files (and JetStream's, if its configuration asks for it) in a
//! directory of its own, and is killed and removed with it on drop.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct NatsServer {
    /// `None` while killed.
    child: Option<Child>,
    port: u16,
    dir: PathBuf,
    env: Vec<(String, String)>,
}

/// `FORESIGHT_NATS_SERVER_BIN`, else `nats-server` on the path, else Debian's.
fn binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("FORESIGHT_NATS_SERVER_BIN") {
        return bin.into();
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("nats-server"))
            .find(|p| p.is_file())
    });
    on_path.unwrap_or_else(|| PathBuf::from("/usr/sbin/nats-server"))
}

impl NatsServer {
    /// A fresh directory for the server's files (configuration, certificates, JetStream's
    /// `store_dir`), known before the configuration is written.
    pub fn prepare() -> PreparedDir {
        let dir = std::env::temp_dir().join(format!(
            "foresight-nats-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).expect("creating the server's directory");
        PreparedDir { dir: Some(dir) }
    }

    /// Starts `nats-server` with `config` (a configuration file's text) in `dir`, with `env`
    /// set for the `$VARIABLES` the configuration reads; returns once it accepts connections.
    /// A port taken between choosing it and binding it (another test's server, a client's
    /// ephemeral port) is chosen again.
    pub fn start(dir: PreparedDir, config: &str, env: &[(&str, &str)]) -> NatsServer {
        let dir = dir.keep();
        let config_file = dir.join("nats-server.conf");
        std::fs::write(&config_file, config).expect("writing the configuration");
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port();
            let mut child = spawn(&config_file, &dir, port, env);
            match wait_until_ready(&mut child, &dir, port) {
                Ok(()) => {
                    return NatsServer {
                        child: Some(child),
                        port,
                        dir,
                        env: env
                            .iter()
                            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                            .collect(),
                    };
                }
                Err(said) if said.contains("address already in use") && attempt < 5 => {}
                Err(said) => {
                    let _ = std::fs::remove_dir_all(&dir);
                    panic!("nats-server did not start:\n{said}")
                }
            }
        }
    }

    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Where the configuration lives; tests put key and certificate files here too.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// SIGKILL: no clean shutdown, whatever was in flight is lost; the directory stays.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the killed server again with its configuration and directory, on the same port
    /// (its clients reconnect to the address they know); returns once it accepts connections.
    pub fn restart(&mut self) {
        assert!(self.child.is_none(), "the server is running");
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let config_file = self.dir.join("nats-server.conf");
        let mut child = spawn(&config_file, &self.dir, self.port, &env);
        if let Err(said) = wait_until_ready(&mut child, &self.dir, self.port) {
            panic!("nats-server did not start again on {}:\n{said}", self.port);
        }
        self.child = Some(child);
    }
}

/// Ready when the server's own log says so: a connection to the port alone could reach another
/// server that took the same port. `Err` with what the server said if it exited.
fn wait_until_ready(child: &mut Child, dir: &Path, port: u16) -> Result<(), String> {
    let said = || {
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        format!("{}{}", read("nats-server.stderr"), read("nats-server.log"))
    };
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(format!("exited ({status}):\n{}", said()));
        }
        let log = std::fs::read_to_string(dir.join("nats-server.log")).unwrap_or_default();
        if log.contains("Server is ready")
            && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("no answer on {port} in time:\n{}", said()));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `nats-server -c config -a 127.0.0.1 -p port`, its log and stderr in `dir` (both new).
fn spawn(config_file: &Path, dir: &Path, port: u16, env: &[(&str, &str)]) -> Child {
    let log = dir.join("nats-server.log");
    let _ = std::fs::remove_file(&log);
    // What the server says before its log opens (a configuration it cannot parse) goes to
    // stderr, so that is kept too.
    let stderr = std::fs::File::create(dir.join("nats-server.stderr"))
        .expect("creating the server's stderr file");
    let mut command = Command::new(binary());
    command
        .arg("-c")
        .arg(config_file)
        .args(["-a", "127.0.0.1", "-p", &port.to_string()])
        .arg("-l")
        .arg(&log)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(stderr));
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .spawn()
        .expect("nats-server must be installed (see scripts/services.sh)")
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A directory for a server that has not started yet; removed if it never does.
pub struct PreparedDir {
    dir: Option<PathBuf>,
}

impl PreparedDir {
    pub fn path(&self) -> &Path {
        self.dir.as_deref().expect("present until kept")
    }

    fn keep(mut self) -> PathBuf {
        self.dir.take().expect("present until kept")
    }
}

impl Drop for PreparedDir {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A port nothing listens on now; the server takes it a moment later.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
