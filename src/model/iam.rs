//! IAM: identity policies (managed and inline), what is granted to users directly, users,
//! their console passwords and access keys.

use super::Origin;
use super::refers::{describe, may_be_removed};
use super::setting::{Setting, str_attr};
use crate::graph::{Graph, ResourceId};
use crate::policy::{Resolved, Resolver};
use crate::source::Span;
use crate::value::{Map, Node, Value};

/// A policy document that grants permissions to identities: a managed policy or an inline
/// policy of a user, group or role (trust and resource policies are not these).
#[derive(Clone, Debug)]
pub struct IdentityPolicy {
    pub origin: Origin,
    /// The attribute holding the document, as the dialect spells it.
    pub key: &'static str,
    /// The document's value (where an unknown document is pointed at).
    pub span: Span,
    pub documents: Vec<Resolved>,
}

/// How a policy reaches a user directly (CIS 1.16), as a message key of that control.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserGrantKind {
    /// An inline policy on a user.
    Inline,
    /// A managed policy attached to a user.
    Managed,
    /// A policy whose users list names users.
    PolicyUsers,
}

/// A policy given to users directly.
#[derive(Clone, Debug)]
pub struct UserGrant {
    pub origin: Origin,
    /// What to point at: the resource, or the `users`/`Policies` value.
    pub span: Span,
    pub kind: UserGrantKind,
    /// The users, as written (names or referenced resources).
    pub users: Vec<String>,
    /// The list of users (or policies) is only known at apply time.
    pub unknown: bool,
}

/// An IAM user declared in the code.
#[derive(Clone, Debug)]
pub struct User {
    pub origin: Origin,
    /// The user's name when it is written.
    pub names: Vec<String>,
    /// CloudFormation's inline `LoginProfile` (a console password).
    pub login_profile: Setting<()>,
}

/// A console password (`aws_iam_user_login_profile`).
#[derive(Clone, Debug)]
pub struct LoginProfile {
    pub origin: Origin,
    pub user: Node,
}

/// An access key (`aws_iam_access_key`, `AWS::IAM::AccessKey`).
#[derive(Clone, Debug)]
pub struct AccessKey {
    pub origin: Origin,
    pub user: Option<Node>,
}

/// Everything IAM the controls read.
#[derive(Clone, Debug, Default)]
pub struct Iam {
    pub policies: Vec<IdentityPolicy>,
    pub user_grants: Vec<UserGrant>,
    pub users: Vec<User>,
    pub login_profiles: Vec<LoginProfile>,
    pub access_keys: Vec<AccessKey>,
}

/// Adds what a resource declares.
pub fn adapt(resolver: &Resolver<'_>, id: ResourceId, out: &mut Iam) {
    let graph = resolver.graph;
    let r = graph.resource(id);
    let a = &r.attrs;
    let origin = || Origin::of(graph, id);
    // `maybe`: an `Fn::If` on an unknown condition may remove the policy, so what it grants
    // is granted only maybe.
    let mut policy = |key: &'static str, node: &Node, maybe: bool| {
        if node.is_null() {
            return;
        }
        let mut documents = resolver.documents(r.unit, node);
        if maybe {
            documents.iter_mut().for_each(|d| d.uncertain = true);
        }
        out.policies.push(IdentityPolicy {
            origin: origin(),
            key,
            span: node.span,
            documents,
        });
    };
    match r.rtype.as_str() {
        "aws_iam_policy"
        | "aws_iam_role_policy"
        | "aws_iam_user_policy"
        | "aws_iam_group_policy" => {
            if let Some(p) = a.get("policy") {
                policy("policy", p, false);
            }
        }
        "aws_iam_role" => {
            for block in a.get("inline_policy").map(Node::items).unwrap_or_default() {
                if let Some(p) = block.get("policy") {
                    policy("policy", p, false);
                }
            }
        }
        "AWS::IAM::ManagedPolicy"
        | "AWS::IAM::Policy"
        | "AWS::IAM::RolePolicy"
        | "AWS::IAM::UserPolicy"
        | "AWS::IAM::GroupPolicy" => {
            if let Some(p) = a.get("PolicyDocument") {
                policy("PolicyDocument", p, false);
            }
        }
        "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group" => {
            for item in a.get("Policies").map(Node::items).unwrap_or_default() {
                if let Some(p) = item.get("PolicyDocument") {
                    policy("PolicyDocument", p, may_be_removed(item));
                } else if item.is_unknown() {
                    // Some policy only known at deployment, not none.
                    policy("Policies", item, false);
                }
            }
        }
        _ => {}
    }
    user_grants(graph, id, out);
    match r.rtype.as_str() {
        "aws_iam_user" => out.users.push(User {
            origin: origin(),
            names: known(a, "name"),
            login_profile: Setting::Absent,
        }),
        "AWS::IAM::User" => {
            let mut names = known(a, "UserName");
            if names.is_empty() {
                names.push(r.address.clone());
            }
            out.users.push(User {
                origin: origin(),
                names,
                login_profile: match a.get("LoginProfile") {
                    None => Setting::Absent,
                    Some(n) if n.is_null() => Setting::Absent,
                    Some(n) if n.is_unknown() => Setting::Unknown { span: n.span },
                    Some(n) => Setting::Set {
                        value: (),
                        span: n.span,
                    },
                },
            });
        }
        "aws_iam_user_login_profile" => {
            if let Some(u) = a.get("user") {
                out.login_profiles.push(LoginProfile {
                    origin: origin(),
                    user: u.clone(),
                });
            }
        }
        "aws_iam_access_key" => out.access_keys.push(AccessKey {
            origin: origin(),
            user: a.get("user").cloned(),
        }),
        "AWS::IAM::AccessKey" => out.access_keys.push(AccessKey {
            origin: origin(),
            user: a.get("UserName").cloned(),
        }),
        _ => {}
    }
}

