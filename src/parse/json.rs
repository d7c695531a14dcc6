//! JSON with spans, for CloudFormation templates, `.tf.json` files and plans.

use jsonc_parser::ast;

use super::limits::{MAX_DEPTH, excessive_nesting};
use crate::graph::InputError;
use crate::source::{FileId, Span};
use crate::value::{Key, MapBuilder, Node, Value};

/// Parses JSON text into a [`Node`] tree whose every value carries its byte span.
pub fn parse(file: FileId, text: &str) -> Result<Node, InputError> {
    if let Some(at) = excessive_nesting(text) {
        return Err(InputError {
            span: Span::new(file, at, at + 1),
            message: format!("nesting deeper than {MAX_DEPTH} levels"),
        });
    }
    let options = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        ..Default::default()
    };
    let parsed = jsonc_parser::parse_to_ast(text, &Default::default(), &options).map_err(|e| {
        let r = e.range();
        InputError {
            span: Span::new(file, r.start, r.end),
            message: format!("invalid JSON: {}", e.kind()),
        }
    })?;
    let Some(value) = parsed.value else {
        return Err(InputError {
            span: Span::new(file, 0, 0),
            message: "empty JSON document".into(),
        });
    };
    Ok(convert(file, value))
}

fn convert(file: FileId, value: ast::Value<'_>) -> Node {
    let span = |r: jsonc_parser::common::Range| Span::new(file, r.start, r.end);
    match value {
        ast::Value::StringLit(s) => {
            Node::new(Value::String(s.value.as_ref().into()), span(s.range))
        }
        ast::Value::NumberLit(n) => Node::new(
            n.value
                .parse::<f64>()
                .map(Value::Number)
                .unwrap_or(Value::String(n.value.into())),
            span(n.range),
        ),
        ast::Value::BooleanLit(b) => Node::new(Value::Bool(b.value), span(b.range)),
        ast::Value::NullKeyword(n) => Node::new(Value::Null, span(n.range)),
        ast::Value::Array(a) => Node::new(
            Value::List(a.elements.into_iter().map(|e| convert(file, e)).collect()),
            span(a.range),
        ),
        ast::Value::Object(o) => {
            let mut map = MapBuilder::default();
            for prop in o.properties {
                let (name, range) = match prop.name {
                    ast::ObjectPropName::String(s) => (s.value.into_owned(), s.range),
                    ast::ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                let key = Key {
                    name,
                    span: span(range),
                };
                map.insert(key, convert(file, prop.value));
            }
            Node::new(Value::Map(map.finish()), span(o.range))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values() {
        let text = r#"{"a": [1, "x"], "b": {"c": true}}"#;
        let n = parse(FileId(0), text).unwrap();
        let a = n.get("a").unwrap();
        assert_eq!(&text[a.span.range()], r#"[1, "x"]"#);
        let c = n.get("b").unwrap().get("c").unwrap();
        assert_eq!(&text[c.span.range()], "true");
        assert_eq!(c.as_bool(), Some(true));
    }

    #[test]
    fn errors_have_positions() {
        let e = parse(FileId(0), "{\"a\": }").unwrap_err();
        assert_eq!(e.span.start, 6);
        let deep = "[".repeat(10_000);
        assert!(
            parse(FileId(0), &deep)
                .unwrap_err()
                .message
                .contains("nesting")
        );
    }
}
