//! CIS 1.16: policies reach users only through groups (or roles): no inline policy on a
//! user, no managed policy attached to a user, no policy whose users list names users.
//! Policies given to groups and roles are what the control judges to pass.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::account::Attachee;
use crate::model::iam::UserGrantKind;

pub const CONTROL: Control = Control {
    id: "iam-policy-attached-to-user",
    check,
};

/// Resource types whose policies go to groups or roles (inline policies included).
const TO_GROUPS_OR_ROLES: &[&str] = &[
    "aws_iam_role_policy",
    "aws_iam_group_policy",
    "aws_iam_role",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::GroupPolicy",
    "AWS::IAM::Role",
    "AWS::IAM::Group",
];

fn check(cx: &Context<'_>, out: &mut Findings) {
    for a in &cx.model.account.policy_attachments {
        if a.attachee != Attachee::User {
            out.evaluated(CONTROL.id, &a.origin);
        }
    }
    for p in &cx.model.iam.policies {
        if TO_GROUPS_OR_ROLES.contains(&cx.graph.resource(p.origin.id).rtype.as_str()) {
            out.evaluated(CONTROL.id, &p.origin);
        }
    }
    for g in &cx.model.iam.user_grants {
        out.evaluated(CONTROL.id, &g.origin);
        let key = match g.kind {
            UserGrantKind::Inline => "inline",
            UserGrantKind::Managed => "managed",
            UserGrantKind::PolicyUsers => "policy-users",
        };
        if g.unknown {
            // A list only known at apply time may be empty.
            out.report(CONTROL.id, &g.origin, g.span, "users-unknown")
                .arg("expr", cx.expression(g.span))
                .undetermined();
        } else {
            out.report(CONTROL.id, &g.origin, g.span, key)
                .arg("user", g.users.join("`, `"));
        }
    }
}
