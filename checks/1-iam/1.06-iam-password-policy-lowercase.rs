//! CIS 1.6: the account password policy requires a lowercase letter.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-lowercase",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::require(cx, out, CONTROL.id, |p| &p.require_lowercase);
}
