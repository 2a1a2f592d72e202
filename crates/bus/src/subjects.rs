//! Every subject and stream name of a namespace, built from the validated namespace.

use domain::Namespace;
use uuid::Uuid;

/// Names for one namespace: `<ns>.cmd.>`, `<ns>.result.<id>`, `<ns>.evt.<project|_>.<type>`,
/// and the streams `<NS>_COMMANDS`, `<NS>_EVENTS`.
#[derive(Debug, Clone)]
pub struct Subjects {
    namespace: Namespace,
}

impl Subjects {
    pub fn new(namespace: &Namespace) -> Self {
        Self {
            namespace: namespace.clone(),
        }
    }

    pub fn namespace(&self) -> &Namespace {
        &self.namespace
    }

    pub fn commands_stream(&self) -> String {
        format!("{}_COMMANDS", self.namespace.upper())
    }

    pub fn events_stream(&self) -> String {
        format!("{}_EVENTS", self.namespace.upper())
    }

    /// `<ns>.cmd.>`: everything the command stream holds.
    pub fn commands_filter(&self) -> String {
        format!("{}.cmd.>", self.namespace)
    }

    /// `<ns>.cmd.task.start` for the command type `task.start`.
    pub fn command(&self, command_type: &str) -> String {
        format!("{}.cmd.{command_type}", self.namespace)
    }

    /// The command type a command subject names (its last two tokens), if it is one of ours.
    pub fn command_type_of<'a>(&self, subject: &'a str) -> Option<&'a str> {
        let rest = subject
            .strip_prefix(self.namespace.as_str())?
            .strip_prefix(".cmd.")?;
        let mut tokens = rest.split('.');
        match (tokens.next(), tokens.next(), tokens.next()) {
            (Some(a), Some(b), None) if !a.is_empty() && !b.is_empty() => Some(rest),
            _ => None,
        }
    }

    /// Where a command's outcome is published.
    pub fn result(&self, command_id: Uuid) -> String {
        format!("{}.result.{command_id}", self.namespace)
    }

    /// `<ns>.result.>`: every outcome.
    pub fn results_filter(&self) -> String {
        format!("{}.result.>", self.namespace)
    }

    /// `<ns>.evt.>`: everything the events stream holds.
    pub fn events_filter(&self) -> String {
        format!("{}.evt.>", self.namespace)
    }

    /// `<ns>.evt.<project or _>.<category>.<type>`.
    pub fn event(&self, project_id: Option<Uuid>, event_type: &str) -> String {
        match project_id {
            Some(project) => format!("{}.evt.{project}.{event_type}", self.namespace),
            None => format!("{}.evt._.{event_type}", self.namespace),
        }
    }

    /// `<ns>.feat.>`: feature news.
    pub fn features_filter(&self) -> String {
        format!("{}.feat.>", self.namespace)
    }

    /// `_INBOX_<ns>`: the first token of a service's reply subjects (JetStream API answers,
    /// the messages its consumers fetch), apart from the clients' `_INBOX.>`.
    pub fn service_inbox_prefix(&self) -> String {
        format!("_INBOX_{}", self.namespace)
    }

    /// `<ns>.feat.updated`: the feature store moved on; the body is its latest sequence number.
    pub fn features_updated(&self) -> String {
        format!("{}.feat.updated", self.namespace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subjects() -> Subjects {
        Subjects::new(&Namespace::new("acme").expect("valid namespace"))
    }

    #[test]
    fn names_follow_the_contract() {
        let s = subjects();
        assert_eq!(s.commands_stream(), "ACME_COMMANDS");
        assert_eq!(s.events_stream(), "ACME_EVENTS");
        assert_eq!(s.command("task.start"), "acme.cmd.task.start");
        assert_eq!(s.commands_filter(), "acme.cmd.>");
        assert_eq!(
            s.event(None, "member.registered"),
            "acme.evt._.member.registered"
        );
        let id = Uuid::nil();
        assert_eq!(
            s.event(Some(id), "task.started"),
            format!("acme.evt.{id}.task.started")
        );
        assert_eq!(s.result(id), format!("acme.result.{id}"));
        assert_eq!(s.service_inbox_prefix(), "_INBOX_acme");
    }

    #[test]
    fn command_type_comes_from_the_last_two_tokens() {
        let s = subjects();
        assert_eq!(s.command_type_of("acme.cmd.task.start"), Some("task.start"));
        assert_eq!(s.command_type_of("acme.cmd.task"), None);
        assert_eq!(s.command_type_of("acme.cmd.task.start.now"), None);
        assert_eq!(s.command_type_of("other.cmd.task.start"), None);
        assert_eq!(s.command_type_of("acmex.cmd.task.start"), None);
    }
}
