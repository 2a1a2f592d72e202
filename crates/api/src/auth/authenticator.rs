//! From an `Authorization` header to a grant, or a refusal.

use axum::http::{HeaderMap, header};

use super::config::{AuthConfig, MetricsAccess};
use super::grant::Grant;
use super::jwt::Jwt;
use super::tokens::HashedTokens;

/// The configuration could not be turned into an authenticator; start-up stops.
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("the HS256 secret must be at least 32 bytes (RFC 7518 section 3.2)")]
    ShortHs256Secret,
    #[error("a JWT key is unusable: {0}")]
    BadKey(String),
    #[error("JWTs need both an issuer and an audience to check")]
    JwtClaimsMissing,
    #[error("JWTs are configured without a key (an HS256 secret or an RS256 public key)")]
    NoJwtKey,
}

/// Why a request has no grant. (A grant without the scope a request needs is the layer's
/// 403.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// 401: no bearer token; nothing tells the client more than that.
    Missing,
    /// 401: a bearer that is not valid; the reason goes to the log only.
    Invalid(&'static str),
}

/// Off when nothing is configured: then every request gets `Grant::everything`.
pub struct Authenticator {
    enabled: bool,
    tokens: HashedTokens,
    jwt: Option<Jwt>,
    pub(crate) metrics: MetricsAccess,
}

impl Authenticator {
    pub fn new(config: AuthConfig) -> Result<Self, AuthSetupError> {
        let enabled = config.is_enabled();
        let jwt = config.jwt.as_ref().map(Jwt::new).transpose()?;
        Ok(Self {
            enabled,
            tokens: HashedTokens::new(config.tokens),
            jwt,
            metrics: config.metrics,
        })
    }

    pub fn off() -> Self {
        Self {
            enabled: false,
            tokens: HashedTokens::default(),
            jwt: None,
            metrics: MetricsAccess::Open,
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The grant of the request's bearer token.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Grant, Refusal> {
        if !self.enabled {
            return Ok(Grant::everything());
        }
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or(Refusal::Missing)?
            .to_str()
            .map_err(|_| Refusal::Invalid("not ASCII"))?;
        let (scheme, token) = value
            .split_once(' ')
            .ok_or(Refusal::Invalid("not a bearer token"))?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return Err(Refusal::Invalid("not a bearer token"));
        }
        let token = token.trim();
        if token.is_empty() {
            return Err(Refusal::Invalid("empty token"));
        }
        // A compact JWS has three dot-separated parts; an opaque token has none.
        if token.split('.').count() == 3
            && let Some(jwt) = &self.jwt
        {
            return jwt.verify(token).map_err(Refusal::Invalid);
        }
        self.tokens
            .find(token)
            .ok_or(Refusal::Invalid("unknown token"))
    }
}
