//! CIS 2.4: every trail delivers to CloudWatch Logs (log group and role both set). A trail
//! missing both gets one finding naming both.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "cloudtrail-cloudwatch-logs",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let trails = cx.model.trails.iter().map(|t| &t.origin);
    super::account::require_any(cx, out, CONTROL.id, "absent", trails);
    for trail in &cx.model.trails {
        let o = &trail.origin;
        out.evaluated(CONTROL.id, o);
        let (group, role) = (&trail.cloudwatch_log_group, &trail.cloudwatch_role);
        let missing: Vec<&str> = [group, role]
            .into_iter()
            .filter(|f| matches!(f.value, Setting::Absent))
            .map(|f| f.key)
            .collect();
        match missing[..] {
            [key] => {
                out.report(CONTROL.id, o, o.header, "missing")
                    .arg("key", key);
            }
            [_, _] => {
                out.report(CONTROL.id, o, o.header, "missing-both")
                    .arg("group", group.key)
                    .arg("role", role.key);
            }
            _ => {}
        }
        for f in [group, role] {
            if let Setting::Unknown { span } = f.value {
                cx.unknown(out, CONTROL.id, o, f.key, span);
            }
        }
    }
}
