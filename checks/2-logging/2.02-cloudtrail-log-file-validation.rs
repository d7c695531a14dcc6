//! CIS 2.2: every trail validates its log files.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "cloudtrail-log-file-validation",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let trails = cx.model.trails.iter().map(|t| &t.origin);
    super::account::require_any(cx, out, CONTROL.id, "absent", trails);
    for trail in &cx.model.trails {
        let o = &trail.origin;
        out.evaluated(CONTROL.id, o);
        let f = &trail.log_file_validation;
        if cx.known(out, CONTROL.id, o, f) == Some(false) {
            let key = if f.value.is_present() {
                "disabled"
            } else {
                "not-set"
            };
            out.report(CONTROL.id, o, f.value.span_or(o.header), key)
                .arg("key", f.key)
                .arg("fix", o.assign(f.key, "true"));
        }
    }
}
