//! Whether a value names a given resource: by reference (`aws_s3_bucket.b.id`, `!Ref Bucket`),
//! through an attribute of another resource that references it, or by a literal name
//! (`"my-bucket"` against the bucket's `bucket`/`BucketName`).

use crate::graph::{Graph, ResourceId, UnitId};
use crate::value::Node;

/// How many resources a reference may be followed through (`aws_s3_bucket_policy.p.bucket`
/// → `aws_s3_bucket.b.id`).
const MAX_HOPS: usize = 3;

/// `Some(true)` when `node` (in `unit`) names `target`, `Some(false)` when it names
/// something else, `None` when that depends on values we do not know.
pub fn refers_to(
    graph: &Graph,
    unit: UnitId,
    node: &Node,
    target: ResourceId,
    names: &[String],
) -> Option<bool> {
    refers_hops(graph, unit, node, target, names, 0)
}

fn refers_hops(
    graph: &Graph,
    unit: UnitId,
    node: &Node,
    target: ResourceId,
    names: &[String],
    hops: usize,
) -> Option<bool> {
    let targets = graph.targets(unit, node);
    if targets.iter().any(|(id, _)| *id == target) {
        return Some(true);
    }
    // A plan knows names that the configuration only references.
    if let Some(s) = node.as_str() {
        let named = names
            .iter()
            .any(|n| n == s || arn_name(s) == Some(n.as_str()));
        // A name known only at apply time may be this very literal.
        return if named {
            Some(true)
        } else if name_unknown(graph, target) {
            None
        } else {
            Some(false)
        };
    }
    if !node.contains_unknown() {
        return Some(false);
    }
    let mut unknown = (targets.is_empty() && !names_only_undeclared(node))
        || node
            .refs
            .iter()
            .any(|r| !r.undeclared && graph.resolve_ref(unit, r).is_empty());
    for (id, attr) in targets {
        let res = graph.resource(id);
        // A data source may look up the very resource by name.
        if res.is_data {
            unknown = true;
            continue;
        }
        let Some(next) = res.attrs.get(attr) else {
            continue;
        };
        if hops >= MAX_HOPS {
            unknown = true;
            continue;
        }
        match refers_hops(graph, unit, next, target, names, hops + 1) {
            Some(true) => return Some(true),
            None => unknown = true,
            Some(false) => {}
        }
    }
    if unknown { None } else { Some(false) }
}

/// Whether every reference in `node` is to something undeclared (`aws_vpc.typo.id`, which
/// Terraform rejects): the value points at no resource, however unknown it is.
fn names_only_undeclared(node: &Node) -> bool {
    let refs = node.all_refs();
    !refs.is_empty() && refs.iter().all(|r| r.undeclared)
}

/// Whether a resource's name is written but known only at apply time (`bucket = var.name`),
/// so that a literal elsewhere may name it.
pub fn name_unknown(graph: &Graph, id: ResourceId) -> bool {
    let r = graph.resource(id);
    let key = match r.rtype.as_str() {
        "aws_s3_bucket" => "bucket",
        "AWS::S3::Bucket" => "BucketName",
        "aws_iam_user" => "name",
        "AWS::IAM::User" => "UserName",
        _ => return false,
    };
    r.attrs.get(key).is_some_and(Node::contains_unknown)
}

/// The name at the end of an S3-style ARN (`arn:aws:s3:::name`).
fn arn_name(s: &str) -> Option<&str> {
    let rest = s.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_partition, _service, _region, _account) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    parts.next()
}

/// How a value is shown in a message: its text, or the resource it references, or that it
/// is known only at apply time (`Context::describe` shows its expression instead).
pub fn describe(node: &Node) -> String {
    if let Some(s) = node.as_str() {
        return s.to_string();
    }
    match node.all_refs().into_iter().find(|r| !r.undeclared) {
        Some(r) => r.address.clone(),
        None => "(known only at apply time)".to_string(),
    }
}

/// Whether a value only known at apply time may turn out to be nothing: a Terraform
/// variable may be null, a CloudFormation `Fn::If` may drop the property
/// (`AWS::NoValue`); a reference to a resource, or a template parameter (never null), is a
/// value.
pub fn may_be_absent(n: &Node, cloudformation: bool) -> bool {
    if may_be_removed(n) {
        return true;
    }
    // An undeclared reference (`var.nope`) is no resource.
    n.refs.iter().all(|r| r.undeclared) && !cloudformation
}

/// Whether a CloudFormation value (a list item too: one branch of an `Fn::If` on an unknown
/// condition) may be removed by `AWS::NoValue`.
pub fn may_be_removed(n: &Node) -> bool {
    n.refs.iter().any(|r| r.address == "AWS::NoValue")
}
