//! CIS 1.11: the account password policy expires passwords within 90 days; by default (0) they never expire.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-password-policy-max-age",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::password_policy::number(
        cx,
        out,
        CONTROL.id,
        |p| &p.max_age,
        |n| (1.0..=90.0).contains(&n),
        "90",
    );
}
