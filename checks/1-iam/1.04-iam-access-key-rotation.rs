//! CIS 1.4: active access keys were rotated within 90 days, and used since (credential report).

use super::credential_report::{MAX_AGE_DAYS, date, rows};
use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "iam-access-key-rotation",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for row in rows(cx).iter().filter(|r| !r.is_root()) {
        out.evaluated_at(CONTROL.id, &row.user, row.span);
        for n in 1..=2 {
            if row.flag(&format!("access_key_{n}_active")) != Some(true) {
                continue;
            }
            let rotated_col = format!("access_key_{n}_last_rotated");
            let Some(rotated) = row.day(&rotated_col) else {
                continue;
            };
            if cx.as_of - rotated > MAX_AGE_DAYS
                && let Some(cell) = row.cell(&rotated_col)
            {
                out.report_at(CONTROL.id, &row.user, cell.span, "not-rotated")
                    .arg("user", row.user.clone())
                    .arg("key", n.to_string())
                    .arg("date", date(rotated))
                    .arg("days", (cx.as_of - rotated).to_string());
            }
            let used_col = format!("access_key_{n}_last_used_date");
            if let (Some(used), Some(cell)) = (row.day(&used_col), row.cell(&used_col))
                && used < rotated
            {
                out.report_at(CONTROL.id, &row.user, cell.span, "not-used-since-rotation")
                    .arg("user", row.user.clone())
                    .arg("key", n.to_string())
                    .arg("date", date(used));
            }
        }
    }
}
