//! CIS 3.3: "Ensure a log metric filter and alarm exist for usage of \"root\" account".
//! Reports the broken links of this control's chains: the metric filter, its alarm and the
//! alarm's SNS action, fed by a multi-region trail (see `chain.rs`).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "monitor-root-account-usage",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::chain::check(cx, out, CONTROL.id, "3.3");
}
