//! Encodings Terraform's functions produce and read: `jsonencode` byte for byte as Terraform
//! writes it, `jsondecode`/`yamldecode` with spans, base64 and hashes.

use base64::Engine as _;

use crate::parse::budget::{BoundedString, TooLong};
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Node, Value, format_number};

/// `jsonencode(v)` as Terraform prints it: object keys sorted, integers without a fraction,
/// `<`, `>`, `&`, U+2028 and U+2029 escaped (Go's encoder). `None` if anything is unknown.
pub fn json_encode(n: &Node) -> Option<String> {
    json_encode_within(n, usize::MAX).ok().flatten()
}

/// [`json_encode`] into at most `limit` bytes: `Err(TooLong)` as soon as the text would be
/// longer (checked before each piece is appended, so nothing larger is ever allocated).
pub fn json_encode_within(n: &Node, limit: usize) -> Result<Option<String>, TooLong> {
    let mut out = BoundedString::with_limit(limit);
    match encode(n, &mut out, 0) {
        Ok(()) => Ok(Some(out.into_string())),
        Err(Stop::Unknown) => Ok(None),
        Err(Stop::TooLong) => Err(TooLong),
    }
}

/// Why encoding stopped.
enum Stop {
    Unknown,
    TooLong,
}

impl From<TooLong> for Stop {
    fn from(_: TooLong) -> Stop {
        Stop::TooLong
    }
}

fn encode(n: &Node, out: &mut BoundedString, depth: usize) -> Result<(), Stop> {
    if depth > crate::parse::limits::MAX_DEPTH {
        return Err(Stop::Unknown);
    }
    match &n.value {
        Value::Unknown => return Err(Stop::Unknown),
        Value::Null => out.push_str("null")?,
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" })?,
        Value::Number(x) => {
            if !x.is_finite() {
                return Err(Stop::Unknown);
            }
            out.push_str(&json_number(*x))?;
        }
        Value::String(s) => quote(s, out)?,
        Value::List(items) => {
            out.push('[')?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',')?;
                }
                encode(item, out, depth + 1)?;
            }
            out.push(']')?;
        }
        Value::Map(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            out.push('{')?;
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',')?;
                }
                quote(&k.name, out)?;
                out.push(':')?;
                encode(v, out, depth + 1)?;
            }
            out.push('}')?;
        }
    }
    Ok(())
}

/// A number as Terraform writes it in JSON (never with an exponent).
fn json_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format_number(x)
    } else {
        format!("{x}")
    }
}

/// Appends `s` as a JSON string, runs of characters that need no escape at once.
fn quote(s: &str, out: &mut BoundedString) -> Result<(), TooLong> {
    out.push('"')?;
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{8}' => "\\b",
            '\u{c}' => "\\f",
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => "",
            c if (c as u32) < 0x20 => "",
            _ => continue,
        };
        out.push_str(&s[run..i])?;
        run = i + c.len_utf8();
        if escaped.is_empty() {
            out.push_str(&format!("\\u{:04x}", c as u32))?;
        } else {
            out.push_str(escaped)?;
        }
    }
    out.push_str(&s[run..])?;
    out.push('"')
}

/// Decodes JSON or YAML text. When the text is a whole file of the source map (a `file()`
/// result, known by its `origin`), the decoded values keep spans inside that file; otherwise
/// every value is placed at `span`.
pub fn decode(
    sources: &SourceMap,
    text: &str,
    origin: Option<Span>,
    span: Span,
    yaml: bool,
) -> Result<Node, String> {
    let file = origin.filter(|o| {
        let f = sources.get(o.file);
        o.start == 0 && o.end as usize == f.text.len() && &*f.text == text
    });
    let parse = |id: FileId| {
        if yaml {
            crate::parse::yaml::parse(id, text)
        } else {
            crate::parse::json::parse(id, text)
        }
    };
    match file {
        Some(o) => parse(o.file).map_err(|e| e.message),
        None => parse(span.file)
            .map(|n| respan(n, span))
            .map_err(|e| e.message),
    }
}

/// Places every node of a value at `span` (for values decoded from a string without a file).
fn respan(mut n: Node, span: Span) -> Node {
    n.span = span;
    n.origin = None;
    n.value = match n.value {
        Value::List(items) => Value::List(items.into_iter().map(|i| respan(i, span)).collect()),
        Value::Map(m) => Value::Map(m.map_entries(|(mut k, v)| {
            k.span = span;
            (k, respan(v, span))
        })),
        v => v,
    };
    n
}

/// Standard base64.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64, decoded to UTF-8 text as Terraform requires.
pub fn base64_decode(s: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
    String::from_utf8(bytes).ok()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A digest of `bytes` by name (`md5`, `sha1`, `sha256`, `sha512`).
pub fn digest(name: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    use sha2::Digest as _;
    Some(match name {
        "md5" => md5::Md5::digest(bytes).to_vec(),
        "sha1" => sha1::Sha1::digest(bytes).to_vec(),
        "sha256" => sha2::Sha256::digest(bytes).to_vec(),
        "sha512" => sha2::Sha512::digest(bytes).to_vec(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Key, Map};

    fn s(x: &str) -> Node {
        Node::new(Value::String(x.into()), Span::default())
    }

    #[test]
    fn encodes_like_terraform() {
        let mut m = Map::default();
        for (k, v) in [
            ("b", Node::new(Value::Number(22.0), Span::default())),
            ("a", s("<x & y>")),
            ("c", Node::new(Value::Number(1.5), Span::default())),
        ] {
            m.insert(
                Key {
                    name: k.into(),
                    span: Span::default(),
                },
                v,
            );
        }
        let n = Node::new(Value::Map(m), Span::default());
        assert_eq!(
            json_encode(&n).unwrap(),
            r#"{"a":"\u003cx \u0026 y\u003e","b":22,"c":1.5}"#
        );
        assert_eq!(json_encode(&s("a\"\n\u{1}")).unwrap(), r#""a\"\n\u0001""#);
        assert!(json_encode(&Node::unknown(Span::default())).is_none());
    }

    #[test]
    fn hashes() {
        assert_eq!(
            hex(&digest("md5", b"hello").unwrap()),
            "5d41402abc4b2a76b9719d911017c592"
        );
        assert_eq!(
            hex(&digest("sha256", b"hello").unwrap()),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some("hello"));
    }
}
