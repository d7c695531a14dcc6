//! CIS 1.16: policies reach users only through groups (or roles): no inline policy on a
//! user, no managed policy attached to a user, no policy whose users list names users.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::iam::UserGrantKind;

pub const CONTROL: Control = Control {
    id: "iam-policy-attached-to-user",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
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
