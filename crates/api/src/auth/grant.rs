//! What one request may read, once its bearer is known.

use uuid::Uuid;

use super::config::{ProjectAccess, Scopes};

/// Put in the request's extensions by the authorization layer; every handler reads it.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The token's name or the JWT's `sub`, for logs; never the token.
    pub holder: String,
    pub scopes: Scopes,
    pub projects: ProjectAccess,
}

impl Grant {
    /// Authentication off: everything, as before there was any.
    pub fn everything() -> Self {
        Self {
            holder: "anonymous".into(),
            scopes: Scopes::ALL,
            projects: ProjectAccess::All,
        }
    }

    pub fn may_read_project(&self, project: Uuid) -> bool {
        self.projects.allows(project)
    }

    pub fn reads_every_project(&self) -> bool {
        self.projects == ProjectAccess::All
    }

    /// Appended to an answer's cache key: answers filtered for one set of projects are
    /// never served to a bearer with another.
    pub fn cache_scope(&self) -> String {
        match &self.projects {
            ProjectAccess::All => String::new(),
            ProjectAccess::Only(ids) => {
                let mut context = ring::digest::Context::new(&ring::digest::SHA256);
                for id in ids {
                    context.update(id.as_bytes());
                }
                let digest = context.finish();
                let hex: String = digest.as_ref()[..16]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                format!("|{hex}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn only(ids: &[Uuid]) -> Grant {
        Grant {
            holder: "t".into(),
            scopes: Scopes::from_names(["read"]),
            projects: ProjectAccess::Only(ids.iter().copied().collect::<BTreeSet<_>>()),
        }
    }

    #[test]
    fn cache_scopes_differ_by_project_set_and_not_by_order() {
        let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(Grant::everything().cache_scope(), "");
        assert_eq!(only(&[a, b]).cache_scope(), only(&[b, a]).cache_scope());
        assert_ne!(only(&[a]).cache_scope(), only(&[b]).cache_scope());
        assert_ne!(only(&[]).cache_scope(), "");
    }
}
