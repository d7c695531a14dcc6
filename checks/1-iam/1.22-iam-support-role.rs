//! CIS 1.22: the AWS managed policy `AWSSupportAccess` is attached to someone, so that
//! incidents can be handled with AWS Support. Decided by presence: an attachment known to
//! be `AWSSupportAccess` passes in any scope; only the account scope reports its absence,
//! or the unknowns that decide it.

use super::account::{Witness, require};
use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-support-role",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let witnesses: Vec<Witness<'_>> = cx
        .model
        .account
        .support_access()
        .map(|(a, attaches)| Witness {
            origin: &a.origin,
            unknown: attaches.is_none().then_some((a.key, a.span)),
        })
        .collect();
    require(cx, out, CONTROL.id, "absent", &witnesses);
}
