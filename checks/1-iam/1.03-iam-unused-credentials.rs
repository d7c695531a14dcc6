//! CIS 1.3: passwords and access keys unused for 90 days or more are disabled
//! (credential report). A password never used counts from its last change.

use super::credential_report::{MAX_AGE_DAYS, date, rows};
use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-unused-credentials",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for row in rows(cx).iter().filter(|r| !r.is_root()) {
        out.evaluated_at(CONTROL.id, &row.user, row.span);
        if row.flag("password_enabled") == Some(true) {
            let last = row
                .day("password_last_used")
                .or_else(|| row.day("password_last_changed"))
                .or_else(|| row.day("user_creation_time"));
            if let (Some(day), Some(cell)) = (last, row.cell("password_last_used"))
                && cx.as_of - day >= MAX_AGE_DAYS
            {
                out.report_at(CONTROL.id, &row.user, cell.span, "password-unused")
                    .arg("user", row.user.clone())
                    .arg("date", date(day))
                    .arg("days", (cx.as_of - day).to_string());
            }
        }
        for n in 1..=2 {
            if row.flag(&format!("access_key_{n}_active")) != Some(true) {
                continue;
            }
            let used = format!("access_key_{n}_last_used_date");
            let last = row
                .day(&used)
                .or_else(|| row.day(&format!("access_key_{n}_last_rotated")));
            if let (Some(day), Some(cell)) = (last, row.cell(&used))
                && cx.as_of - day >= MAX_AGE_DAYS
            {
                out.report_at(CONTROL.id, &row.user, cell.span, "key-unused")
                    .arg("user", row.user.clone())
                    .arg("key", n.to_string())
                    .arg("date", date(day))
                    .arg("days", (cx.as_of - day).to_string());
            }
        }
    }
}
