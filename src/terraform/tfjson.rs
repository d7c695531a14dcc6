//! Terraform's JSON syntax (`.tf.json`), read into the same declarations as native HCL.
//!
//! Strings that hold `${…}` or `%{…}` are templates: they are parsed with the HCL parser
//! straight from the file text, so the spans of their parts point into the JSON file.
//! Variable defaults and type strings follow Terraform's JSON rules (literal values, type
//! expressions).

use hcl_edit::expr::Expression;
use hcl_edit::template::Template;

use super::config::{ParsedFile, Src, Syntax};
use crate::graph::InputError;
use crate::source::{FileId, Span};
use crate::value::{Key, Node, Value};

/// A body of the JSON syntax: attributes and the blocks that are known to be blocks.
#[derive(Debug, Default)]
pub struct JsonBody {
    pub attrs: Vec<JsonAttr>,
    pub blocks: Vec<JsonBlock>,
}

/// One attribute.
#[derive(Debug)]
pub struct JsonAttr {
    pub name: String,
    pub key_span: Span,
    pub value: JExpr,
}

/// One block.
#[derive(Debug)]
pub struct JsonBlock {
    pub ident: String,
    pub ident_span: Span,
    pub labels: Vec<(String, Span)>,
    pub body: JsonBody,
    pub span: Span,
    pub header: Span,
}

/// An expression in JSON syntax.
#[derive(Debug)]
pub enum JExpr {
    /// A value without expressions (numbers, booleans, null, plain strings, variable defaults).
    Literal(Node),
    /// A string parsed as an HCL template.
    Template(Box<Template>, Src, Span),
    /// A string parsed as an HCL expression (`type`).
    Parsed(Box<Expression>, Src, Span),
    List(Vec<JExpr>, Span),
    Object(Vec<(Key, JExpr)>, Span),
}

impl JExpr {
    /// The expression's span in the JSON file.
    pub fn span(&self) -> Span {
        match self {
            JExpr::Literal(n) => n.span,
            JExpr::Template(_, _, s)
            | JExpr::Parsed(_, _, s)
            | JExpr::List(_, s)
            | JExpr::Object(_, s) => *s,
        }
    }

    /// The string, when the expression is a plain string.
    pub fn literal_str(&self) -> Option<&str> {
        match self {
            JExpr::Literal(n) => n.as_str(),
            _ => None,
        }
    }

    /// The boolean, when the expression is a literal boolean.
    pub fn literal_bool(&self) -> Option<bool> {
        match self {
            JExpr::Literal(Node {
                value: Value::Bool(b),
                ..
            }) => Some(*b),
            _ => None,
        }
    }
}

/// Parses a `.tf.json` file.
pub fn parse_file(file: FileId, text: &str) -> Result<ParsedFile, InputError> {
    let root = crate::parse::json::parse(file, text)?;
    let Some(top) = root.as_map() else {
        return Err(InputError {
            span: root.span,
            message: "a .tf.json file must hold a JSON object".into(),
        });
    };
    let cx = Cx { file, text };
    let mut body = JsonBody::default();
    for (k, v) in top.iter() {
        match k.name.as_str() {
            "resource" | "data" => {
                for (tkey, by_name) in objects(v) {
                    for (nkey, b) in objects(by_name) {
                        for b in bodies(b) {
                            body.blocks.push(JsonBlock {
                                ident: k.name.clone(),
                                ident_span: k.span,
                                labels: vec![
                                    (tkey.name.clone(), tkey.span),
                                    (nkey.name.clone(), nkey.span),
                                ],
                                body: cx.body(b, BodyKind::Resource),
                                span: b.span,
                                header: nkey.span,
                            });
                        }
                    }
                }
            }
            "variable" | "output" | "module" => {
                let kind = match k.name.as_str() {
                    "variable" => BodyKind::Variable,
                    _ => BodyKind::Resource,
                };
                for (nkey, b) in objects(v) {
                    for b in bodies(b) {
                        body.blocks.push(JsonBlock {
                            ident: k.name.clone(),
                            ident_span: k.span,
                            labels: vec![(nkey.name.clone(), nkey.span)],
                            body: cx.body(b, kind),
                            span: b.span,
                            header: nkey.span,
                        });
                    }
                }
            }
            "locals" => {
                for b in bodies(v) {
                    body.blocks.push(JsonBlock {
                        ident: "locals".into(),
                        ident_span: k.span,
                        labels: Vec::new(),
                        body: cx.body(b, BodyKind::Plain),
                        span: b.span,
                        header: k.span,
                    });
                }
            }
            // terraform, provider, moved, import, check: nothing cislint evaluates.
            _ => {}
        }
    }
    Ok(ParsedFile {
        file,
        syntax: Syntax::Json(body),
        is_override: false,
    })
}

#[derive(Clone, Copy, PartialEq)]
enum BodyKind {
    /// A resource, data, module or output body: meta blocks are blocks.
    Resource,
    /// A variable: `type` is a type expression, `default` a literal.
    Variable,
    /// Attributes only (`locals`, `content` bodies are `Resource`).
    Plain,
}

/// The `(key, value)` pairs of an object, or of every object of an array of objects.
fn objects(v: &Node) -> Vec<(&Key, &Node)> {
    match &v.value {
        Value::Map(m) => m.iter().filter(|(k, _)| k.name != "//").collect(),
        Value::List(items) => items.iter().flat_map(objects).collect(),
        _ => Vec::new(),
    }
}

