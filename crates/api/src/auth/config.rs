//! What the binary configures: hashed bearer tokens, JWT keys and expected claims, and who
//! may read `/metrics`.

use std::collections::BTreeSet;

use secrecy::SecretBox;
use serde::Deserialize;
use uuid::Uuid;

/// Authentication is on when at least one token or one JWT key is configured.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    pub tokens: Vec<TokenEntry>,
    pub jwt: Option<JwtConfig>,
    pub metrics: MetricsAccess,
}

impl AuthConfig {
    pub fn is_enabled(&self) -> bool {
        !self.tokens.is_empty() || self.jwt.is_some()
    }
}

/// Who may read `/metrics` once authentication is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Anyone who reaches the port: Prometheus scrapes without a token.
    #[default]
    Open,
    /// A bearer with the `metrics` (or `admin`) scope.
    Token,
}

/// A bearer token as it is kept: never the token, only its SHA-256.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenEntry {
    /// Who holds it; logs name the holder, never the token.
    pub name: String,
    /// Hex SHA-256 of the token (`foresight token hash` prints it).
    #[serde(deserialize_with = "hex_sha256")]
    pub sha256: [u8; 32],
    pub scopes: Scopes,
    pub projects: ProjectAccess,
}

/// The tokens file: a JSON array of `{name, sha256, scopes, projects}`.
pub fn parse_tokens(json: &str) -> Result<Vec<TokenEntry>, serde_json::Error> {
    serde_json::from_str(json)
}

/// What a bearer may do. `admin` includes the others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes {
    pub read: bool,
    pub metrics: bool,
    pub admin: bool,
}

impl Scopes {
    pub const ALL: Scopes = Scopes {
        read: true,
        metrics: true,
        admin: true,
    };

    /// From scope names; unknown names are ignored, so that a token minted for other
    /// services as well still works here.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Scopes {
        let mut scopes = Scopes::default();
        for name in names {
            match name {
                "read" => scopes.read = true,
                "metrics" => scopes.metrics = true,
                "admin" => scopes.admin = true,
                _ => {}
            }
        }
        scopes
    }

    pub fn reads(self) -> bool {
        self.read || self.admin
    }

    pub fn reads_metrics(self) -> bool {
        self.metrics || self.admin
    }
}

impl<'de> Deserialize<'de> for Scopes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(deserializer)?;
        if let Some(unknown) = names
            .iter()
            .find(|n| !matches!(n.as_str(), "read" | "metrics" | "admin"))
        {
            // In our own file an unknown scope is a typo, not someone else's scope.
            return Err(serde::de::Error::custom(format!(
                "unknown scope {unknown:?} (read, metrics, admin)"
            )));
        }
        Ok(Scopes::from_names(names.iter().map(String::as_str)))
    }
}

/// The projects a bearer may read: `"*"` or a list of project ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectAccess {
    All,
    Only(BTreeSet<Uuid>),
}

impl ProjectAccess {
    pub fn allows(&self, project: Uuid) -> bool {
        match self {
            ProjectAccess::All => true,
            ProjectAccess::Only(ids) => ids.contains(&project),
        }
    }
}

impl<'de> Deserialize<'de> for ProjectAccess {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Star(String),
            Ids(Vec<Uuid>),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Star(s) if s == "*" => Ok(ProjectAccess::All),
            Raw::Star(s) => Err(serde::de::Error::custom(format!(
                "projects: {s:?} is neither \"*\" nor a list of project ids"
            ))),
            Raw::Ids(ids) => Ok(ProjectAccess::Only(ids.into_iter().collect())),
        }
    }
}

/// JSON Web Tokens: each key is bound to its one algorithm (RFC 8725 section 3.1), and
/// `exp`, `iss` and `aud` are required.
#[derive(Debug, Clone)]
pub struct JwtConfig {
    /// The shared secret for HS256: at least 32 bytes (RFC 7518 section 3.2).
    pub hs256_secret: Option<SecretBox<[u8]>>,
    /// A PEM RSA public key for RS256 (2048 bits or more).
    pub rs256_public_key_pem: Option<Vec<u8>>,
    pub issuer: String,
    pub audience: String,
    /// Clock skew tolerated on `exp` and `nbf`.
    pub leeway_secs: u64,
}

fn hex_sha256<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<[u8; 32], D::Error> {
    let hex = String::deserialize(deserializer)?;
    parse_hex_sha256(&hex).ok_or_else(|| {
        serde::de::Error::custom("sha256: expected 64 hexadecimal digits (foresight token hash)")
    })
}

fn parse_hex_sha256(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 || !hex.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tokens_file_reads_scopes_and_projects() {
        let project = Uuid::new_v4();
        let json = format!(
            r#"[{{"name": "ci", "sha256": "{}", "scopes": ["read"], "projects": ["{project}"]}},
                {{"name": "ops", "sha256": "{}", "scopes": ["admin"], "projects": "*"}}]"#,
            "ab".repeat(32),
            "CD".repeat(32)
        );
        let tokens = parse_tokens(&json).expect("valid file");
        assert_eq!(tokens[0].sha256, [0xab; 32]);
        assert!(tokens[0].scopes.reads() && !tokens[0].scopes.admin);
        assert!(tokens[0].projects.allows(project));
        assert!(!tokens[0].projects.allows(Uuid::new_v4()));
        assert_eq!(tokens[1].projects, ProjectAccess::All);
        assert!(tokens[1].scopes.reads() && tokens[1].scopes.reads_metrics());
    }

    #[test]
    fn a_tokens_file_with_a_typo_is_refused() {
        let hash = "ab".repeat(32);
        for bad in [
            format!(
                r#"[{{"name": "x", "sha256": "{hash}", "scopes": ["raed"], "projects": "*"}}]"#
            ),
            r#"[{"name": "x", "sha256": "abc", "scopes": ["read"], "projects": "*"}]"#.to_owned(),
            format!(
                r#"[{{"name": "x", "sha256": "{hash}", "scopes": ["read"], "projects": "all"}}]"#
            ),
            format!(
                r#"[{{"name": "x", "sha256": "{hash}", "scopes": ["read"], "projects": "*", "token": "t"}}]"#
            ),
        ] {
            assert!(parse_tokens(&bad).is_err(), "{bad}");
        }
    }
}
