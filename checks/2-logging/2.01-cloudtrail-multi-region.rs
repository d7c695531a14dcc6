//! CIS 2.1: every trail records all regions and is logging.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "cloudtrail-multi-region",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let trails = cx.model.trails.iter().map(|t| &t.origin);
    super::account::require_any(cx, out, CONTROL.id, "absent", trails);
    for trail in &cx.model.trails {
        let o = &trail.origin;
        out.evaluated(CONTROL.id, o);
        let f = &trail.multi_region;
        if cx.known(out, CONTROL.id, o, f) == Some(false) {
            out.report(CONTROL.id, o, f.value.span_or(o.header), "single-region")
                .arg("fix", o.assign(f.key, "true"));
        }
        let l = &trail.logging;
        if cx.known(out, CONTROL.id, o, l) == Some(false) {
            out.report(CONTROL.id, o, l.value.span_or(o.header), "not-logging")
                .arg("fix", o.assign(l.key, "true"));
        }
    }
}