/// A known string attribute as a one-element list (for name matching).
fn known(a: &Map, key: &str) -> Vec<String> {
    str_attr(a, key).known().into_iter().collect()
}

/// CIS 1.16: the forms in which a policy is given to users directly.
fn user_grants(graph: &Graph, id: ResourceId, out: &mut Iam) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let mut grant = |span: Span, kind: UserGrantKind, users: Vec<String>, unknown: bool| {
        out.user_grants.push(UserGrant {
            origin: Origin::of(graph, id),
            span,
            kind,
            users,
            unknown,
        })
    };
    let one = |key: &str| a.get(key).map(describe).into_iter().collect::<Vec<_>>();
    match r.rtype.as_str() {
        "aws_iam_user_policy" => grant(r.span, UserGrantKind::Inline, one("user"), false),
        "aws_iam_user_policy_attachment" => {
            grant(r.span, UserGrantKind::Managed, one("user"), false)
        }
        "AWS::IAM::UserPolicy" => grant(r.span, UserGrantKind::Inline, one("UserName"), false),
        "aws_iam_policy_attachment" => {
            if let Some((span, users, unknown)) = listed(a, "users") {
                grant(span, UserGrantKind::PolicyUsers, users, unknown);
            }
        }
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => {
            if let Some((span, users, unknown)) = listed(a, "Users") {
                grant(span, UserGrantKind::PolicyUsers, users, unknown);
            }
        }
        "aws_iam_user_policies_exclusive" | "aws_iam_user_policy_attachments_exclusive" => {
            let key = if r.rtype.ends_with("policies_exclusive") {
                "policy_names"
            } else {
                "policy_arns"
            };
            let kind = if key == "policy_names" {
                UserGrantKind::Inline
            } else {
                UserGrantKind::Managed
            };
            if let Some((span, _, unknown)) = listed(a, key) {
                grant(span, kind, one("user_name"), unknown);
            }
        }
        "AWS::IAM::User" => {
            let user = known(a, "UserName")
                .into_iter()
                .next()
                .unwrap_or_else(|| r.address.clone());
            for (key, kind) in [
                ("Policies", UserGrantKind::Inline),
                ("ManagedPolicyArns", UserGrantKind::Managed),
            ] {
                if let Some((span, _, unknown)) = listed(a, key) {
                    grant(span, kind, vec![user.clone()], unknown);
                }
            }
        }
        _ => {}
    }
}

/// A list attribute that is not empty: its span, items as written, and whether the list
/// itself is only known at apply time. `None` when absent or empty.
fn listed(a: &Map, key: &str) -> Option<(Span, Vec<String>, bool)> {
    let n = a.get(key)?;
    match &n.value {
        Value::Null => None,
        Value::Unknown => Some((n.span, vec![describe(n)], true)),
        Value::List(items) if items.is_empty() => None,
        _ => Some((n.span, n.items().iter().map(describe).collect(), false)),
    }
}
