//! CIS 1.20: a SECURITY alternate contact is registered (`aws_account_alternate_contact`
//! with `alternate_contact_type = "SECURITY"`). Decided by presence: a contact known to be
//! SECURITY passes in any scope; only the account scope reports its absence, or the
//! unknowns that decide it.

use super::account::{Witness, require};
use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "account-security-contact",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let witnesses: Vec<Witness<'_>> = cx
        .model
        .account
        .security_contacts()
        .map(|(c, _)| Witness {
            origin: &c.origin,
            unknown: match c.contact_type {
                Setting::Unknown { span } => Some(("alternate_contact_type", span)),
                _ => None,
            },
        })
        .collect();
    require(cx, out, CONTROL.id, "absent", &witnesses);
}
