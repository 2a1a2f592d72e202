//! The query API's authentication and limits: flags, and the files they name read into
//! `api::AuthConfig` when the API role starts.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use secrecy::{ExposeSecret, SecretBox, SecretString};

use crate::nats_flags::secret;

#[derive(Args, Debug, Clone)]
pub struct ApiArgs {
    /// `auto`: on when tokens or a JWT key are configured, else off with a warning (a
    /// developer machine); `required`: refuse to start without them (production).
    #[arg(long, global = true, env = "FORESIGHT_API_AUTH", value_enum, default_value_t = AuthMode::Auto)]
    pub api_auth: AuthMode,
    /// JSON file of bearer tokens: `[{"name", "sha256", "scopes", "projects"}]`
    /// (`foresight token new` makes an entry).
    #[arg(long, global = true, env = "FORESIGHT_API_TOKENS_FILE")]
    pub api_tokens_file: Option<PathBuf>,
    /// Shared secret of HS256 JWTs, 32 bytes or more; prefer the variable to the flag, which
    /// `ps` shows.
    #[arg(long, global = true, env = "FORESIGHT_API_JWT_HS256_SECRET", hide_env_values = true, value_parser = secret)]
    pub api_jwt_hs256_secret: Option<SecretString>,
    /// PEM file of the RSA public key of RS256 JWTs.
    #[arg(long, global = true, env = "FORESIGHT_API_JWT_RS256_PUBLIC_KEY")]
    pub api_jwt_rs256_public_key: Option<PathBuf>,
    /// The `iss` every JWT must carry.
    #[arg(long, global = true, env = "FORESIGHT_API_JWT_ISSUER")]
    pub api_jwt_issuer: Option<String>,
    /// The `aud` every JWT must carry.
    #[arg(long, global = true, env = "FORESIGHT_API_JWT_AUDIENCE")]
    pub api_jwt_audience: Option<String>,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_API_JWT_LEEWAY_SECS",
        default_value_t = 30
    )]
    pub api_jwt_leeway_secs: u64,
    /// `/metrics`: `open`, or `token` (a bearer with the `metrics` scope).
    #[arg(long, global = true, env = "FORESIGHT_API_METRICS", value_enum, default_value_t = MetricsMode::Open)]
    pub api_metrics: MetricsMode,
    /// Largest request body accepted (the API reads none).
    #[arg(long, global = true, env = "FORESIGHT_API_MAX_BODY_BYTES", default_value_t = 16 * 1024)]
    pub api_max_body_bytes: u64,
    /// Requests handled at once; beyond, 503 `overloaded`.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_API_MAX_IN_FLIGHT",
        default_value_t = 1024
    )]
    pub api_max_in_flight: usize,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMode {
    Auto,
    Required,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricsMode {
    Open,
    Token,
}

impl ApiArgs {
    pub fn limits(&self) -> api::RequestLimits {
        api::RequestLimits {
            max_body_bytes: self.api_max_body_bytes,
            max_in_flight: self.api_max_in_flight,
            ..api::RequestLimits::default()
        }
    }

    /// Reads the files the flags name and builds the authenticator; when it serves the API,
    /// says loudly that the API is open, or refuses to if authentication is required.
    pub fn authenticator(
        &self,
        http_addr: SocketAddr,
        serves_api: bool,
    ) -> anyhow::Result<api::auth::Authenticator> {
        let config = self.auth_config()?;
        if !serves_api {
            // `/metrics` only: the same rule as beside the API.
            return Ok(api::auth::Authenticator::new(config)?);
        }
        if !config.is_enabled() {
            if self.api_auth == AuthMode::Required {
                anyhow::bail!(
                    "FORESIGHT_API_AUTH=required, but neither FORESIGHT_API_TOKENS_FILE nor a JWT key (FORESIGHT_API_JWT_HS256_SECRET, FORESIGHT_API_JWT_RS256_PUBLIC_KEY) is set"
                );
            }
            let exposed = !http_addr.ip().is_loopback();
            tracing::warn!(
                addr = %http_addr,
                exposed,
                "THE QUERY API ANSWERS WITHOUT AUTHENTICATION: anyone who reaches {http_addr} reads every project; set FORESIGHT_API_TOKENS_FILE or FORESIGHT_API_JWT_* and FORESIGHT_API_AUTH=required outside a developer machine"
            );
        } else {
            tracing::info!(
                tokens = config.tokens.len(),
                jwt = config.jwt.is_some(),
                metrics = ?config.metrics,
                "query API authentication is on"
            );
        }
        Ok(api::auth::Authenticator::new(config)?)
    }

    fn auth_config(&self) -> anyhow::Result<api::auth::AuthConfig> {
        let tokens = match &self.api_tokens_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| {
                    format!("FORESIGHT_API_TOKENS_FILE: reading {}", path.display())
                })?;
                api::auth::parse_tokens(&text).with_context(|| {
                    format!(
                        "FORESIGHT_API_TOKENS_FILE: {} is not a tokens file",
                        path.display()
                    )
                })?
            }
            None => Vec::new(),
        };
        let rs256_public_key_pem = match &self.api_jwt_rs256_public_key {
            Some(path) => Some(std::fs::read(path).with_context(|| {
                format!(
                    "FORESIGHT_API_JWT_RS256_PUBLIC_KEY: reading {}",
                    path.display()
                )
            })?),
            None => None,
        };
        let hs256_secret = self
            .api_jwt_hs256_secret
            .as_ref()
            .map(|s| SecretBox::new(s.expose_secret().as_bytes().to_vec().into_boxed_slice()));
        let jwt = if hs256_secret.is_some() || rs256_public_key_pem.is_some() {
            Some(api::auth::JwtConfig {
                hs256_secret,
                rs256_public_key_pem,
                issuer: self.api_jwt_issuer.clone().context(
                    "JWTs are configured: FORESIGHT_API_JWT_ISSUER names the issuer to expect",
                )?,
                audience: self.api_jwt_audience.clone().context(
                    "JWTs are configured: FORESIGHT_API_JWT_AUDIENCE names the audience to expect",
                )?,
                leeway_secs: self.api_jwt_leeway_secs,
            })
        } else {
            None
        };
        Ok(api::auth::AuthConfig {
            tokens,
            jwt,
            metrics: match self.api_metrics {
                MetricsMode::Open => api::auth::MetricsAccess::Open,
                MetricsMode::Token => api::auth::MetricsAccess::Token,
            },
        })
    }
}
