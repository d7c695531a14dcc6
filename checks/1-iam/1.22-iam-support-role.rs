//! CIS 1.22: the AWS managed policy `AWSSupportAccess` is attached to someone, so that
//! incidents can be handled with AWS Support. Decided by presence (account scope).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-support-role",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let mut found = false;
    let mut unknown = false;
    for (a, attaches) in cx.model.account.support_access() {
        out.evaluated(CONTROL.id, &a.origin);
        match attaches {
            Some(true) => found = true,
            _ => unknown = true,
        }
    }
    if !found
        && let Some(f) = super::account::absent(cx, out, CONTROL.id, "absent")
        && unknown
    {
        f.undetermined();
    }
}
