//! CIS 1.9: the account password policy requires at least 14 characters (IAM's default is 6).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-min-length",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::number(
        cx,
        out,
        CONTROL.id,
        |p| &p.minimum_length,
        |n| n >= 14.0,
        "14",
    );
}
