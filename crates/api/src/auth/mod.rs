//! Who may read what: bearer tokens kept as hashes, or JWTs; the grant a request carries;
//! the layer that checks it before any route.

mod authenticator;
mod config;
mod grant;
mod jwt;
pub(crate) mod layer;
mod ring_provider;
mod tokens;

pub use authenticator::{AuthSetupError, Authenticator, Refusal};
pub use config::{
    AuthConfig, JwtConfig, MetricsAccess, ProjectAccess, Scopes, TokenEntry, parse_tokens,
};
pub use grant::Grant;
/// JWT verification installs it itself; tools that sign tokens (tests) call it first.
pub use ring_provider::install as install_jwt_crypto;
pub use tokens::{generate_token, token_sha256};
