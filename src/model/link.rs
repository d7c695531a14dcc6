//! Links between resources: which resources of a kind a value points at, by a reference edge
//! of the graph (`aws_sns_topic.a.arn`, `!Ref Topic`, `!GetAtt Group.Arn`, `${Bucket}` in a
//! `!Sub`) or by a literal name or ARN that names a resource in the code
//! (`log_group_name = "cloudtrail"`, `arn:aws:sns:us-east-1:123456789012:alerts`).
//!
//! Controls that follow a chain of resources (the 3.x monitoring chain, the trail's bucket
//! in 2.3/2.6, a recorder's status in 2.5) ask [`resolve`] and get one of four answers; only
//! [`Target::Found`] and [`Target::External`] are facts, [`Target::Unknown`] must never lead
//! to a finding.

use crate::graph::{Graph, Resource, ResourceId, UnitId};
use crate::value::{Node, Value};

/// A kind of resource that values link to, and how literal values name it.
pub struct Kind {
    /// Resource types of the kind, in every dialect.
    pub types: &'static [&'static str],
    /// Per resource type: the attribute that holds the name, and the name when it is absent
    /// (`None`: a generated name, which no literal can know).
    names: &'static [(&'static str, &'static str, Option<&'static str>)],
    /// The ARN form of the kind: service and resource prefix (`("logs", "log-group:")`).
    arn: (&'static str, &'static str),
    /// Characters that end the name inside an ARN's resource part (`:*` after a log group,
    /// `/key` after a bucket); log group names may contain `/`.
    ends: &'static [char],
}

/// CloudWatch Logs log groups; ARNs `arn:aws:logs:R:A:log-group:NAME[:*]`.
pub const LOG_GROUP: Kind = Kind {
    types: &["aws_cloudwatch_log_group", "AWS::Logs::LogGroup"],
    names: &[
        ("aws_cloudwatch_log_group", "name", None),
        ("AWS::Logs::LogGroup", "LogGroupName", None),
    ],
    arn: ("logs", "log-group:"),
    ends: &[':'],
};

/// SNS topics; ARNs `arn:aws:sns:R:A:NAME`.
pub const SNS_TOPIC: Kind = Kind {
    types: &["aws_sns_topic", "AWS::SNS::Topic"],
    names: &[
        ("aws_sns_topic", "name", None),
        ("AWS::SNS::Topic", "TopicName", None),
    ],
    arn: ("sns", ""),
    ends: &[':'],
};

/// S3 buckets; ARNs `arn:aws:s3:::NAME`.
pub const S3_BUCKET: Kind = Kind {
    types: &["aws_s3_bucket", "AWS::S3::Bucket"],
    names: &[
        ("aws_s3_bucket", "bucket", None),
        ("AWS::S3::Bucket", "BucketName", None),
    ],
    arn: ("s3", ""),
    ends: &[':', '/'],
};

/// AWS Config configuration recorders (named, never by ARN).
pub const CONFIG_RECORDER: Kind = Kind {
    types: &[
        "aws_config_configuration_recorder",
        "AWS::Config::ConfigurationRecorder",
    ],
    names: &[
        ("aws_config_configuration_recorder", "name", Some("default")),
        ("AWS::Config::ConfigurationRecorder", "Name", None),
    ],
    // Recorders have no ARN a configuration would use: no ARN matches.
    arn: ("config", "\u{0}"),
    ends: &[':'],
};

/// What a value points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Resources of the kind in the code, reached by an edge or a matching literal.
    Found(Vec<ResourceId>),
    /// A literal name (or ARN of the kind) that matches no resource in the code: the
    /// resource exists, if at all, outside the scanned code.
    External(String),
    /// A literal that is neither a name nor an ARN of the kind (another service's ARN).
    Foreign,
    /// Known only at apply time, or through a reference the graph cannot follow
    /// (a module output, an imported value, a resource of an unrelated type).
    Unknown,
}

