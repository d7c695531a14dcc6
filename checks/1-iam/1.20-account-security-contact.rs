//! CIS 1.20: a SECURITY alternate contact is registered (`aws_account_alternate_contact`
//! with `alternate_contact_type = "SECURITY"`). Decided by presence (account scope).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "account-security-contact",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let mut found = false;
    let mut unknown = false;
    for (c, is_security) in cx.model.account.security_contacts() {
        out.evaluated(CONTROL.id, &c.origin);
        match is_security {
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
