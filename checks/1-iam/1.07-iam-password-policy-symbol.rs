//! CIS 1.7: the account password policy requires a symbol.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-symbol",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::require(cx, out, CONTROL.id, |p| &p.require_symbols);
}
