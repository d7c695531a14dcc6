//! Shared by 3.1–3.15: reports the broken links of the monitoring chains that
//! `model::monitoring` has analysed (see there for how a filter is tied to a control and
//! how each link is decided).

use super::Context;
use crate::finding::Findings;
use crate::model::monitoring::{Break, ChainStatus};

/// Reports the broken links of the chains of control `cis` (`"3.1"` … `"3.14"`).
pub fn check(cx: &Context<'_>, out: &mut Findings, rule: &'static str, cis: &str) {
    let m = &cx.model.monitoring;
    // A filter is judged (and lets the control pass) only when its whole chain is known to
    // hold: a filter whose chain leaves the code shows nothing either way.
    for (i, rels) in m.relations.iter().enumerate() {
        if rels.iter().any(|(c, _)| *c == cis)
            && m.status_where(cis, |j| j == i) == ChainStatus::Complete
        {
            out.evaluated(rule, &cx.model.metric_filters[i].origin);
        }
    }
    for b in m.breaks(cis) {
        report(out, rule, b);
    }
    // A broken chain whose filter's pattern is unknown may be this control's.
    for i in m.broken_unknown_patterns() {
        let f = &cx.model.metric_filters[i];
        if let Some(pattern) = &f.pattern {
            let key = match f.origin.dialect {
                crate::graph::Dialect::Terraform => "pattern",
                crate::graph::Dialect::CloudFormation => "FilterPattern",
            };
            cx.unknown(out, rule, &f.origin, key, pattern.span);
        }
    }
    for b in m.notes(cis) {
        let n = out.note(
            crate::notice::BROADER_PATTERN,
            rule,
            &b.origin,
            b.span,
            b.key,
        );
        for (k, v) in &b.args {
            n.arg(k, v.clone());
        }
    }
    // Account scope: the baseline must hold a complete chain for the control.
    match m.status(cis) {
        ChainStatus::Absent => {
            super::account::absent(cx, out, rule, "absent");
        }
        ChainStatus::Undetermined if m.breaks(cis).is_empty() => {
            if let Some(f) = super::account::absent(cx, out, rule, "absent-undetermined") {
                f.undetermined();
            }
        }
        _ => {}
    }
}

/// Reports one broken link.
pub fn report(out: &mut Findings, rule: &'static str, b: &Break) {
    let f = out.report(rule, &b.origin, b.span, b.key);
    for (k, v) in &b.args {
        f.arg(k, v.clone());
    }
    for (span, key) in &b.labels {
        f.label(*span, key);
    }
    if b.undetermined {
        f.undetermined();
    }
}
