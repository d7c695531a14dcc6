//! CIS 1.1: the root user was not used in the last 90 days (credential report).

use super::credential_report::{MAX_AGE_DAYS, date, rows};
use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-root-account-usage",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for row in rows(cx).iter().filter(|r| r.is_root()) {
        out.evaluated_at(CONTROL.id, &row.user, row.span);
        for column in [
            "password_last_used",
            "access_key_1_last_used_date",
            "access_key_2_last_used_date",
        ] {
            let (Some(day), Some(cell)) = (row.day(column), row.cell(column)) else {
                continue;
            };
            let age = cx.as_of - day;
            if (0..MAX_AGE_DAYS).contains(&age) {
                out.report_at(CONTROL.id, &row.user, cell.span, "recent-use")
                    .arg("column", column)
                    .arg("date", date(day))
                    .arg("days", age.to_string());
            }
        }
    }
}
