//! IAM policy documents, whatever form they are written in, as one model: statements with
//! their effect, actions, resources, principals and conditions, each element string-or-list,
//! every value with the span where the user wrote it.
//!
//! - [`document`] reads a JSON-shaped [`Node`](crate::value::Node) (a CloudFormation map, the
//!   object behind `jsonencode`, a parsed JSON string);
//! - [`locate`] turns a policy written as a string (heredoc, block scalar, `file()`) into such
//!   a node, with spans mapped back into the source;
//! - [`terraform`] reads `data "aws_iam_policy_document"` with its source and override merges;
//! - [`resolve`] finds the documents an attribute holds, following references.

pub mod document;
pub mod locate;
pub mod resolve;
pub mod terraform;

#[cfg(test)]
pub(crate) mod tests;

use crate::source::Span;

pub use resolve::{Resolved, Resolver};

/// `Allow` or `Deny`, or not known before apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
    Unknown,
}

/// One string of a string-or-list element: an action, a resource, a principal id, a
/// condition value.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The string; `None` when it is only known at apply time.
    pub value: Option<String>,
    pub span: Span,
}

/// A string-or-list element (`"Action": "s3:*"` and `"Action": ["s3:*"]` are the same).
#[derive(Clone, Debug, PartialEq)]
pub struct Values {
    pub items: Vec<Item>,
    /// The element as written (the list, or the single string).
    pub span: Span,
}

impl Values {
    /// Whether some item satisfies `pred`: `Some(true)` when a known item does, `None` when
    /// none does but an unknown one might, `Some(false)` otherwise.
    pub fn any(&self, pred: impl Fn(&str) -> bool) -> Option<bool> {
        let mut unknown = false;
        for item in &self.items {
            match &item.value {
                Some(v) if pred(v) => return Some(true),
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown { None } else { Some(false) }
    }

    /// The first known item that satisfies `pred`.
    pub fn find(&self, pred: impl Fn(&str) -> bool) -> Option<&Item> {
        self.items
            .iter()
            .find(|i| i.value.as_deref().is_some_and(&pred))
    }
}

/// The `Principal` (or `NotPrincipal`) of a statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// `"Principal": "*"`: everyone, signed in or not.
    Everyone(Span),
    /// Principals by type (`AWS`, `Service`, `Federated`, `CanonicalUser`; `*` in a Terraform
    /// `principals` block), each with its identifiers.
    Typed(Vec<(String, Values)>),
    /// Only known at apply time.
    Unknown(Span),
}

impl Principal {
    /// Whether the principal admits anyone: `"*"`, `{"AWS": "*"}`, or a Terraform block
    /// `type = "*"`/`"AWS"` with identifier `"*"`. `None` when unknowns decide it.
    pub fn is_public(&self) -> Option<bool> {
        match self {
            Principal::Everyone(_) => Some(true),
            Principal::Unknown(_) => None,
            Principal::Typed(types) => {
                let mut unknown = false;
                for (kind, ids) in types {
                    if kind == "*" || kind.eq_ignore_ascii_case("AWS") {
                        match ids.any(|id| id.trim() == "*") {
                            Some(true) => return Some(true),
                            None => unknown = true,
                            Some(false) => {}
                        }
                    }
                }
                if unknown { None } else { Some(false) }
            }
        }
    }

    /// Where the principal is written.
    pub fn span(&self) -> Option<Span> {
        match self {
            Principal::Everyone(s) | Principal::Unknown(s) => Some(*s),
            Principal::Typed(t) => t.first().map(|(_, v)| v.span),
        }
    }
}

/// One condition: `"StringEquals": {"aws:SourceAccount": "123"}` is operator
/// `StringEquals`, key `aws:SourceAccount`, values `["123"]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Values,
    pub span: Span,
}

/// The `Condition` block of a statement.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Conditions {
    pub items: Vec<Condition>,
    /// Where a part of the block is only known at apply time.
    pub unknown: Option<Span>,
}

