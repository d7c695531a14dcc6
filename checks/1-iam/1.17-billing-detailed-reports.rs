//! CIS 1.17: billing reports are delivered (today: a Cost and Usage Report definition that
//! writes to an S3 bucket). Decided by presence, so only the account scope reports absence.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "billing-detailed-reports",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let reports = &cx.model.account.cost_reports;
    for r in reports {
        out.evaluated(CONTROL.id, &r.origin);
        match r.s3_bucket {
            Setting::Absent => {
                out.report(CONTROL.id, &r.origin, r.origin.header, "no-bucket");
            }
            Setting::Unknown { span } => {
                cx.unknown(out, CONTROL.id, &r.origin, r.s3_bucket_key, span);
            }
            _ => {}
        }
    }
    super::account::require_any(
        cx,
        out,
        CONTROL.id,
        "absent",
        reports.iter().map(|r| &r.origin),
    );
}
