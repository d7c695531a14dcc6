//! CIS 1.18: an "IAM Master" role and an "IAM Manager" role exist, splitting the power to
//! create identities from the power to grant them permissions. Role names are free: a role
//! is recognised by what its policies allow and deny (not by its name, as some tools do).
//! Decided by presence, so only the account scope reports a missing role.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Context, Control};
use crate::finding::Findings;
use crate::graph::ResourceId;
use crate::policy::{Effect, Statement};
use crate::value::{Node, Value};

pub const CONTROL: Control = Control {
    id: "iam-master-manager-roles",
    check,
};

/// What the Master role may do and the Manager role must not (CIS v1.1.0 audit).
const CREATE_DELETE: &[&str] = &[
    "iam:AttachRolePolicy",
    "iam:CreateGroup",
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:CreateRole",
    "iam:CreateUser",
    "iam:DeleteGroup",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DeleteUser",
    "iam:PutRolePolicy",
];

/// What the Manager role may do and the Master role must not.
const ASSIGN: &[&str] = &[
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:DeleteGroupPolicy",
    "iam:DeleteUserPolicy",
    "iam:DetachGroupPolicy",
    "iam:DetachRolePolicy",
    "iam:DetachUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutUserPolicy",
    "iam:RemoveUserFromGroup",
    "iam:UpdateGroup",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateUser",
];

/// Read actions both roles are allowed.
const READ: &[&str] = &[
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:GetUser",
    "iam:GetUserPolicy",
    "iam:ListEntitiesForPolicy",
    "iam:ListGroupPolicies",
    "iam:ListGroups",
    "iam:ListGroupsForUser",
    "iam:ListPolicies",
    "iam:ListPoliciesGrantingServiceAccess",
    "iam:ListPolicyVersions",
    "iam:ListRolePolicies",
    "iam:ListAttachedGroupPolicies",
    "iam:ListAttachedRolePolicies",
    "iam:ListAttachedUserPolicies",
    "iam:ListRoles",
    "iam:ListUsers",
];

