//! JSON text read strictly: nesting bounded, no NUL character, no key twice in one object, and
//! every problem located by the path of the field where it lies (`payload.labels.2`).
//!
//! serde_json alone would accept a NUL (`\u0000`) that PostgreSQL's `jsonb` and `text` refuse,
//! keep the last of two equal keys silently, and stop at depth 128 with an error that names no
//! field. Building the tree ourselves gives each of these a clear answer instead, and remembers
//! the envelope's `command_id` as soon as it is read, so that a body broken further on can
//! still be answered by id.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Containers inside containers at most. A command needs three (envelope, payload, a list);
/// the bound sits far below serde_json's own limit of 128, so the refusal is ours and names
/// the field where the nesting went too deep.
pub const MAX_NESTING: usize = 16;

/// Characters of one key kept when a key is written into a field path.
const MAX_KEY_CHARS: usize = 64;

/// What is wrong with a body that could not become a JSON tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON text, or JSON serde_json cannot hold (a number beyond `f64`, a lone surrogate).
    Syntax,
    TooDeep,
    /// A string or key holding U+0000, which PostgreSQL cannot store.
    Nul,
    DuplicateKey,
}

#[derive(Debug)]
pub struct Refused {
    pub problem: Problem,
    /// Where the problem lies, as a field path; `None` at the top of the document.
    pub field: Option<String>,
    pub message: String,
    /// The envelope's `command_id` string, when it was read before the problem.
    pub command_id: Option<String>,
}

/// Reads `body` as one JSON value, strictly.
pub fn parse(body: &[u8]) -> Result<Value, Refused> {
    let found = RefCell::new(Found::default());
    let path = RefCell::new(Vec::new());
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let walk = Walk {
        depth: 0,
        path: &path,
        found: &found,
    };
    let result = walk
        .deserialize(&mut deserializer)
        .and_then(|value| deserializer.end().map(|()| value));
    let error = match result {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let found = found.into_inner();
    let (problem, segments) = found.problem.unwrap_or((Problem::Syntax, Vec::new()));
    let field = (!segments.is_empty()).then(|| segments.join("."));
    let message = match (problem, &field) {
        (Problem::Syntax, Some(field)) => format!("{field}: the message is not JSON: {error}"),
        (Problem::Syntax, None) => format!("the message is not JSON: {error}"),
        (Problem::TooDeep, field) => format!(
            "{}: nested more than {MAX_NESTING} levels deep",
            field.as_deref().unwrap_or("command")
        ),
        (Problem::Nul, field) => format!(
            "{}: holds a NUL character (\\u0000), which cannot be stored",
            field.as_deref().unwrap_or("command")
        ),
        (Problem::DuplicateKey, field) => format!(
            "{}: the key appears twice in one object",
            field.as_deref().unwrap_or("command")
        ),
    };
    Err(Refused {
        problem,
        field,
        message,
        command_id: found.command_id,
    })
}

/// A key as it may appear in a field path or a message: control characters escaped, at most
/// [`MAX_KEY_CHARS`] characters. A key is the client's text, as long and as odd as it likes.
pub fn printable(key: &str) -> String {
    if key.is_empty() {
        // An empty key still has to be seen in a field's path: `payload."".x`, not `payload..x`.
        return "\"\"".to_owned();
    }
    printable_within(key, MAX_KEY_CHARS)
}

/// `text` with control characters escaped, cut after `max_chars` characters.
pub fn printable_within(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == max_chars {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default)]
struct Found {
    /// The first problem seen, at the innermost place: errors pass outwards through every level.
    problem: Option<(Problem, Vec<String>)>,
    command_id: Option<String>,
}

#[derive(Clone, Copy)]
struct Walk<'a> {
    /// Containers around the value being read.
    depth: usize,
    path: &'a RefCell<Vec<String>>,
    found: &'a RefCell<Found>,
}

impl<'a> Walk<'a> {
    fn inner(self) -> Self {
        Walk {
            depth: self.depth + 1,
            ..self
        }
    }

    /// Records `problem` here (plus `segment`), unless a deeper place recorded one already.
    fn note(&self, problem: Problem, segment: Option<&str>) {
        let mut found = self.found.borrow_mut();
        if found.problem.is_none() {
            let mut at = self.path.borrow().clone();
            at.extend(segment.map(printable));
            found.problem = Some((problem, at));
        }
    }

    fn refuse<E: de::Error>(&self, problem: Problem, segment: Option<&str>) -> E {
        self.note(problem, segment);
        E::custom("refused")
    }

