//! Raw flags validated once into typed configuration.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use domain::Namespace;

use crate::cli::GlobalArgs;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub nats_url: String,
    pub namespace: Namespace,
    pub http_addr: SocketAddr,
    /// JetStream's ack wait for the consumers' durable consumers.
    pub consumer_ack_wait: Duration,
    /// How often the API role's lag monitor measures.
    pub lag_interval: Duration,
}

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
        let consumer_ack_wait = parse_duration(&args.consumer_ack_wait).map_err(|e| {
            anyhow::anyhow!("--consumer-ack-wait / FORESIGHT_CONSUMER_ACK_WAIT: {e}")
        })?;
        let lag_interval = parse_duration(&args.lag_interval)
            .map_err(|e| anyhow::anyhow!("--lag-interval / FORESIGHT_LAG_INTERVAL: {e}"))?;
        Ok(Self {
            database_url: args.database_url.clone(),
            nats_url: args.nats_url.clone(),
            namespace,
            http_addr,
            consumer_ack_wait,
            lag_interval,
        })
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

    pub fn nats_options(&self, role: &str) -> bus::NatsOptions {
        bus::NatsOptions::new(&self.nats_url, &format!("foresight-{role}"))
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
    use super::*;

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
