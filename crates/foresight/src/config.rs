//! Raw flags validated once into typed configuration.

use std::net::SocketAddr;
use std::time::Duration;

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
    /// JetStream's ack wait for the consumers' durable consumers.
    pub consumer_ack_wait: Duration,
    /// How often the API role's lag monitor measures.
    pub lag_interval: Duration,
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
            .field("consumer_ack_wait", &self.consumer_ack_wait)
            .field("lag_interval", &self.lag_interval)
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
        let consumer_ack_wait = parse_duration(&args.consumer_ack_wait).map_err(|e| {
            anyhow::anyhow!("--consumer-ack-wait / FORESIGHT_CONSUMER_ACK_WAIT: {e}")
        })?;
        let lag_interval = parse_duration(&args.lag_interval)
            .map_err(|e| anyhow::anyhow!("--lag-interval / FORESIGHT_LAG_INTERVAL: {e}"))?;
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
            consumer_ack_wait,
            lag_interval,
        })
    }

    /// The command handler's configuration: the defaults, with the limits set here.
    pub fn handler_config(&self) -> commands::HandlerConfig {
        commands::HandlerConfig {
            max_payload_bytes: self.max_command_bytes,
            ..Default::default()
        }
    }

    /// The consumer runtime's settings for the roles that follow the log.
    pub fn consumer_config(&self) -> consumer::ConsumerConfig {
        consumer::ConsumerConfig {
            ack_wait: self.consumer_ack_wait,
            ..Default::default()
        }
    }

    pub fn connect_options(&self, role: &str) -> store::ConnectOptions {
        let mut options = store::ConnectOptions::new(&self.database_url, &self.namespace);
        options.set_role(role);
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

/// A positive duration as a number and a unit: `250ms`, `30s`, `1.5m`, `1h`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let seconds_per_unit = match unit {
        "ms" => 0.001,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        _ => {
            return Err(format!(
                "{text:?} is not a duration like 500ms, 30s, 2m or 1h"
            ));
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 500ms, 30s, 2m or 1h"))?;
    let duration = Duration::from_secs_f64(value * seconds_per_unit);
    if duration.is_zero() {
        return Err(format!("{text:?} must be longer than zero"));
    }
    Ok(duration)
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

    #[test]
    fn durations_read_with_their_unit() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("30").is_err(), "a unit is required");
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("3 weeks").is_err());
    }
}
