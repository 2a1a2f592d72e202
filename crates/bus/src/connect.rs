//! Connecting to NATS.

use anyhow::Context;

/// How to reach NATS.
#[derive(Debug, Clone)]
pub struct NatsOptions {
    pub url: String,
    pub client_name: String,
}

impl NatsOptions {
    pub fn new(url: &str, client_name: &str) -> Self {
        Self {
            url: url.to_owned(),
            client_name: client_name.to_owned(),
        }
    }
}

pub async fn connect(options: &NatsOptions) -> anyhow::Result<async_nats::Client> {
    async_nats::ConnectOptions::new()
        .name(&options.client_name)
        .connect(&options.url)
        .await
        .with_context(|| format!("connecting to NATS at {}", options.url))
}
