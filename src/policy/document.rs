//! A policy document from a JSON-shaped node: a CloudFormation `PolicyDocument` map, the
//! object inside `jsonencode(…)`, or a parsed JSON string.

use super::{Condition, Conditions, Effect, Item, Policy, Principal, Statement, Values};
use crate::source::SourceMap;
use crate::value::{Map, Node, Value, format_number};

/// Reads a policy document. A document only known at apply time becomes a policy with one
/// unknown part; anything that is not a document (a number, a list) has no statements.
pub fn from_node(node: &Node, sources: &SourceMap) -> Policy {
    let mut policy = Policy::default();
    match &node.value {
        Value::Unknown => policy.unknown.push(node.span),
        Value::Map(m) => {
            if let Some(s) = get(m, "Statement") {
                statements(s, &mut policy, sources);
            }
        }
        _ => {}
    }
    policy
}

/// Adds the statements of a `Statement` element (one statement or a list of them).
fn statements(node: &Node, policy: &mut Policy, sources: &SourceMap) {
    match &node.value {
        Value::Unknown => policy.unknown.push(node.span),
        Value::Map(m) => policy.statements.push(statement(m, node, sources)),
        Value::List(items) => {
            for item in items {
                match &item.value {
                    Value::Map(m) => policy.statements.push(statement(m, item, sources)),
                    Value::Unknown => policy.unknown.push(item.span),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn statement(m: &Map, node: &Node, sources: &SourceMap) -> Statement {
    Statement {
        span: node.span,
        sid: get(m, "Sid").and_then(scalar),
        effect: match get(m, "Effect") {
            Some(e) => effect(e),
            // IAM rejects a statement without an effect; treat it as granting nothing.
            None => Effect::Deny,
        },
        action: get(m, "Action").and_then(|n| values(n, sources)),
        not_action: get(m, "NotAction").and_then(|n| values(n, sources)),
        resource: get(m, "Resource").and_then(|n| values(n, sources)),
        not_resource: get(m, "NotResource").and_then(|n| values(n, sources)),
        principal: get(m, "Principal").and_then(|n| principal(n, sources)),
        not_principal: get(m, "NotPrincipal").and_then(|n| principal(n, sources)),
        condition: get(m, "Condition")
            .map(|n| conditions(n, sources))
            .unwrap_or_default(),
        replaceable: false,
    }
}

/// A map entry by name; policy element names are matched without regard to case, which
/// cannot make a valid document mean something else.
fn get<'a>(m: &'a Map, key: &str) -> Option<&'a Node> {
    m.iter()
        .find(|(k, _)| k.name.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// `Allow`/`Deny` (IAM spells them so; other spellings are taken at their word).
pub fn effect(n: &Node) -> Effect {
    match n.as_str().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("allow") => Effect::Allow,
        Some(s) if s.eq_ignore_ascii_case("deny") => Effect::Deny,
        Some(_) => Effect::Deny,
        None if n.is_unknown() => Effect::Unknown,
        None => Effect::Deny,
    }
}

/// A scalar as the string IAM would read.
pub fn scalar(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string-or-list element; `None` when absent (`null`).
pub fn values(n: &Node, sources: &SourceMap) -> Option<Values> {
    let items = match &n.value {
        Value::Null => return None,
        Value::List(items) => items.iter().filter_map(|i| item(i, sources)).collect(),
        _ => item(n, sources).into_iter().collect(),
    };
    Some(Values {
        items,
        span: n.span,
    })
}

fn item(n: &Node, sources: &SourceMap) -> Option<Item> {
    match &n.value {
        Value::Unknown => Some(Item {
            value: opaque(n, sources),
            span: n.span,
        }),
        Value::Null => None,
        // A nested list or map is not valid here; IAM would reject the document.
        Value::List(_) | Value::Map(_) => None,
        _ => Some(Item {
            value: scalar(n).and_then(|s| super::locate::unmask(&s)),
            span: n.span,
        }),
    }
}

fn principal(n: &Node, sources: &SourceMap) -> Option<Principal> {
    match &n.value {
        Value::Null => None,
        Value::Unknown => Some(Principal::Unknown(n.span)),
        Value::Map(m) => Some(Principal::Typed(
            m.iter()
                .filter_map(|(k, v)| Some((k.name.clone(), values(v, sources)?)))
                .collect(),
        )),
        _ => match item(n, sources)?.value {
            Some(s) if s.trim() == "*" => Some(Principal::Everyone(n.span)),
            Some(s) => Some(Principal::Typed(vec![(
                "AWS".to_string(),
                Values {
                    items: vec![Item {
                        value: Some(s),
                        span: n.span,
                    }],
                    span: n.span,
                },
            )])),
            None => Some(Principal::Unknown(n.span)),
        },
    }
}

fn conditions(n: &Node, sources: &SourceMap) -> Conditions {
    let mut out = Conditions::default();
    match &n.value {
        Value::Map(ops) => {
            for (op, tests) in ops.iter() {
                match &tests.value {
                    Value::Map(keys) => {
                        for (key, v) in keys.iter() {
                            let values = values(v, sources).unwrap_or(Values {
                                items: Vec::new(),
                                span: v.span,
                            });
                            out.items.push(Condition {
                                operator: op.name.clone(),
                                key: key.name.clone(),
                                values,
                                span: key.span,
                            });
                        }
                    }
                    Value::Unknown => out.unknown = Some(tests.span),
                    _ => {}
                }
            }
        }
        Value::Unknown => out.unknown = Some(n.span),
        _ => {}
    }
    out
}

/// What can still be said of a value only known at apply time. A reference to a resource
/// attribute (`aws_s3_bucket.b.arn`, `!GetAtt Role.Arn`, `"${…}/*"`) is some ARN or id,
/// never a wildcard: it is kept as an opaque `${…}` string. A template whose unknown parts
/// have no reference (`!Sub "arn:${AWS::Partition}:s3:::b/*"`, `"${var.prefix}-x"`) keeps
/// its literal text. Anything else stays unknown.
fn opaque(n: &Node, sources: &SourceMap) -> Option<String> {
    // An undeclared reference (`var.nope`) is no resource's ARN: it may be anything.
    if let Some(r) = n.refs.iter().find(|r| !r.undeclared) {
        return Some(if r.attr.is_empty() {
            format!("${{{}}}", r.address)
        } else {
            format!("${{{}.{}}}", r.address, r.attr)
        });
    }
    let file = sources.get(n.span.file);
    let text = file.text.get(n.span.range())?;
    super::locate::unmask(&super::locate::mask_string(template_text(text)?))
}

/// The template of a `Fn::Sub` or a quoted HCL template, when it interpolates.
fn template_text(text: &str) -> Option<&str> {
    let mut t = text.trim();
    if let Some(rest) = t.strip_prefix("!Sub") {
        t = rest.trim_start();
    } else if let Some(at) = t.find("Fn::Sub") {
        let rest = t[at + "Fn::Sub".len()..].trim_start_matches(['"', '\'']);
        t = rest.trim_start().strip_prefix(':')?.trim_start();
        t = t.trim_end().trim_end_matches('}').trim_end();
    }
    let inner = match t.chars().next()? {
        q @ ('"' | '\'') => t.strip_prefix(q)?.strip_suffix(q)?,
        _ => t,
    };
    (inner.contains("${") && !inner.contains('\n')).then_some(inner)
}
