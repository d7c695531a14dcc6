//! CIS 1.8: the account password policy requires a number.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-number",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::require(cx, out, CONTROL.id, |p| &p.require_numbers);
}
