//! CIS 1.19: contact details are maintained. Whether they are *current* is a manual check;
//! code can show that the primary contact is managed (`aws_account_primary_contact`), which
//! the account scope requires.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "account-contact-details",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let contacts = &cx.model.account.primary_contacts;
    for c in contacts {
        out.evaluated(CONTROL.id, &c.origin);
    }
    if contacts.is_empty() {
        super::account::absent(cx, out, CONTROL.id, "absent");
    }
}