/// Where literal names are looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Only in the unit of the value (for the next link of a chain: a name used in one
    /// template says nothing about a resource of the same name in an unrelated project).
    Unit,
    /// In every scanned unit (for evidence that only removes findings: a subscription made
    /// in another project still delivers the alarm).
    All,
}

/// Nesting limit when a reference is followed through other resources' attributes.
const MAX_FOLLOW: usize = 4;

/// What `node` (written in `unit`) points at among resources of `kind`.
///
/// Edges win over the literal value: a reference to a resource of the kind is the link.
/// A reference to a configured attribute of another resource
/// (`aws_cloudwatch_log_metric_filter.f.log_group_name`) is followed to that attribute's
/// value. A known string is read as a name, or as an ARN of the kind.
pub fn resolve(graph: &Graph, unit: UnitId, node: &Node, kind: &Kind, reach: Reach) -> Target {
    resolve_depth(graph, unit, node, kind, reach, 0)
}

fn resolve_depth(
    graph: &Graph,
    unit: UnitId,
    node: &Node,
    kind: &Kind,
    reach: Reach,
    depth: usize,
) -> Target {
    let mut found: Vec<ResourceId> = Vec::new();
    let mut followed: Option<Target> = None;
    for (id, attr) in graph.targets(unit, node) {
        let r = graph.resource(id);
        if kind.types.contains(&r.rtype.as_str()) {
            found.push(id);
        } else if depth < MAX_FOLLOW
            && let Some(v) = attribute(r, attr)
            && !std::ptr::eq(v, node)
        {
            followed = Some(resolve_depth(graph, r.unit, v, kind, reach, depth + 1));
        }
    }
    if !found.is_empty() {
        found.sort();
        found.dedup();
        return Target::Found(found);
    }
    if let Some(t) = followed
        && node.is_unknown()
    {
        return t;
    }
    match &node.value {
        Value::String(s) => match literal_name(s, kind) {
            Some(name) => {
                let ids = named(graph, unit, &name, kind, reach);
                if ids.is_empty() {
                    Target::External(name)
                } else {
                    Target::Found(ids)
                }
            }
            None => Target::Foreign,
        },
        _ => Target::Unknown,
    }
}

/// The resources of `kind` whose known name is `name`, in `unit` or (with [`Reach::All`])
/// anywhere, in graph order.
pub fn named(
    graph: &Graph,
    unit: UnitId,
    name: &str,
    kind: &Kind,
    reach: Reach,
) -> Vec<ResourceId> {
    let candidates: Vec<ResourceId> = match reach {
        Reach::All => graph.of_type(kind.types).collect(),
        Reach::Unit => graph
            .of_type_in(unit, kind.types)
            .into_iter()
            .filter(|&id| !graph.resource(id).is_data)
            .collect(),
    };
    candidates
        .into_iter()
        .filter(|&id| name_of(graph.resource(id), kind).as_deref() == Some(name))
        .collect()
}

/// The known name of a resource of `kind`: its name attribute, or the default name.
pub fn name_of(r: &Resource, kind: &Kind) -> Option<String> {
    let (_, key, default) = kind.names.iter().find(|(t, _, _)| *t == r.rtype)?;
    match r.attrs.get(key) {
        None => default.map(str::to_string),
        Some(n) if n.is_null() => default.map(str::to_string),
        Some(n) => n.as_str().map(str::to_string),
    }
}

