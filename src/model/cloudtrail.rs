//! CloudTrail trails.

use super::Origin;
use super::setting::{Field, Setting, bool_attr, presence};
use crate::graph::{Graph, ResourceId};
use crate::value::{Map, Node};

/// A trail (`aws_cloudtrail`, `AWS::CloudTrail::Trail`).
#[derive(Clone, Debug)]
pub struct Trail {
    pub origin: Origin,
    pub multi_region: Field<bool>,
    pub logging: Field<bool>,
    pub log_file_validation: Field<bool>,
    pub cloudwatch_log_group: Field<()>,
    pub cloudwatch_role: Field<()>,
    pub kms_key: Field<()>,
    /// The bucket name value (a reference or a literal), for 2.3/2.6.
    pub s3_bucket: Option<Node>,
    /// The log group ARN value (a reference or a literal), for the 3.x chains.
    pub log_group_arn: Option<Node>,
    /// Whether the trail records management events (every CIS 3.x event is one): no
    /// selectors, a basic selector including them, or an advanced selector on the
    /// `Management` event category.
    pub management_events: Setting<bool>,
}

impl Trail {
    /// The bucket attribute as the trail's dialect spells it.
    pub fn s3_bucket_key(&self) -> &'static str {
        match self.origin.dialect {
            crate::graph::Dialect::Terraform => "s3_bucket_name",
            crate::graph::Dialect::CloudFormation => "S3BucketName",
        }
    }
}

/// Adds the trail a resource declares, if it is one.
pub fn adapt(graph: &Graph, id: ResourceId, out: &mut Vec<Trail>) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let trail = match r.rtype.as_str() {
        "aws_cloudtrail" => Trail {
            origin: Origin::of(graph, id),
            multi_region: Field::read(a, "is_multi_region_trail", bool_attr).or_default(false),
            logging: Field::read(a, "enable_logging", bool_attr).or_default(true),
            log_file_validation: Field::read(a, "enable_log_file_validation", bool_attr)
                .or_default(false),
            cloudwatch_log_group: Field::read(a, "cloud_watch_logs_group_arn", presence),
            cloudwatch_role: Field::read(a, "cloud_watch_logs_role_arn", presence),
            kms_key: Field::read(a, "kms_key_id", presence),
            s3_bucket: a.get("s3_bucket_name").cloned(),
            log_group_arn: present(a, "cloud_watch_logs_group_arn"),
            management_events: management_events(a, &TF_SELECTORS),
        },
        "AWS::CloudTrail::Trail" => Trail {
            origin: Origin::of(graph, id),
            multi_region: Field::read(a, "IsMultiRegionTrail", bool_attr).or_default(false),
            // `IsLogging` is required by CloudFormation; absent means the template is invalid,
            // which is cfn-lint's business, not a CIS finding.
            logging: Field::read(a, "IsLogging", bool_attr).or_default(true),
            log_file_validation: Field::read(a, "EnableLogFileValidation", bool_attr)
                .or_default(false),
            cloudwatch_log_group: Field::read(a, "CloudWatchLogsLogGroupArn", presence),
            cloudwatch_role: Field::read(a, "CloudWatchLogsRoleArn", presence),
            kms_key: Field::read(a, "KMSKeyId", presence),
            s3_bucket: a.get("S3BucketName").cloned(),
            log_group_arn: present(a, "CloudWatchLogsLogGroupArn"),
            management_events: management_events(a, &CFN_SELECTORS),
        },
        _ => return,
    };
    out.push(trail);
}

/// The attribute's value unless it is absent, `null` or empty.
fn present(a: &Map, key: &str) -> Option<Node> {
    a.get(key)
        .filter(|n| !n.is_null() && n.as_str() != Some(""))
        .cloned()
}

/// Key spellings of event selectors in one dialect.
struct SelectorKeys {
    basic: &'static str,
    include_management: &'static str,
    advanced: &'static str,
    field_selectors: &'static str,
    field: &'static str,
    equals: &'static str,
}

const TF_SELECTORS: SelectorKeys = SelectorKeys {
    basic: "event_selector",
    include_management: "include_management_events",
    advanced: "advanced_event_selector",
    field_selectors: "field_selector",
    field: "field",
    equals: "equals",
};

const CFN_SELECTORS: SelectorKeys = SelectorKeys {
    basic: "EventSelectors",
    include_management: "IncludeManagementEvents",
    advanced: "AdvancedEventSelectors",
    field_selectors: "FieldSelectors",
    field: "Field",
    equals: "Equals",
};

/// Whether the selectors let management events through. Advanced selectors replace basic
/// ones; `include_management_events` defaults to true.
fn management_events(a: &Map, k: &SelectorKeys) -> Setting<bool> {
    let listed = |key: &str| a.get(key).filter(|n| !n.is_null());
    if let Some(adv) = listed(k.advanced) {
        if adv.contains_unknown() {
            return Setting::Unknown { span: adv.span };
        }
        let management = adv.items().iter().any(|sel| {
            sel.get(k.field_selectors)
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .any(|fs| {
                    fs.get(k.field).and_then(Node::as_str) == Some("eventCategory")
                        && fs
                            .get(k.equals)
                            .map(Node::items)
                            .unwrap_or_default()
                            .iter()
                            .any(|v| v.as_str() == Some("Management"))
                })
        });
        if !adv.items().is_empty() {
            return Setting::Set {
                value: management,
                span: adv.span,
            };
        }
    }
    let Some(basic) = listed(k.basic) else {
        return Setting::Default { value: true };
    };
    if basic.is_unknown() {
        return Setting::Unknown { span: basic.span };
    }
    if basic.items().is_empty() {
        return Setting::Default { value: true };
    }
    let mut unknown = None;
    for sel in basic.items() {
        match sel.get(k.include_management) {
            None => return Setting::Default { value: true },
            Some(n) if n.is_null() => return Setting::Default { value: true },
            Some(n) => match n.as_bool() {
                Some(true) => {
                    return Setting::Set {
                        value: true,
                        span: n.span,
                    };
                }
                Some(false) => {}
                None => unknown = Some(n.span),
            },
        }
    }
    match unknown {
        Some(span) => Setting::Unknown { span },
        None => Setting::Set {
            value: false,
            span: basic.span,
        },
    }
}
