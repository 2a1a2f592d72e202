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
            .field("api", &self.api)
            .finish()
    }
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
            nats_auth: args.nats.auth()?,
            nats_tls: args.nats.tls()?,
            namespace,
            http_addr,
            api: args.api.clone(),
        })
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