/// Whether an IAM action pattern (`iam:*`, `iam:Get*`, `*`, `iam:?et*`) matches `action`,
/// ignoring case, as IAM does.
fn matches(pattern: &str, action: &str) -> bool {
    let (p, a) = (
        pattern.to_ascii_lowercase().into_bytes(),
        action.to_ascii_lowercase().into_bytes(),
    );
    // Iterative wildcard matching with one backtrack point: linear for IAM's patterns.
    let (mut pi, mut ai, mut star, mut mark) = (0, 0, None, 0);
    while ai < a.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == a[ai]) {
            pi += 1;
            ai += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ai;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ai = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

/// The three-valued verdict on whether `statements` `effect` every action of `actions`.
/// A statement whose effect is unknown may be either.
fn covers(statements: &[&Statement], effect: Effect, actions: &[&str]) -> Option<bool> {
    let mut unknown = false;
    for action in actions {
        let mut hit = false;
        for s in statements
            .iter()
            .filter(|s| s.effect == effect || s.effect == Effect::Unknown)
        {
            match s.action.as_ref().map(|v| v.any(|p| matches(p, action))) {
                Some(Some(true)) if s.effect == effect => {
                    hit = true;
                    break;
                }
                Some(Some(true) | None) => unknown = true,
                _ => {}
            }
        }
        if !hit && !unknown {
            return Some(false);
        }
    }
    if unknown { None } else { Some(true) }
}

/// The roles each identity policy applies to, by reference (inline policies of a role,
/// role policies, and managed policies attached to roles).
fn roles_of(
    cx: &Context<'_>,
    attached: &HashMap<ResourceId, Vec<ResourceId>>,
    policy: ResourceId,
) -> Vec<ResourceId> {
    let g = cx.graph;
    let r = g.resource(policy);
    let is_role = |id: &ResourceId| {
        matches!(
            g.resource(*id).rtype.as_str(),
            "aws_iam_role" | "AWS::IAM::Role"
        )
    };
    let refs_to = |node: Option<&crate::value::Node>| -> Vec<ResourceId> {
        node.map(|n| g.targets(r.unit, n).into_iter().map(|(id, _)| id).collect())
            .unwrap_or_default()
    };
    match r.rtype.as_str() {
        "aws_iam_role" | "AWS::IAM::Role" => vec![policy],
        "aws_iam_role_policy" => refs_to(r.attrs.get("role"))
            .into_iter()
            .filter(is_role)
            .collect(),
        "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => refs_to(r.attrs.get("Roles"))
            .into_iter()
            .filter(is_role)
            .collect(),
        // Attachments elsewhere that name this policy and a role.
        "aws_iam_policy" => attached.get(&policy).cloned().unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// Managed policy → the roles its attachments (and roles' `managed_policy_arns`) give it
/// to, found in one pass over the graph rather than once per policy.
fn attachments(cx: &Context<'_>) -> HashMap<ResourceId, Vec<ResourceId>> {
    let g = cx.graph;
    let is_role = |id: &ResourceId| {
        matches!(
            g.resource(*id).rtype.as_str(),
            "aws_iam_role" | "AWS::IAM::Role"
        )
    };
    let mut out: HashMap<ResourceId, Vec<ResourceId>> = HashMap::new();
    for (i, other) in g.resources.iter().enumerate() {
        let (arn_key, role_keys): (&str, &[&str]) = match other.rtype.as_str() {
            "aws_iam_role_policy_attachment" => ("policy_arn", &["role"]),
            "aws_iam_policy_attachment" => ("policy_arn", &["roles"]),
            "aws_iam_role" => ("managed_policy_arns", &[]),
            _ => continue,
        };
        let Some(arns) = other.attrs.get(arn_key) else {
            continue;
        };
        let mut roles = Vec::new();
        if other.rtype == "aws_iam_role" {
            roles.push(ResourceId(i));
        }
        for k in role_keys {
            if let Some(n) = other.attrs.get(k) {
                roles.extend(
                    g.targets(other.unit, n)
                        .into_iter()
                        .map(|(id, _)| id)
                        .filter(is_role),
                );
            }
        }
        for (policy, _) in g.targets(other.unit, arns) {
            let list = out.entry(policy).or_default();
            for r in &roles {
                if !list.contains(r) {
                    list.push(*r);
                }
            }
        }
    }
    out
}

/// Where values known only at apply time may give roles policies the code does not show:
/// the roles whose own policy attributes are unknown or that a policy which may not be
/// created applies to, and whether some policy goes to a role known only at apply time,
/// which may be any role.
fn unknown_grants(cx: &Context<'_>) -> (HashSet<ResourceId>, bool) {
    let g = cx.graph;
    let is_role = |id: &ResourceId| {
        matches!(
            g.resource(*id).rtype.as_str(),
            "aws_iam_role" | "AWS::IAM::Role"
        )
    };
    // Unknown values that no reference explains (a reference to a policy or a document is
    // followed): a variable, a parameter.
    fn unexplained(n: &Node) -> bool {
        match &n.value {
            Value::Unknown => n.refs.iter().all(|r| r.undeclared),
            Value::List(items) => items.iter().any(unexplained),
            Value::Map(m) => m.iter().any(|(_, v)| unexplained(v)),
            _ => false,
        }
    }
    let unknown = |r: &crate::graph::Resource, keys: &[&str]| {
        keys.iter().any(|k| r.attrs.get(k).is_some_and(unexplained))
    };
    let (mut roles, mut any) = (HashSet::new(), false);
    for (i, r) in g.resources.iter().enumerate() {
        let (role_keys, policy_keys): (&[&str], &[&str]) = match r.rtype.as_str() {
            "aws_iam_role" | "AWS::IAM::Role" => {
                let own = [
                    "inline_policy",
                    "managed_policy_arns",
                    "Policies",
                    "ManagedPolicyArns",
                ];
                if unknown(r, &own) {
                    roles.insert(ResourceId(i));
                }
                continue;
            }
            "aws_iam_role_policy" => (&["role"], &["policy"]),
            "aws_iam_role_policy_attachment" => (&["role"], &["policy_arn"]),
            "aws_iam_policy_attachment" => (&["roles"], &["policy_arn"]),
            "AWS::IAM::Policy" | "AWS::IAM::ManagedPolicy" => (&["Roles"], &["PolicyDocument"]),
            _ => continue,
        };
        let targets: Vec<ResourceId> = role_keys
            .iter()
            .filter_map(|k| r.attrs.get(k))
            .flat_map(|n| g.targets(r.unit, n))
            .map(|(id, _)| id)
            .filter(is_role)
            .collect();
        if unknown(r, role_keys) && targets.is_empty() {
            any = true;
        } else if unknown(r, policy_keys) || r.conditional {
            roles.extend(targets);
        }
    }
    (roles, any)
}

fn check(cx: &Context<'_>, out: &mut Findings) {
    let attached = attachments(cx);
    // Statements per role, from every policy that applies to it.
    let mut per_role: BTreeMap<ResourceId, Vec<&Statement>> = BTreeMap::new();
    let (mut unknown_roles, unknown_role) = unknown_grants(cx);
    for role in &unknown_roles {
        per_role.entry(*role).or_default();
    }
    for p in &cx.model.iam.policies {
        for role in roles_of(cx, &attached, p.origin.id) {
            for d in &p.documents {
                if !d.policy.unknown.is_empty() || d.uncertain {
                    unknown_roles.insert(role);
                }
                per_role
                    .entry(role)
                    .or_default()
                    .extend(d.policy.statements.iter());
            }
        }
    }
    let (mut master, mut manager) = (Some(false), Some(false));
    let merge = |acc: &mut Option<bool>, v: Option<bool>| {
        *acc = match (*acc, v) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (None, _) | (_, None) => None,
            _ => Some(false),
        };
    };
    // The roles that certainly exist and are recognised: the one thing the control judges.
    let (mut master_role, mut manager_role) = (None, None);
    for (role, statements) in &per_role {
        let allows = |set: &[&str]| covers(statements, Effect::Allow, set);
        let denies = |set: &[&str]| covers(statements, Effect::Deny, set);
        let both =
            |a: Option<bool>, b: Option<bool>, c: Option<bool>| crate::policy::all3(&[a, b, c]);
        let mut is_master = both(allows(CREATE_DELETE), allows(READ), denies(ASSIGN));
        let mut is_manager = both(allows(ASSIGN), allows(READ), denies(CREATE_DELETE));
        // Statements known only at apply time may allow or deny anything.
        if unknown_roles.contains(role) {
            (is_master, is_manager) = (None, None);
        }
        // A role that may not be created shows nothing for certain.
        if cx.graph.resource(*role).conditional {
            is_master = is_master.filter(|b| !*b);
            is_manager = is_manager.filter(|b| !*b);
        }
        if is_master == Some(true) {
            master_role.get_or_insert(*role);
        }
        if is_manager == Some(true) {
            manager_role.get_or_insert(*role);
        }
        merge(&mut master, is_master);
        merge(&mut manager, is_manager);
    }
    // A policy for a role known only at apply time may make any role either.
    if unknown_role {
        master = master.filter(|b| *b);
        manager = manager.filter(|b| *b);
    }
    // Both roles are needed: one alone passes nothing.
    if let (Some(a), Some(b)) = (master_role, manager_role) {
        for role in [a, b] {
            out.evaluated(CONTROL.id, &crate::model::Origin::of(cx.graph, role));
        }
    }
    for (found, key) in [(master, "no-master"), (manager, "no-manager")] {
        if found != Some(true)
            && let Some(f) = super::account::absent(cx, out, CONTROL.id, key)
            && found.is_none()
        {
            f.undetermined();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn action_patterns() {
        assert!(super::matches("iam:*", "iam:CreateUser"));
        assert!(super::matches("IAM:create*", "iam:CreateUser"));
        assert!(super::matches("*", "iam:CreateUser"));
        assert!(super::matches("iam:*User", "iam:CreateUser"));
        assert!(!super::matches("iam:Get*", "iam:CreateUser"));
        assert!(!super::matches("s3:*", "iam:CreateUser"));
    }
}