/// A block body, or each of an array of block bodies.
fn bodies(v: &Node) -> Vec<&Node> {
    match &v.value {
        Value::Map(_) => vec![v],
        Value::List(items) => items.iter().filter(|i| i.as_map().is_some()).collect(),
        _ => Vec::new(),
    }
}

struct Cx<'t> {
    file: FileId,
    text: &'t str,
}

impl Cx<'_> {
    fn body(&self, node: &Node, kind: BodyKind) -> JsonBody {
        let mut body = JsonBody::default();
        let Some(m) = node.as_map() else {
            return body;
        };
        for (k, v) in m.iter() {
            let name = k.name.as_str();
            match (kind, name) {
                (_, "//") => {}
                (BodyKind::Resource, "dynamic") => {
                    for (label, b) in objects(v) {
                        for b in bodies(b) {
                            body.blocks.push(JsonBlock {
                                ident: "dynamic".into(),
                                ident_span: k.span,
                                labels: vec![(label.name.clone(), label.span)],
                                body: self.body(b, BodyKind::Resource),
                                span: b.span,
                                header: label.span,
                            });
                        }
                    }
                }
                (BodyKind::Resource, "content") => {
                    for b in bodies(v) {
                        body.blocks.push(JsonBlock {
                            ident: "content".into(),
                            ident_span: k.span,
                            labels: Vec::new(),
                            body: self.body(b, BodyKind::Resource),
                            span: b.span,
                            header: k.span,
                        });
                    }
                }
                (
                    BodyKind::Resource,
                    "lifecycle" | "provisioner" | "connection" | "depends_on" | "provider"
                    | "providers",
                ) => {}
                (BodyKind::Variable, "type") => body.attrs.push(JsonAttr {
                    name: name.to_string(),
                    key_span: k.span,
                    value: self.type_expr(v),
                }),
                (BodyKind::Variable, _) => body.attrs.push(JsonAttr {
                    name: name.to_string(),
                    key_span: k.span,
                    value: JExpr::Literal(v.clone()),
                }),
                _ => body.attrs.push(JsonAttr {
                    name: name.to_string(),
                    key_span: k.span,
                    value: self.expr(v),
                }),
            }
        }
        body
    }

    /// A JSON value as an expression: strings with `${`/`%{` are templates.
    fn expr(&self, v: &Node) -> JExpr {
        match &v.value {
            Value::String(s) if s.contains("${") || s.contains("%{") => self.template(v, s),
            Value::List(items) => JExpr::List(items.iter().map(|i| self.expr(i)).collect(), v.span),
            Value::Map(m) => JExpr::Object(
                m.iter()
                    .filter(|(k, _)| k.name != "//")
                    .map(|(k, val)| (k.clone(), self.expr(val)))
                    .collect(),
                v.span,
            ),
            _ => JExpr::Literal(v.clone()),
        }
    }

    fn template(&self, v: &Node, decoded: &str) -> JExpr {
        let raw = self.text.get(v.span.range()).unwrap_or("");
        // Without escapes the decoded text is the text between the quotes: its parts keep
        // their exact offsets. Otherwise every part points at the whole string.
        let src = if !raw.contains('\\') && raw.len() == decoded.len() + 2 {
            Src {
                file: self.file,
                base: v.span.start + 1,
                flat: None,
            }
        } else {
            self.flat(v.span)
        };
        match super::balance::parse_template(decoded) {
            Ok(t) => JExpr::Template(Box::new(t), src, v.span),
            Err(_) => JExpr::Literal(v.clone()),
        }
    }

    /// `"type": "list(string)"`: a type expression written as a string.
    fn type_expr(&self, v: &Node) -> JExpr {
        match v.as_str().map(super::balance::parse_expr) {
            Some(Ok(e)) => JExpr::Parsed(Box::new(e), self.flat(v.span), v.span),
            _ => JExpr::Literal(v.clone()),
        }
    }

    fn flat(&self, span: Span) -> Src {
        Src {
            file: self.file,
            base: 0,
            flat: Some(span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::config::ModuleConfig;

    #[test]
    fn reads_blocks_and_templates_with_spans() {
        let text = r#"{
  "variable": {"port": {"type": "number", "default": 22}},
  "resource": {"aws_security_group": {"web": {
    "name": "web-${var.port}",
    "dynamic": {"ingress": {"for_each": "${var.rules}", "content": {"from_port": 1}}}
  }}}
}"#;
        let parsed = vec![parse_file(FileId(0), text).unwrap()];
        let cfg = ModuleConfig::collect("d".into(), &parsed);
        assert!(cfg.variables.contains_key("port"));
        let r = &cfg.resources[0];
        assert_eq!(
            (r.rtype.as_str(), r.name.as_str()),
            ("aws_security_group", "web")
        );
        let name = r.body.attr("name").unwrap();
        assert_eq!(&text[name.span().range()], "\"web-${var.port}\"");
        let blocks = r.body.blocks();
        assert_eq!(blocks[0].ident, "dynamic");
        assert_eq!(blocks[0].labels[0].0, "ingress");
        assert_eq!(blocks[0].body.blocks()[0].ident, "content");
    }

    #[test]
    fn escapes_fall_back_to_the_whole_string() {
        let text = r#"{"locals": {"a": "x\/${f(\"y\")}"}}"#;
        let parsed = vec![parse_file(FileId(0), text).unwrap()];
        let cfg = ModuleConfig::collect("d".into(), &parsed);
        let a = cfg.locals["a"];
        assert_eq!(&text[a.span().range()], r#""x\/${f(\"y\")}""#);
        assert!(matches!(
            a,
            crate::terraform::config::Expr::Json(JExpr::Template(..))
        ));
    }
}
