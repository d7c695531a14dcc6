//! CIS 3.8: "Ensure a log metric filter and alarm exist for S3 bucket policy changes".
//! Reports the broken links of this control's chains: the metric filter, its alarm and the
//! alarm's SNS action, fed by a multi-region trail (see `chain.rs`).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "monitor-s3-bucket-policy-changes",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::chain::check(cx, out, CONTROL.id, "3.8");
}
