//! Shared by the controls that the IAM credential report decides (1.1–1.4, 1.12, 1.13, 1.23).

use super::Context;
use crate::credential_report::Row;
use crate::finding::Findings;

/// CIS v1.1.0's threshold for unused and unrotated credentials.
pub const MAX_AGE_DAYS: i64 = 90;

/// The rows of the report, if one was given.
pub fn rows<'a>(cx: &Context<'a>) -> &'a [Row] {
    cx.credential_report
        .map(|r| r.rows.as_slice())
        .unwrap_or(&[])
}

/// `YYYY-MM-DD` of a day number, for messages.
pub fn date(day: i64) -> String {
    // Inverse of days-from-civil (Howard Hinnant), to print dates without a crate.
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Reports access keys that are active but were never used: issued at user setup (1.23).
pub fn unused_keys_of_console_users(cx: &Context<'_>, out: &mut Findings, rule: &'static str) {
    for row in rows(cx).iter().filter(|r| !r.is_root()) {
        out.evaluated_at(rule, &row.user, row.span);
        if row.flag("password_enabled") != Some(true) {
            continue;
        }
        for n in 1..=2 {
            let used = format!("access_key_{n}_last_used_date");
            if row.flag(&format!("access_key_{n}_active")) == Some(true)
                && let Some(cell) = row.cell(&used)
                && cell.text == "N/A"
            {
                out.report_at(rule, &row.user, cell.span, "key-never-used")
                    .arg("user", row.user.clone())
                    .arg("key", n.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2026-11-28", "1999-12-31"] {
            let d = crate::credential_report::parse_day(s).unwrap();
            assert_eq!(super::date(d), s);
        }
    }
}
