//! SNS topics and their subscriptions: the last links of the 3.x chains (3.15).

use super::Origin;
use crate::graph::{Graph, ResourceId};
use crate::value::Node;

/// A topic (`aws_sns_topic`, `AWS::SNS::Topic`).
#[derive(Clone, Debug)]
pub struct Topic {
    pub origin: Origin,
    /// CloudFormation's inline `Subscription` list, as written.
    pub inline_subscriptions: Option<Node>,
}

/// A subscription resource (`aws_sns_topic_subscription`, `AWS::SNS::Subscription`).
#[derive(Clone, Debug)]
pub struct Subscription {
    pub origin: Origin,
    /// `topic_arn` / `TopicArn`, as written.
    pub topic: Option<Node>,
}

/// Adds the topic or subscription a resource declares, if it is one.
pub fn adapt(
    graph: &Graph,
    id: ResourceId,
    topics: &mut Vec<Topic>,
    subscriptions: &mut Vec<Subscription>,
) {
    let r = graph.resource(id);
    let a = &r.attrs;
    match r.rtype.as_str() {
        "aws_sns_topic" => topics.push(Topic {
            origin: Origin::of(graph, id),
            inline_subscriptions: None,
        }),
        "AWS::SNS::Topic" => topics.push(Topic {
            origin: Origin::of(graph, id),
            inline_subscriptions: a.get("Subscription").filter(|n| !n.is_null()).cloned(),
        }),
        "aws_sns_topic_subscription" => subscriptions.push(Subscription {
            origin: Origin::of(graph, id),
            topic: a.get("topic_arn").cloned(),
        }),
        "AWS::SNS::Subscription" => subscriptions.push(Subscription {
            origin: Origin::of(graph, id),
            topic: a.get("TopicArn").cloned(),
        }),
        _ => {}
    }
}
