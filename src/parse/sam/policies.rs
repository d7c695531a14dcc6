//! The `Policies` property of a SAM function or state machine, read as the transform reads
//! it (`samtranslator/model/resource_policies.py`): one item or a list of items, each an AWS
//! managed policy name or an ARN (a string or any intrinsic but `Fn::If`), a policy document
//! (a map with `Statement`), or a policy template (a map with one key, the template's name);
//! an `Fn::If` has the kind of its branches.

use super::templates;
use crate::parse::cloudformation::Context;
use crate::source::Span;
use crate::value::{Key, Map, Node, Value};

/// What one item of `Policies` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A managed policy: a name, an ARN or an intrinsic that gives one.
    Managed,
    /// An inline policy document.
    Document,
    /// A policy template cislint knows (it grants nothing the controls judge).
    Template,
    /// A template name cislint does not know, or something the transform cannot read.
    Unreadable,
    /// `!Ref AWS::NoValue` (a branch of `Fn::If` that removes the item).
    NoValue,
}

/// The role properties the items give, with the spans of the SAM values.
#[derive(Debug, Default)]
pub(super) struct RolePolicies {
    /// `ManagedPolicyArns` items: bare names written as AWS managed policy ARNs.
    pub managed: Vec<Node>,
    /// `Policies` items of an `AWS::IAM::Role`: `{PolicyName, PolicyDocument}`, or unknown.
    pub inline: Vec<Node>,
}

/// Reads `policies` (the raw property) for the role `role_id`.
pub(super) fn read(ctx: &Context<'_>, role_id: &str, policies: &Node) -> RolePolicies {
    let mut out = RolePolicies::default();
    let items: &[Node] = match &policies.value {
        Value::List(items) => items,
        _ => std::slice::from_ref(policies),
    };
    for (index, raw) in items.iter().enumerate() {
        let kind = kind(raw);
        if matches!(kind, Kind::Template | Kind::NoValue) {
            continue;
        }
        // Each branch of an `Fn::If` on an unknown condition, marked as possibly absent.
        for item in ctx.alternatives(raw) {
            match kind {
                Kind::Managed => out.managed.push(managed_arn(item)),
                Kind::Document if !item.is_unknown() => {
                    out.inline.push(inline(role_id, index, item))
                }
                // A document only known at deployment, a template cislint does not know.
                _ => out.inline.push(Node::unknown(item.span)),
            }
        }
    }
    out
}

fn kind(raw: &Node) -> Kind {
    let m = match &raw.value {
        Value::String(_) => return Kind::Managed,
        Value::Map(m) => m,
        _ => return Kind::Unreadable,
    };
    if let Some((k, v)) = m.iter().next().filter(|_| m.len() == 1) {
        if k.name == "Fn::If" {
            return if_kind(v);
        }
        if k.name == "Ref" && v.as_str() == Some("AWS::NoValue") {
            return Kind::NoValue;
        }
        if k.name == "Ref" || k.name == "Condition" || k.name.starts_with("Fn::") {
            return Kind::Managed;
        }
    }
    if m.get("Statement").is_some() {
        return Kind::Document;
    }
    match m.iter().next() {
        Some((k, _)) if m.len() == 1 && templates::is_known(&k.name) => Kind::Template,
        _ => Kind::Unreadable,
    }
}

/// `Fn::If [condition, a, b]`: the kind both branches share, a removed branch aside.
fn if_kind(args: &Node) -> Kind {
    let [_, a, b] = args.items() else {
        return Kind::Unreadable;
    };
    match (kind(a), kind(b)) {
        (x, y) if x == y => x,
        (Kind::NoValue, x) | (x, Kind::NoValue) => x,
        // The transform rejects mixed kinds.
        _ => Kind::Unreadable,
    }
}

/// A managed policy as `ManagedPolicyArns` holds it: the transform turns an AWS managed
/// policy's name into its ARN (`AWSSupportAccess` → `arn:aws:iam::aws:policy/AWSSupportAccess`).
fn managed_arn(mut n: Node) -> Node {
    if let Value::String(s) = &n.value
        && !s.starts_with("arn:")
    {
        n.value = Value::String(format!("arn:aws:iam::aws:policy/{s}").into());
    }
    n
}

/// `{PolicyName: <Role>Policy<index>, PolicyDocument: document}`, as the transform names
/// it; the item may be absent when the document may be.
fn inline(role_id: &str, index: usize, document: Node) -> Node {
    // The written keys are not in the template: they sit, empty, where the document starts,
    // so that a statement's attribute path goes through `PolicyDocument` to the statement.
    let mark = Span::new(
        document.span.file,
        document.span.start as usize,
        document.span.start as usize,
    );
    let key = |name: &str| Key {
        name: name.into(),
        span: mark,
    };
    let mut m = Map::default();
    m.insert(
        key("PolicyName"),
        Node::new(
            Value::String(format!("{role_id}Policy{index}").into()),
            mark,
        ),
    );
    let at = document.span;
    let refs = document.refs.clone();
    m.insert(key("PolicyDocument"), document);
    let mut item = Node::new(Value::Map(m), at);
    item.refs = refs;
    item
}
