//! JSON Web Tokens, checked as RFC 8725 advises: an allow-list of algorithms with each key
//! bound to one of them, a signature always verified, `exp`, `iss` and `aud` required, `nbf`
//! honoured, claims of the wrong type refused.

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use secrecy::ExposeSecret;
use serde::Deserialize;

use super::authenticator::AuthSetupError;
use super::config::{JwtConfig, ProjectAccess, Scopes};
use super::grant::Grant;

/// RFC 7518 section 3.2: an HS256 key at least as long as the hash.
const MIN_HS256_SECRET: usize = 32;

pub struct Jwt {
    hs256: Option<(DecodingKey, Validation)>,
    rs256: Option<(DecodingKey, Validation)>,
}

/// The claims Foresight reads besides the registered ones.
#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    /// Space-separated scope names, as in OAuth 2.0 (`"read metrics"`).
    scope: Option<String>,
    /// `"*"` or the project ids the bearer may read; none means no project.
    projects: Option<ProjectAccess>,
}

impl Jwt {
    pub fn new(config: &JwtConfig) -> Result<Self, AuthSetupError> {
        super::ring_provider::install();
        if config.issuer.trim().is_empty() || config.audience.trim().is_empty() {
            return Err(AuthSetupError::JwtClaimsMissing);
        }
        let validation = |algorithm| {
            let mut v = Validation::new(algorithm);
            v.leeway = config.leeway_secs;
            v.validate_exp = true;
            v.validate_nbf = true;
            v.validate_aud = true;
            v.set_issuer(&[&config.issuer]);
            v.set_audience(&[&config.audience]);
            v.set_required_spec_claims(&["exp", "iss", "aud"]);
            v
        };
        let hs256 = match &config.hs256_secret {
            Some(secret) => {
                let secret = secret.expose_secret();
                if secret.len() < MIN_HS256_SECRET {
                    return Err(AuthSetupError::ShortHs256Secret);
                }
                let key = DecodingKey::from_secret(secret)
                    .map_err(|e| AuthSetupError::BadKey(e.to_string()))?;
                Some((key, validation(Algorithm::HS256)))
            }
            None => None,
        };
        let rs256 = match &config.rs256_public_key_pem {
            Some(pem) => {
                let key = DecodingKey::from_rsa_pem(pem)
                    .map_err(|e| AuthSetupError::BadKey(e.to_string()))?;
                Some((key, validation(Algorithm::RS256)))
            }
            None => None,
        };
        if hs256.is_none() && rs256.is_none() {
            return Err(AuthSetupError::NoJwtKey);
        }
        Ok(Self { hs256, rs256 })
    }

    /// The grant a valid token carries, or why it is refused (for logs, not for clients).
    pub fn verify(&self, token: &str) -> Result<Grant, &'static str> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| "malformed JWT")?;
        // The key is chosen by the algorithm, and each key knows only its own: an RS256
        // public key is never taken for an HS256 secret.
        let (key, validation) = match header.alg {
            Algorithm::HS256 => self.hs256.as_ref(),
            Algorithm::RS256 => self.rs256.as_ref(),
            _ => None,
        }
        .ok_or("algorithm not allowed")?;
        let data =
            jsonwebtoken::decode::<Claims>(token, key, validation).map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => "expired",
                ErrorKind::ImmatureSignature => "not valid yet (nbf)",
                ErrorKind::InvalidIssuer => "wrong issuer",
                ErrorKind::InvalidAudience => "wrong audience",
                ErrorKind::InvalidSignature => "bad signature",
                ErrorKind::MissingRequiredClaim(_) => "a required claim is missing",
                ErrorKind::InvalidAlgorithm => "algorithm not allowed",
                _ => "malformed JWT",
            })?;
        let claims = data.claims;
        Ok(Grant {
            holder: claims.sub.unwrap_or_else(|| "jwt".into()),
            scopes: Scopes::from_names(claims.scope.as_deref().unwrap_or("").split(' ')),
            projects: claims
                .projects
                .unwrap_or_else(|| ProjectAccess::Only(Default::default())),
        })
    }
}
