//! CIS 1.12: the root user has no active access key (credential report).

use super::credential_report::rows;
use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-root-access-key",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for row in rows(cx).iter().filter(|r| r.is_root()) {
        out.evaluated_at(CONTROL.id, &row.user, row.span);
        for n in 1..=2 {
            let column = format!("access_key_{n}_active");
            if row.flag(&column) == Some(true)
                && let Some(cell) = row.cell(&column)
            {
                out.report_at(CONTROL.id, &row.user, cell.span, "root-key")
                    .arg("key", n.to_string());
            }
        }
    }
}
