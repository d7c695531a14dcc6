//! A policy document from a JSON-shaped node: a CloudFormation `PolicyDocument` map, the
//! object inside `jsonencode(…)`, or a parsed JSON string.

use super::{Condition, Conditions, Effect, Item, Policy, Principal, Statement, Values};
use crate::value::{Map, Node, Value, format_number};

/// Reads a policy document. A document only known at apply time becomes a policy with one
/// unknown part; anything that is not a document (a number, a list) has no statements.
pub fn from_node(node: &Node) -> Policy {
    let mut policy = Policy::default();
    match &node.value {
        Value::Unknown => policy.unknown.push(node.span),
        Value::Map(m) => {
            if let Some(s) = get(m, "Statement") {
                statements(s, &mut policy);
            }
        }
        _ => {}
    }
    policy
}

/// Adds the statements of a `Statement` element (one statement or a list of them).
fn statements(node: &Node, policy: &mut Policy) {
    match &node.value {
        Value::Unknown => policy.unknown.push(node.span),
        Value::Map(m) => policy.statements.push(statement(m, node)),
        Value::List(items) => {
            for item in items {
                match &item.value {
                    Value::Map(m) => policy.statements.push(statement(m, item)),
                    Value::Unknown => policy.unknown.push(item.span),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn statement(m: &Map, node: &Node) -> Statement {
    Statement {
        span: node.span,
        sid: get(m, "Sid").and_then(scalar),
        effect: match get(m, "Effect") {
            Some(e) => effect(e),
            // IAM rejects a statement without an effect; treat it as granting nothing.
            None => Effect::Deny,
        },
        action: get(m, "Action").and_then(values),
        not_action: get(m, "NotAction").and_then(values),
        resource: get(m, "Resource").and_then(values),
        not_resource: get(m, "NotResource").and_then(values),
        principal: get(m, "Principal").and_then(principal),
        not_principal: get(m, "NotPrincipal").and_then(principal),
        condition: get(m, "Condition").map(conditions).unwrap_or_default(),
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
        Value::String(s) => Some(s.clone()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string-or-list element; `None` when absent (`null`).
pub fn values(n: &Node) -> Option<Values> {
    let items = match &n.value {
        Value::Null => return None,
        Value::List(items) => items.iter().filter_map(item).collect(),
        _ => item(n).into_iter().collect(),
    };
    Some(Values {
        items,
        span: n.span,
    })
}

fn item(n: &Node) -> Option<Item> {
    match &n.value {
        Value::Unknown => Some(Item {
            value: None,
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

fn principal(n: &Node) -> Option<Principal> {
    match &n.value {
        Value::Null => None,
        Value::Unknown => Some(Principal::Unknown(n.span)),
        Value::Map(m) => Some(Principal::Typed(
            m.iter()
                .filter_map(|(k, v)| Some((k.name.clone(), values(v)?)))
                .collect(),
        )),
        _ => match item(n)?.value {
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

fn conditions(n: &Node) -> Conditions {
    let mut out = Conditions::default();
    match &n.value {
        Value::Map(ops) => {
            for (op, tests) in ops.iter() {
                match &tests.value {
                    Value::Map(keys) => {
                        for (key, v) in keys.iter() {
                            let values = values(v).unwrap_or(Values {
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
