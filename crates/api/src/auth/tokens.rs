//! Opaque bearer tokens, known only by their SHA-256.

use super::config::TokenEntry;
use super::grant::Grant;

/// The SHA-256 of a token, as the tokens file keeps it (64 hexadecimal digits).
pub fn token_sha256(token: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, token.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new token: 32 bytes from the operating system's generator, hex, behind a prefix that
/// secret scanners can recognise.
pub fn generate_token() -> Result<String, ring::error::Unspecified> {
    let mut bytes = [0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{TOKEN_PREFIX}{hex}"))
}

pub const TOKEN_PREFIX: &str = "fst_";

#[derive(Debug, Clone, Default)]
pub struct HashedTokens {
    entries: Vec<TokenEntry>,
}

impl HashedTokens {
    pub fn new(entries: Vec<TokenEntry>) -> Self {
        Self { entries }
    }

    /// The grant of the entry whose hash is the token's, if one is.
    pub fn find(&self, token: &str) -> Option<Grant> {
        let digest = ring::digest::digest(&ring::digest::SHA256, token.as_bytes());
        // Every entry is compared, each in constant time: how long this takes says nothing
        // about which entry, or how much of one, matched.
        let mut found = None;
        for entry in &self.entries {
            if constant_time_eq(digest.as_ref(), &entry.sha256) {
                found = Some(entry);
            }
        }
        found.map(|entry| Grant {
            holder: entry.name.clone(),
            scopes: entry.scopes,
            projects: entry.projects.clone(),
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::config::{ProjectAccess, Scopes};

    #[test]
    fn a_token_is_found_by_its_hash_only() {
        let hash = token_sha256("s3cret-token");
        assert_eq!(hash.len(), 64);
        let entry = TokenEntry {
            name: "ci".into(),
            sha256: std::array::from_fn(|i| {
                u8::from_str_radix(&hash[2 * i..2 * i + 2], 16).expect("hex")
            }),
            scopes: Scopes::from_names(["read"]),
            projects: ProjectAccess::All,
        };
        let tokens = HashedTokens::new(vec![entry]);
        assert_eq!(tokens.find("s3cret-token").expect("found").holder, "ci");
        assert!(tokens.find("s3cret-tokeN").is_none());
        assert!(tokens.find(&hash).is_none(), "the hash is not the token");
    }

    #[test]
    fn generated_tokens_are_long_and_differ() {
        let (a, b) = (
            generate_token().expect("random"),
            generate_token().expect("random"),
        );
        assert_ne!(a, b);
        assert!(
            a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64,
            "{a}"
        );
    }
}
