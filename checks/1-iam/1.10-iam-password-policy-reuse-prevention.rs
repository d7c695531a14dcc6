//! CIS 1.10: the account password policy remembers the last 24 passwords (the most IAM allows); by default it remembers none.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-reuse-prevention",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::number(
        cx,
        out,
        CONTROL.id,
        |p| &p.reuse_prevention,
        |n| n >= 24.0,
        "24",
    );
}
