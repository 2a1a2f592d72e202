//! Raw flags validated once into typed configuration.

use std::net::SocketAddr;

use anyhow::Context;
use domain::Namespace;

use crate::api_flags::ApiArgs;
use crate::cli::GlobalArgs;

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub nats_url: String,
    pub nats_auth: bus::NatsAuth,
    pub nats_tls: bus::NatsTls,
    pub namespace: Namespace,
    pub http_addr: SocketAddr,
    pub streams: bus::StreamOptions,
    /// Larger commands are rejected as `payload_too_large`.
    pub max_command_bytes: usize,
    /// Read into the authenticator only where the API role runs.
    pub api: ApiArgs,
}

/// URLs may carry passwords: shown without them.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &bus::redacted_url(&self.database_url))
            .field("nats_url", &bus::redacted_url(&self.nats_url))
            .field("nats_auth", &self.nats_auth)
            .field("nats_tls", &self.nats_tls)
            .field("namespace", &self.namespace)
            .field("http_addr", &self.http_addr)
            .field("streams", &self.streams)
            .field("max_command_bytes", &self.max_command_bytes)
            .field("api", &self.api)
            .finish()
    }
}

/// The range `--max-command-bytes` may take: a command needs some room, and no NATS server
/// carries messages above 64 MiB.
const COMMAND_BYTES: std::ops::RangeInclusive<u64> = 1024..=64 * 1024 * 1024;

impl Config {
    pub fn from_args(args: &GlobalArgs) -> anyhow::Result<Self> {
        let namespace = Namespace::new(&args.namespace)
            .map_err(|e| anyhow::anyhow!("--namespace / FORESIGHT_NAMESPACE: {e:?}"))?;
        let http_addr = args.http_addr.parse().with_context(|| {
            format!(
                "--http-addr / FORESIGHT_HTTP_ADDR: {} is not host:port",
                args.http_addr
            )
        })?;
        let streams = bus::StreamOptions::new(args.stream_replicas)
            .map_err(|e| anyhow::anyhow!("--stream-replicas / FORESIGHT_STREAM_REPLICAS: {e}"))?;
        if !COMMAND_BYTES.contains(&args.max_command_bytes) {
            anyhow::bail!(
                "--max-command-bytes / FORESIGHT_MAX_COMMAND_BYTES: {} is not from {} to {}",
                args.max_command_bytes,
                COMMAND_BYTES.start(),
                COMMAND_BYTES.end()
            );
        }
        Ok(Self {
            database_url: args.database_url.clone(),
            nats_url: args.nats_url.clone(),
            nats_auth: args.nats.auth()?,
            nats_tls: args.nats.tls()?,
            namespace,
            http_addr,
            streams,
            max_command_bytes: usize::try_from(args.max_command_bytes)?,
            api: args.api.clone(),
        })
    }

    /// The command handler's configuration: the defaults, with the limits set here.
    pub fn handler_config(&self) -> commands::HandlerConfig {
        commands::HandlerConfig {
            max_payload_bytes: self.max_command_bytes,
            ..Default::default()
        }
    }

    pub fn connect_options(&self, role: &str) -> store::ConnectOptions {
        let mut options = store::ConnectOptions::new(&self.database_url, &self.namespace);
        options.application_name = format!("foresight-{role}");
        options
    }

    /// A service's connection: replies on the namespace's own inbox prefix, which
    /// `deploy/nats` lets only the service user read.
    pub fn nats_options(&self, role: &str) -> bus::NatsOptions {
        let mut options = self.nats_client_options(role);
        options.inbox_prefix = Some(bus::Subjects::new(&self.namespace).service_inbox_prefix());
        options
    }

    /// A client's connection (`send`): replies on the default `_INBOX`, like any NATS client.
    pub fn nats_client_options(&self, role: &str) -> bus::NatsOptions {
        let mut options = bus::NatsOptions::new(&self.nats_url, &format!("foresight-{role}"));
        options.auth = self.nats_auth.clone();
        options.tls = self.nats_tls.clone();
        options
    }

    /// The same deployment under another namespace (benchmarks use their own).
    pub fn with_namespace(&self, namespace: Namespace) -> Self {
        Self {
            namespace,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    fn config(flags: &[&str]) -> anyhow::Result<Config> {
        let args = ["foresight"].iter().chain(flags).chain(&["models"]);
        Config::from_args(&Cli::try_parse_from(args)?.global)
    }

    #[test]
    fn the_command_size_limit_is_a_flag_with_a_bounded_range() {
        assert_eq!(
            config(&[]).unwrap().handler_config().max_payload_bytes,
            256 * 1024
        );
        let set = config(&["--max-command-bytes", "65536"]).unwrap();
        assert_eq!(set.handler_config().max_payload_bytes, 65536);
        for bad in ["100", "1000000000", "-1", "lots"] {
            assert!(config(&["--max-command-bytes", bad]).is_err(), "{bad}");
        }
    }
}
