//! CIS 1.5: the account password policy requires an uppercase letter.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-uppercase",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::require(cx, out, CONTROL.id, |p| &p.require_uppercase);
}