/// The name a literal gives for `kind`: the name in an ARN of the kind, or the literal
/// itself when it is not an ARN; `None` for an ARN of another kind.
pub fn literal_name(s: &str, kind: &Kind) -> Option<String> {
    if !s.starts_with("arn:") {
        return (!s.is_empty()).then(|| s.to_string());
    }
    let mut parts = s.splitn(6, ':');
    let (_arn, _partition, service, _region, _account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    let resource = parts.next()?;
    let (want_service, prefix) = kind.arn;
    if service != want_service {
        return None;
    }
    let rest = resource.strip_prefix(prefix)?;
    // `log-group:NAME:*`, `log-group:NAME:log-stream:x`, `bucket/key`: the name ends there.
    let name = rest.split(kind.ends).next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// The value of attribute `path` of a resource as a reference reads it
/// (`id`, `name`, `metric_transformation.name`, `Arn`): the configured value when the
/// attribute is configured (nested blocks are lists whose first block is read), with `id`
/// read as the attribute the provider uses for it. `None` when the attribute is computed.
pub fn attribute<'a>(r: &'a Resource, path: &str) -> Option<&'a Node> {
    let path = if path == "id" {
        id_attribute(&r.rtype)?
    } else {
        path
    };
    if path.is_empty() {
        // A CloudFormation `Ref`: what it returns differs per type.
        return cfn_ref_attribute(&r.rtype).and_then(|k| r.attrs.get(k));
    }
    let mut cur: Option<&Node> = None;
    for (i, seg) in path.split('.').enumerate() {
        // `metric_transformation[0]` (a plan's reference) or `metric_transformation`.
        let (name, index) = match seg.split_once('[') {
            Some((n, rest)) => (n, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (seg, None),
        };
        let mut n = if i == 0 {
            r.attrs.get(name)?
        } else {
            let mut n = cur?;
            if let Value::List(items) = &n.value {
                n = items.first()?;
            }
            n.get(name)?
        };
        if let (Some(k), Value::List(items)) = (index, &n.value) {
            n = items.get(k)?;
        }
        cur = Some(n);
    }
    cur
}

/// Which configured attribute a Terraform resource's `id` equals, for the types linked here.
fn id_attribute(rtype: &str) -> Option<&'static str> {
    Some(match rtype {
        "aws_cloudwatch_log_group" | "aws_cloudwatch_log_metric_filter" => "name",
        "aws_cloudwatch_metric_alarm" => "alarm_name",
        "aws_s3_bucket" => "bucket",
        "aws_config_configuration_recorder" | "aws_config_delivery_channel" => "name",
        _ => return None,
    })
}

/// Which configured property a CloudFormation `Ref` returns, for the types linked here
/// (a `Ref` to an SNS topic returns its ARN, which is never configured).
fn cfn_ref_attribute(rtype: &str) -> Option<&'static str> {
    Some(match rtype {
        "AWS::Logs::LogGroup" => "LogGroupName",
        "AWS::Logs::MetricFilter" => "FilterName",
        "AWS::S3::Bucket" => "BucketName",
        "AWS::CloudWatch::Alarm" => "AlarmName",
        "AWS::Config::ConfigurationRecorder" => "Name",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_names_and_arns() {
        let n = |s| literal_name(s, &LOG_GROUP);
        assert_eq!(n("cloudtrail").as_deref(), Some("cloudtrail"));
        assert_eq!(
            n("arn:aws:logs:us-east-1:123456789012:log-group:/aws/ct:*").as_deref(),
            Some("/aws/ct")
        );
        assert_eq!(
            n("arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail:*").as_deref(),
            Some("cloudtrail")
        );
        assert_eq!(n("arn:aws:sns:us-east-1:123456789012:topic"), None);
        let t = |s| literal_name(s, &SNS_TOPIC);
        assert_eq!(
            t("arn:aws:sns:us-east-1:123456789012:alerts").as_deref(),
            Some("alerts")
        );
        assert_eq!(t("arn:aws:automate:us-east-1:ec2:stop"), None);
        let b = |s| literal_name(s, &S3_BUCKET);
        assert_eq!(b("arn:aws:s3:::trail-logs").as_deref(), Some("trail-logs"));
        assert_eq!(
            b("arn:aws:s3:::trail-logs/AWSLogs/*").as_deref(),
            Some("trail-logs")
        );
        assert_eq!(literal_name("", &S3_BUCKET), None);
    }
}
