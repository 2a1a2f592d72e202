//! Names and titles: the words people would type, drawn from small fixed lists.

use crate::duration::Label;
use crate::random::Dice;

const FIRST_NAMES: [&str; 24] = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "Edsger",
    "Radia",
    "Tim",
    "Hedy",
    "Donald",
    "Katherine",
    "John",
    "Sophie",
    "Niklaus",
    "Joan",
    "Leslie",
    "Shafi",
    "Bjarne",
    "Anita",
    "Guido",
];
const LAST_NAMES: [&str; 20] = [
    "Novak",
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Schmidt",
    "Rossi",
    "Kowalski",
    "Silva",
    "Nguyen",
    "Haddad",
    "Murphy",
    "Jensen",
    "Costa",
    "Ivanova",
    "Patel",
    "Kim",
    "Dubois",
    "Weber",
    "Garcia",
];
const PROJECT_ADJECTIVES: [&str; 16] = [
    "Blue", "Silent", "Swift", "Golden", "Northern", "Bright", "Iron", "Hidden", "Crimson",
    "Quiet", "Rapid", "Amber", "Polar", "Lucky", "Solar", "Coral",
];
const PROJECT_NOUNS: [&str; 16] = [
    "Harbor", "Falcon", "Ledger", "Compass", "Beacon", "Orchard", "Summit", "Atlas", "Meadow",
    "Anchor", "Lantern", "Canyon", "Relay", "Prism", "Garden", "Voyage",
];
const OBJECTS: [&str; 24] = [
    "CSV export",
    "audit log",
    "search filters",
    "bulk edit",
    "webhooks",
    "SSO login",
    "billing page",
    "usage dashboard",
    "email notifications",
    "API pagination",
    "team invites",
    "order history",
    "rate limiter",
    "session handling",
    "invoice totals",
    "image uploads",
    "report scheduler",
    "permissions model",
    "onboarding flow",
    "mobile layout",
    "data retention job",
    "cache layer",
    "deploy pipeline",
    "metrics endpoint",
];
pub(crate) const BLOCK_REASONS: [&str; 5] = [
    "waiting on review",
    "waiting on another team",
    "test environment down",
    "needs clarification from the customer",
    "waiting on a vendor",
];
pub(crate) const REOPEN_REASONS: [&str; 3] =
    ["regression found", "failed QA", "missed a requirement"];
pub(crate) const CANCEL_REASONS: [&str; 4] = [
    "duplicate",
    "out of scope",
    "superseded by another task",
    "no longer needed",
];

fn verbs(label: Label) -> &'static [&'static str] {
    match label {
        Label::Feature => &["Add", "Build", "Support", "Implement"],
        Label::Bug => &["Fix", "Fix crash in", "Fix wrong data in"],
        Label::Chore => &["Upgrade", "Clean up", "Bump dependencies of"],
        Label::Research => &["Investigate", "Evaluate options for", "Prototype"],
        Label::Docs => &["Document", "Write a guide for"],
        Label::Refactor => &["Refactor", "Simplify", "Split up"],
    }
}

/// A person's full name and the handle they act under.
pub(crate) fn person(dice: &mut Dice) -> (String, String) {
    let first = dice.pick(&FIRST_NAMES);
    let last = dice.pick(&LAST_NAMES);
    let handle = format!("{}.{}", first.to_lowercase(), last.to_lowercase());
    (format!("{first} {last}"), handle)
}

pub(crate) fn project_name(dice: &mut Dice, number: usize) -> String {
    let adjective = dice.pick(&PROJECT_ADJECTIVES);
    let noun = dice.pick(&PROJECT_NOUNS);
    format!("{adjective} {noun} {number}")
}

/// Indices of a title's verb and object, turned into text only when the command is written.
pub(crate) fn title_words(dice: &mut Dice, label: Label) -> (u8, u8) {
    let verb = dice.index(verbs(label).len()) as u8;
    let object = dice.index(OBJECTS.len()) as u8;
    (verb, object)
}

pub(crate) fn title(label: Label, words: (u8, u8)) -> String {
    let verb = verbs(label)[usize::from(words.0)];
    let object = OBJECTS[usize::from(words.1)];
    format!("{verb} {object}")
}

pub(crate) fn description(label: Label, words: (u8, u8)) -> String {
    let object = OBJECTS[usize::from(words.1)];
    format!("Scope: {} work on the {object}.", label.as_str())
}
