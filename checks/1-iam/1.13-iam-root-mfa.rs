//! CIS 1.13: the root user has MFA (credential report).

use super::credential_report::rows;
use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-root-mfa",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for row in rows(cx).iter().filter(|r| r.is_root()) {
        out.evaluated_at(CONTROL.id, &row.user, row.span);
        if row.flag("mfa_active") == Some(false)
            && let Some(cell) = row.cell("mfa_active")
        {
            out.report_at(CONTROL.id, &row.user, cell.span, "no-mfa");
        }
    }
}
