//! CIS 3.15: "Ensure appropriate subscribers to each SNS topic".
//! Reports the SNS topics that alarms of the 3.1–3.14 chains notify and that nobody
//! subscribes to: no `aws_sns_topic_subscription` / `AWS::SNS::Subscription` for them in
//! the scanned code and no inline `Subscription`. A topic exported through an output may be
//! subscribed to elsewhere and is not reported. Whether a subscriber is *appropriate* is a
//! manual check. Only the topics of those chains are judged: another topic says nothing.

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "sns-topic-subscribers",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let m = &cx.model.monitoring;
    for &t in m.subscribed_topics() {
        out.evaluated(CONTROL.id, &cx.model.topics[t].origin);
    }
    for b in m.topic_breaks() {
        super::chain::report(out, CONTROL.id, b);
    }
}
