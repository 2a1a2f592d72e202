//! JSON bodies safe wherever they land: `<`, `>`, `&` and the JavaScript line separators
//! U+2028 and U+2029 inside strings are written as `\uXXXX` escapes.
//!
//! A JSON decoder reads exactly the text the client sent (a task titled `<script>` comes
//! back as `<script>`), while a page that embeds an answer in HTML, or a browser that sniffs
//! one, finds no markup in the raw bytes.

use std::io;

use serde::Serialize;
use serde_json::ser::Formatter;

/// `value` as JSON text with markup characters escaped.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, MarkupSafe);
    value.serialize(&mut serializer)?;
    Ok(out)
}

struct MarkupSafe;

impl Formatter for MarkupSafe {
    /// serde_json hands over the runs of a string that need no JSON escape; these split them
    /// further at the characters markup or script would read.
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            let escape = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            writer.write_all(&fragment.as_bytes()[start..at])?;
            writer.write_all(escape.as_bytes())?;
            start = at + c.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    #[test]
    fn markup_is_escaped_and_decodes_back_to_the_same_text() {
        let hostile =
            "</script><script>alert(1)</script> & '; DROP TABLE events; -- \u{2028}é\"\\\n";
        let value = json!({"title": hostile, "<key>": [hostile]});
        let bytes = to_vec(&value).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        for raw in ["<", ">", "&", "\u{2028}"] {
            assert!(!text.contains(raw), "{raw} in {text}");
        }
        assert!(text.contains("\\u003c/script\\u003e"), "{text}");
        let back: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, value);
        assert_eq!(
            back["title"].as_str().unwrap().as_bytes(),
            hostile.as_bytes()
        );
    }

    #[test]
    fn plain_text_is_written_as_serde_json_writes_it() {
        let value = json!({"a": "plain é text", "n": [1, 2.5, null, true]});
        assert_eq!(to_vec(&value).unwrap(), serde_json::to_vec(&value).unwrap());
    }
}
