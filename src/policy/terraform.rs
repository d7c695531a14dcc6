//! `data "aws_iam_policy_document"`: `statement` blocks (`effect` defaults to `Allow`), and
//! the documents merged into it by `source_policy_documents` (its own statements replace
//! theirs by `sid`) and `override_policy_documents` (theirs replace its own by `sid`).

use super::document::{effect, scalar, values};
use super::resolve::Resolver;
use super::{Condition, Conditions, Effect, Policy, Principal, Statement, Values};
use crate::graph::ResourceId;
use crate::source::SourceMap;
use crate::value::{Map, Node, Value};

/// The effective document of a policy-document data source.
pub fn data_document(r: &Resolver<'_>, id: ResourceId, depth: usize) -> Policy {
    let res = r.graph.resource(id);
    let a = &res.attrs;
    let mut out = Policy::default();
    for src in documents(a, &["source_policy_documents", "source_json"], &mut out) {
        for d in r.documents_at(res.unit, src, depth + 1) {
            out.unknown.extend(d.policy.unknown);
            merge(&mut out.statements, d.policy.statements);
        }
    }
    let mut own = Policy::default();
    match a.get("statement").map(|s| &s.value) {
        Some(Value::List(blocks)) => {
            for b in blocks {
                match &b.value {
                    Value::Map(m) => own.statements.push(statement(m, b, r.sources)),
                    Value::Unknown => own.unknown.push(b.span),
                    _ => {}
                }
            }
        }
        Some(Value::Unknown) => own.unknown.extend(a.get("statement").map(|s| s.span)),
        _ => {}
    }
    out.unknown.extend(own.unknown);
    merge(&mut out.statements, own.statements);
    for ov in documents(a, &["override_policy_documents", "override_json"], &mut out) {
        for d in r.documents_at(res.unit, ov, depth + 1) {
            if !d.policy.unknown.is_empty() {
                // An override we cannot read may replace any statement that has a sid.
                for s in out.statements.iter_mut().filter(|s| s.sid.is_some()) {
                    s.replaceable = true;
                }
            }
            out.unknown.extend(d.policy.unknown);
            merge(&mut out.statements, d.policy.statements);
        }
    }
    out
}

/// The document values of list attributes (`source_policy_documents`) and of their legacy
/// single-string forms (`source_json`); an unknown list is an unknown part of `out`.
fn documents<'a>(a: &'a Map, keys: &[&str], out: &mut Policy) -> Vec<&'a Node> {
    let mut docs = Vec::new();
    for key in keys {
        let Some(v) = a.get(key) else { continue };
        match &v.value {
            Value::Null => {}
            Value::List(items) => docs.extend(items.iter().filter(|i| !is_empty(i))),
            Value::Unknown if key.ends_with('s') => out.unknown.push(v.span),
            _ if is_empty(v) => {}
            _ => docs.push(v),
        }
    }
    docs
}

fn is_empty(n: &Node) -> bool {
    n.is_null() || n.as_str() == Some("")
}

/// Adds statements, each replacing an earlier one with the same non-empty `sid`.
pub fn merge(target: &mut Vec<Statement>, new: Vec<Statement>) {
    for s in new {
        let slot = s
            .sid
            .as_ref()
            .and_then(|sid| target.iter().position(|t| t.sid.as_ref() == Some(sid)));
        // A sid known only at apply time (a replaceable statement without a sid) may be
        // any earlier statement's.
        if s.sid.is_none() && s.replaceable {
            for t in target.iter_mut().filter(|t| t.sid.is_some()) {
                t.replaceable = true;
            }
        }
        match slot {
            Some(i) => target[i] = s,
            None => target.push(s),
        }
    }
}

/// One `statement` block (from HCL, or from a plan where every argument is present).
fn statement(m: &Map, node: &Node, sources: &SourceMap) -> Statement {
    Statement {
        span: node.span,
        sid: m.get("sid").and_then(scalar).filter(|s| !s.is_empty()),
        effect: match m.get("effect") {
            None => Effect::Allow,
            Some(e) if e.is_null() || e.as_str() == Some("") => Effect::Allow,
            Some(e) => effect(e),
        },
        action: m.get("actions").and_then(|n| values(n, sources)),
        not_action: m.get("not_actions").and_then(|n| values(n, sources)),
        resource: m.get("resources").and_then(|n| values(n, sources)),
        not_resource: m.get("not_resources").and_then(|n| values(n, sources)),
        principal: m.get("principals").and_then(|n| principals(n, sources)),
        not_principal: m.get("not_principals").and_then(|n| principals(n, sources)),
        condition: m
            .get("condition")
            .map(|n| conditions(n, sources))
            .unwrap_or_default(),
        // A sid known only at apply time may match (and be replaced by) a statement merged
        // later; which documents meet it is not tracked, so it stays replaceable.
        replaceable: m.get("sid").is_some_and(Node::contains_unknown),
    }
}

/// `principals { type identifiers }` blocks; none (or an empty list) is no principal.
fn principals(n: &Node, sources: &SourceMap) -> Option<Principal> {
    match &n.value {
        Value::Unknown => Some(Principal::Unknown(n.span)),
        Value::List(blocks) if !blocks.is_empty() => {
            let mut typed = Vec::new();
            for b in blocks {
                let Some(m) = b.as_map() else {
                    return Some(Principal::Unknown(b.span));
                };
                let kind = match m.get("type") {
                    Some(t) if t.is_unknown() => return Some(Principal::Unknown(t.span)),
                    Some(t) => scalar(t).unwrap_or_default(),
                    None => String::new(),
                };
                let ids = m
                    .get("identifiers")
                    .and_then(|n| values(n, sources))
                    .unwrap_or(Values {
                        items: Vec::new(),
                        span: b.span,
                    });
                typed.push((kind, ids));
            }
            Some(Principal::Typed(typed))
        }
        _ => None,
    }
}

/// `condition { test variable values }` blocks.
fn conditions(n: &Node, sources: &SourceMap) -> Conditions {
    let mut out = Conditions::default();
    match &n.value {
        Value::Unknown => out.unknown = Some(n.span),
        Value::List(blocks) => {
            for b in blocks {
                let Some(m) = b.as_map() else {
                    out.unknown = Some(b.span);
                    continue;
                };
                let (Some(test), Some(variable)) = (
                    m.get("test").and_then(scalar),
                    m.get("variable").and_then(scalar),
                ) else {
                    out.unknown = Some(b.span);
                    continue;
                };
                out.items.push(Condition {
                    operator: test,
                    key: variable,
                    values: m
                        .get("values")
                        .and_then(|n| values(n, sources))
                        .unwrap_or(Values {
                            items: Vec::new(),
                            span: b.span,
                        }),
                    span: b.span,
                });
            }
        }
        _ => {}
    }
    out
}