    /// Reads one element of a container under `segment`, locating a syntax error inside it.
    fn child<T, E>(
        &self,
        segment: String,
        read: impl FnOnce(Walk<'a>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.path.borrow_mut().push(segment);
        let result = read(self.inner());
        let segment = self.path.borrow_mut().pop();
        if result.is_err() {
            // A problem noted deeper down wins; otherwise the error is the parser's, found here.
            let mut found = self.found.borrow_mut();
            if found.problem.is_none() {
                let mut at = self.path.borrow().clone();
                at.extend(segment);
                found.problem = Some((Problem::Syntax, at));
            }
        }
        result
    }

    fn container<E: de::Error>(&self) -> Result<(), E> {
        if self.depth >= MAX_NESTING {
            return Err(self.refuse(Problem::TooDeep, None));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // serde_json refuses non-finite numbers before they get here; stay total anyway.
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| self.refuse(Problem::Syntax, None))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        if v.contains('\0') {
            return Err(self.refuse(Problem::Nul, None));
        }
        Ok(Value::String(v.to_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.container()?;
        let mut items = Vec::new();
        loop {
            let index = items.len().to_string();
            match self.child(index, |walk| seq.next_element_seed(walk))? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.container()?;
        let mut object = Map::new();
        while let Some(key) = map
            .next_key::<String>()
            .inspect_err(|_| self.note(Problem::Syntax, None))?
        {
            if key.contains('\0') {
                return Err(self.refuse(Problem::Nul, Some(&key)));
            }
            if object.contains_key(&key) {
                if self.depth == 0 && key == "command_id" {
                    // Two ids: neither can be trusted to answer by.
                    self.found.borrow_mut().command_id = None;
                }
                return Err(self.refuse(Problem::DuplicateKey, Some(&key)));
            }
            let value = self.child(printable(&key), |walk| map.next_value_seed(walk))?;
            if self.depth == 0
                && key == "command_id"
                && let Value::String(id) = &value
            {
                self.found.borrow_mut().command_id = Some(id.clone());
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "7d8f4c1e-4b8a-4f0e-9a53-0b6f7c9f2a11";

    fn refusal(body: &[u8]) -> Refused {
        parse(body).expect_err("refused")
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#"{"a": [1, -2, 2.5, true, null, "é"], "b": {"c": ""}}"#;
        let expected: Value = serde_json::from_str(text).unwrap();
        assert_eq!(parse(text.as_bytes()).unwrap(), expected);
    }

    #[test]
    fn a_nul_is_refused_where_it_lies_in_values_and_keys() {
        let body =
            format!(r#"{{"command_id": "{ID}", "payload": {{"labels": ["ok", "a\u0000b"]}}}}"#);
        let refused = refusal(body.as_bytes());
        assert_eq!(refused.problem, Problem::Nul);
        assert_eq!(refused.field.as_deref(), Some("payload.labels.1"));
        assert_eq!(refused.command_id.as_deref(), Some(ID));

        let refused = refusal(br#"{"payload": {"x\u0000y": 1}}"#);
        assert_eq!(refused.problem, Problem::Nul);
        assert_eq!(refused.field.as_deref(), Some("payload.x\\u{0}y"));
    }

    #[test]
    fn nesting_is_bounded_and_located() {
        let deep = format!(
            r#"{{"command_id": "{ID}", "payload": {{"title": {}1{}}}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let refused = refusal(deep.as_bytes());
        assert_eq!(refused.problem, Problem::TooDeep);
        assert!(
            refused
                .field
                .as_deref()
                .unwrap()
                .starts_with("payload.title.0.0"),
            "{:?}",
            refused.field
        );
        assert_eq!(refused.command_id.as_deref(), Some(ID));
        let ok = format!("{}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(parse(ok.as_bytes()).is_ok());
        let too_deep = format!(
            "{}1{}",
            "[".repeat(MAX_NESTING + 1),
            "]".repeat(MAX_NESTING + 1)
        );
        assert_eq!(refused_problem(too_deep.as_bytes()), Problem::TooDeep);
    }

    fn refused_problem(body: &[u8]) -> Problem {
        refusal(body).problem
    }

    #[test]
    fn a_key_twice_is_refused() {
        let refused = refusal(br#"{"payload": {"title": "a", "title": "<script>"}}"#);
        assert_eq!(refused.problem, Problem::DuplicateKey);
        assert_eq!(refused.field.as_deref(), Some("payload.title"));
        let two_ids = format!(r#"{{"command_id": "{ID}", "command_id": "{ID}"}}"#);
        assert_eq!(refusal(two_ids.as_bytes()).command_id, None);
    }

    #[test]
    fn syntax_errors_name_the_field_they_are_in_and_keep_an_id_read_before() {
        let body = format!(r#"{{"command_id": "{ID}", "payload": {{"estimate_hours": 1e400}}}}"#);
        let refused = refusal(body.as_bytes());
        assert_eq!(refused.problem, Problem::Syntax);
        assert_eq!(refused.field.as_deref(), Some("payload.estimate_hours"));
        assert_eq!(refused.command_id.as_deref(), Some(ID));
        assert!(
            refused.message.contains("number out of range"),
            "{}",
            refused.message
        );

        let mut latin1 =
            format!(r#"{{"command_id": "{ID}", "payload": {{"title": "caf"#).into_bytes();
        latin1.extend_from_slice(b"\xe9\"}}");
        let refused = parse(&latin1).expect_err("not UTF-8");
        assert_eq!(refused.field.as_deref(), Some("payload.title"));
        assert_eq!(refused.command_id.as_deref(), Some(ID));

        let refused = parse(b"{\"command_id\": ").expect_err("cut short");
        assert_eq!(refused.problem, Problem::Syntax);
        assert_eq!(refused.command_id, None);
        assert!(parse(b"{} trailing").is_err());
    }

    #[test]
    fn printable_keys_are_short_and_escaped() {
        assert_eq!(printable("a\nb"), "a\\u{a}b");
        assert_eq!(
            printable(&"k".repeat(1000)).chars().count(),
            MAX_KEY_CHARS + 1
        );
        assert_eq!(printable("é"), "é");
        assert_eq!(printable(""), "\"\"");
    }

    #[test]
    fn a_broken_message_after_an_empty_key_names_it() {
        let refused = parse(br#"{"command_id":"x",""ype":"task.start"}"#).unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("\"\""));
        assert!(refused.message.starts_with("\"\": "), "{}", refused.message);
    }
}
