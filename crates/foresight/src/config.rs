//! Raw flags validated once into typed configuration.

use std::net::SocketAddr;

use anyhow::Context;
use domain::Namespace;

use crate::cli::GlobalArgs;

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub nats_url: String,
    pub namespace: Namespace,
    pub http_addr: SocketAddr,
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
        Ok(Self {
            database_url: args.database_url.clone(),
            nats_url: args.nats_url.clone(),
            namespace,
            http_addr,
        })
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
