//! CloudTrail trails.

use super::Origin;
use super::setting::{Field, bool_attr, presence};
use crate::graph::{Graph, ResourceId};
use crate::value::Node;

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
        },
        _ => return,
    };
    out.push(trail);
}
