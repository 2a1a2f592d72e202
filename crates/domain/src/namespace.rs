//! The deployment namespace: Postgres schema, subject prefix and stream-name prefix at once.

use std::fmt;
use std::str::FromStr;

/// A validated namespace, `^[a-z][a-z0-9_]{0,39}$` without `__`.
///
/// The rule is narrow on purpose: the same string becomes a Postgres schema name (unquoted
/// identifiers fold to lower case and must not start with a digit), a NATS subject token
/// (no `.`, `*`, `>` or whitespace) and, upper-cased, a JetStream stream-name prefix.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Namespace(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid namespace {0:?}: expected a lower-case letter, then up to 39 of a-z, 0-9 or _ (never two _ in a row)"
)]
pub struct InvalidNamespace(pub String);

impl Namespace {
    pub const DEFAULT: &'static str = "foresight";
    pub const MAX_LEN: usize = 40;

    pub fn new(s: &str) -> Result<Namespace, InvalidNamespace> {
        let mut chars = s.chars();
        let starts_with_letter = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        // `__` separates a namespace from its projections' schemas (`<ns>__boards`), so no
        // namespace may contain it, or one namespace's schema could be another's projection.
        if starts_with_letter && rest_ok && !s.contains("__") && s.len() <= Self::MAX_LEN {
            Ok(Namespace(s.to_owned()))
        } else {
            Err(InvalidNamespace(s.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JetStream stream-name prefix, e.g. `FORESIGHT`.
    pub fn upper(&self) -> String {
        self.0.to_ascii_uppercase()
    }
}

impl Default for Namespace {
    fn default() -> Self {
        Namespace(Self::DEFAULT.to_owned())
    }
}

impl FromStr for Namespace {
    type Err = InvalidNamespace;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Namespace::new(s)
    }
}

impl fmt::Display for Namespace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_documented_shape() {
        for ok in ["foresight", "a", "t_1234_abc", &"a".repeat(40)] {
            let ns: Namespace = ok.parse().unwrap();
            assert_eq!(ns.as_str(), ok);
            assert_eq!(ns.to_string(), ok);
        }
        assert_eq!(Namespace::default().upper(), "FORESIGHT");
    }

    #[test]
    fn refuses_anything_that_could_break_sql_or_subjects() {
        for bad in [
            "",
            "1abc",
            "_abc",
            "Foresight",
            "fore.sight",
            "fore-sight",
            "fore sight",
            "fore*",
            "fore>",
            "forésight",
            &"a".repeat(41),
        ] {
            assert_eq!(
                Namespace::new(bad),
                Err(InvalidNamespace(bad.to_owned())),
                "{bad}"
            );
        }
    }
}
