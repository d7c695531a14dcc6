//! S3 server access logging of buckets (2.6), in its inline and separate forms.

use super::Origin;
use crate::graph::{Graph, InputKind, ResourceId};
use crate::value::Node;

/// A bucket (`aws_s3_bucket`, `AWS::S3::Bucket`) with its inline logging setting.
#[derive(Clone, Debug)]
pub struct Bucket {
    pub origin: Origin,
    /// The deprecated inline `logging` blocks, or `LoggingConfiguration`, as written.
    pub logging: Option<Node>,
}

/// A separate logging resource (`aws_s3_bucket_logging`).
#[derive(Clone, Debug)]
pub struct BucketLogging {
    pub origin: Origin,
    /// The bucket it configures (`bucket`), as written.
    pub bucket: Option<Node>,
}

/// Adds the bucket or logging resource a resource declares, if it is one.
pub fn adapt(
    graph: &Graph,
    id: ResourceId,
    buckets: &mut Vec<Bucket>,
    loggings: &mut Vec<BucketLogging>,
) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let present = |k: &str| a.get(k).filter(|n| !n.is_null()).cloned();
    match r.rtype.as_str() {
        "aws_s3_bucket" => {
            let mut logging = present("logging");
            // A plan marks the deprecated inline block "known after apply" on every bucket
            // (the provider reads it back); wholly unknown and computed from nothing, it was
            // not written.
            let plan = graph.units.get(r.unit.0).map(|u| u.kind) == Some(InputKind::TerraformPlan);
            if plan
                && logging
                    .as_ref()
                    .is_some_and(|n| n.is_unknown() && n.refs.is_empty())
            {
                logging = None;
            }
            buckets.push(Bucket {
                origin: Origin::of(graph, id),
                logging,
            })
        }
        "AWS::S3::Bucket" => buckets.push(Bucket {
            origin: Origin::of(graph, id),
            logging: present("LoggingConfiguration"),
        }),
        "aws_s3_bucket_logging" => loggings.push(BucketLogging {
            origin: Origin::of(graph, id),
            bucket: present("bucket"),
        }),
        _ => {}
    }
}
