//! CIS 2.7: every trail encrypts its logs with a KMS key.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "cloudtrail-kms-encryption",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let trails = cx.model.trails.iter().map(|t| &t.origin);
    super::account::require_any(cx, out, CONTROL.id, "absent", trails);
    for trail in &cx.model.trails {
        let o = &trail.origin;
        out.evaluated(CONTROL.id, o);
        match trail.kms_key.value {
            Setting::Absent => {
                out.report(CONTROL.id, o, o.header, "missing")
                    .arg("key", trail.kms_key.key);
            }
            Setting::Unknown { span } => {
                cx.unknown(out, CONTROL.id, o, trail.kms_key.key, span);
            }
            _ => {}
        }
    }
}
