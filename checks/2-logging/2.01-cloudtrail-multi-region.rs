//! CIS 2.1: every trail records all regions and is logging.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "cloudtrail-multi-region",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    if cx.model.trails.is_empty() {
        super::account::absent(cx, out, CONTROL.id, "absent");
    }
    for trail in &cx.model.trails {
        let o = &trail.origin;
        out.evaluated(CONTROL.id, o);
        let f = &trail.multi_region;
        if f.value.known() == Some(false) {
            out.report(CONTROL.id, o, f.value.span_or(o.header), "single-region")
                .arg("fix", o.assign(f.key, "true"));
        }
        let l = &trail.logging;
        if l.value.known() == Some(false) {
            out.report(CONTROL.id, o, l.value.span_or(o.header), "not-logging")
                .arg("fix", o.assign(l.key, "true"));
        }
    }
}
