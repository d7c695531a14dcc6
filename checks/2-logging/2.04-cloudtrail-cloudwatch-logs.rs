//! CIS 2.4: every trail delivers to CloudWatch Logs (log group and role both set).

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;

pub const CONTROL: Control = Control {
    id: "cloudtrail-cloudwatch-logs",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    if cx.model.trails.is_empty() {
        super::account::absent(cx, out, CONTROL.id, "absent");
    }
    for trail in &cx.model.trails {
        let o = &trail.origin;
        out.evaluated(CONTROL.id, o);
        for f in [&trail.cloudwatch_log_group, &trail.cloudwatch_role] {
            if matches!(f.value, Setting::Absent) {
                out.report(CONTROL.id, o, o.header, "missing")
                    .arg("key", f.key);
            }
        }
    }
}
