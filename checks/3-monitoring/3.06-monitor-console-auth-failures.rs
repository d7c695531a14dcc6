//! CIS 3.6: "Ensure a log metric filter and alarm exist for AWS Management Console authentication failures".
//! Reports the broken links of this control's chains: the metric filter, its alarm and the
//! alarm's SNS action, fed by a multi-region trail (see `chain.rs`).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "monitor-console-auth-failures",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::chain::check(cx, out, CONTROL.id, "3.6");
}