/// One policy statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// The whole statement: the JSON/YAML object or the Terraform `statement` block.
    pub span: Span,
    pub sid: Option<String>,
    pub effect: Effect,
    pub action: Option<Values>,
    pub not_action: Option<Values>,
    pub resource: Option<Values>,
    pub not_resource: Option<Values>,
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub condition: Conditions,
    /// A document whose content is unknown may replace this statement (by `sid`).
    pub replaceable: bool,
}

/// A policy document: its statements, and where parts of it are unknown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    pub statements: Vec<Statement>,
    /// Parts whose statements are only known at apply time (a variable, a `dynamic`
    /// block over an unknown collection, an unknown source document).
    pub unknown: Vec<Span>,
}

/// Whether an action pattern is the full wildcard (`*`, or `*:*` as CIS writes it).
pub fn is_all_actions(action: &str) -> bool {
    matches!(action.trim(), "*" | "*:*")
}

/// Conjunction of three-valued facts: false wins, then unknown.
pub fn all3(facts: &[Option<bool>]) -> Option<bool> {
    if facts.contains(&Some(false)) {
        Some(false)
    } else if facts.contains(&None) {
        None
    } else {
        Some(true)
    }
}

impl Statement {
    /// CIS 1.24: `Allow` of action `*` on resource `*`. `NotAction`, `NotResource`, `iam:*`
    /// and narrower resources are not this. `None` when unknowns decide it.
    pub fn grants_full_admin(&self) -> Option<bool> {
        let effect = match self.effect {
            Effect::Allow => Some(true),
            Effect::Deny => Some(false),
            Effect::Unknown => None,
        };
        let action = match &self.action {
            Some(a) => a.any(is_all_actions),
            None => Some(false),
        };
        let resource = match &self.resource {
            Some(r) => r.any(|r| r.trim() == "*"),
            None => Some(false),
        };
        all3(&[effect, action, resource])
    }

    /// Whether the statement allows anyone (`Principal` `*` or `{"AWS": "*"}`) without a
    /// condition that narrows who may use it. `None` when unknowns decide it.
    pub fn allows_public(&self) -> Option<bool> {
        let effect = match self.effect {
            Effect::Allow => Some(true),
            Effect::Deny => Some(false),
            Effect::Unknown => None,
        };
        let public = match &self.principal {
            Some(p) => p.is_public(),
            None => Some(false),
        };
        let unrestricted = if self.condition.items.iter().any(restricts_caller) {
            Some(false)
        } else if self.condition.unknown.is_some() {
            None
        } else {
            Some(true)
        };
        all3(&[effect, public, unrestricted])
    }
}

/// Condition keys that limit *who* can use a statement (the account, organisation, network
/// or service of the caller), as opposed to keys like `s3:x-amz-acl` that limit *what*.
const CALLER_KEYS: &[&str] = &[
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceowner",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalservicename",
    "aws:principalservicenameslist",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceip",
    "aws:vpcsourceip",
    "aws:userid",
    "aws:username",
    "aws:calledvia",
];

/// Whether a condition restricts the caller: a positive test (`StringEquals`, `ArnLike`,
/// `IpAddress`, …, not `…IfExists`, not a negation) of a caller key whose values are not
/// all wildcards.
fn restricts_caller(c: &Condition) -> bool {
    let op = c.operator.to_ascii_lowercase();
    let op = op
        .strip_prefix("foranyvalue:")
        .or_else(|| op.strip_prefix("forallvalues:"))
        .unwrap_or(&op);
    let positive = matches!(
        op,
        "stringequals"
            | "stringequalsignorecase"
            | "stringlike"
            | "arnequals"
            | "arnlike"
            | "ipaddress"
    );
    let key = c.key.to_ascii_lowercase();
    let caller_key = CALLER_KEYS.contains(&key.as_str()) || key.starts_with("aws:principaltag/");
    // A value of `*` in a `…Like` test matches every caller.
    let narrows = c.values.items.iter().any(|i| match &i.value {
        Some(v) => v.trim() != "*",
        None => true,
    });
    positive && caller_key && narrows
}
