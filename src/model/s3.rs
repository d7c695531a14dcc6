//! S3 buckets and what makes them public: canned ACLs, ACL grants to everyone, bucket
//! policies, and the public access block that neutralizes them; in the inline (legacy) and
//! separate-resource forms of Terraform and in CloudFormation.

use super::Origin;
use super::setting::{Setting, bool_attr, str_attr};
use crate::graph::ResourceId;
use crate::policy::{Resolved, Resolver};
use crate::source::Span;
use crate::value::{Map, Node, Value};

/// A canned ACL, as written.
#[derive(Clone, Debug)]
pub struct CannedAcl {
    pub key: &'static str,
    pub value: Setting<String>,
}

impl CannedAcl {
    /// Whether the ACL grants everyone (or every AWS account) access; `None` when unknown.
    pub fn is_public(&self) -> Option<bool> {
        match &self.value {
            Setting::Set { value, .. } => Some(is_public_acl(value)),
            Setting::Unknown { .. } => None,
            _ => Some(false),
        }
    }
}

/// `public-read`, `public-read-write`, `authenticated-read` (Terraform) and `PublicRead`,
/// `PublicReadWrite`, `AuthenticatedRead` (CloudFormation).
pub fn is_public_acl(acl: &str) -> bool {
    let norm: String = acl
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        norm.as_str(),
        "publicread" | "publicreadwrite" | "authenticatedread"
    )
}

/// An ACL grant.
#[derive(Clone, Debug)]
pub struct Grant {
    pub span: Span,
    /// The grantee group URI; `Unknown` when not known before apply.
    pub uri: Setting<String>,
}

impl Grant {
    /// Whether the grantee is `AllUsers` or `AuthenticatedUsers`; `None` when unknown.
    pub fn is_public(&self) -> Option<bool> {
        match &self.uri {
            Setting::Set { value, .. } => Some(
                value.ends_with("/global/AllUsers")
                    || value.ends_with("/global/AuthenticatedUsers"),
            ),
            Setting::Unknown { .. } => None,
            _ => Some(false),
        }
    }
}

/// A bucket policy document as written on a bucket or a policy resource.
#[derive(Clone, Debug)]
pub struct BucketPolicyDoc {
    pub span: Span,
    pub documents: Vec<Resolved>,
}

/// A bucket (`aws_s3_bucket`, `AWS::S3::Bucket`).
#[derive(Clone, Debug)]
pub struct Bucket {
    pub origin: Origin,
    /// Its name, when written (`bucket`, `BucketName`; a plan's planned name).
    pub names: Vec<String>,
    /// The inline canned ACL (`acl`, `AccessControl`).
    pub acl: Option<CannedAcl>,
    /// Inline `grant` blocks (legacy Terraform).
    pub grants: Vec<Grant>,
    /// The inline policy (legacy Terraform `policy`).
    pub policy: Option<BucketPolicyDoc>,
    /// `PublicAccessBlockConfiguration` with all four settings true.
    pub blocks_public_access: Option<Span>,
}

/// `aws_s3_bucket_acl`.
#[derive(Clone, Debug)]
pub struct BucketAcl {
    pub origin: Origin,
    pub bucket: Node,
    pub acl: Option<CannedAcl>,
    pub grants: Vec<Grant>,
}

/// `aws_s3_bucket_policy`, `AWS::S3::BucketPolicy`.
#[derive(Clone, Debug)]
pub struct BucketPolicy {
    pub origin: Origin,
    pub bucket: Node,
    pub doc: BucketPolicyDoc,
}

/// `aws_s3_bucket_public_access_block` with all four settings true.
#[derive(Clone, Debug)]
pub struct PublicAccessBlock {
    pub origin: Origin,
    pub bucket: Node,
}

/// S3 resources.
#[derive(Clone, Debug, Default)]
pub struct S3 {
    pub buckets: Vec<Bucket>,
    pub acls: Vec<BucketAcl>,
    pub policies: Vec<BucketPolicy>,
    pub access_blocks: Vec<PublicAccessBlock>,
}

/// Adds what a resource declares.
pub fn adapt(resolver: &Resolver<'_>, id: ResourceId, out: &mut S3) {
    let graph = resolver.graph;
    let r = graph.resource(id);
    let a = &r.attrs;
    let origin = || Origin::of(graph, id);
    let doc = |node: &Node| BucketPolicyDoc {
        span: node.span,
        documents: resolver.documents(r.unit, node),
    };
    match r.rtype.as_str() {
        "aws_s3_bucket" => out.buckets.push(Bucket {
            origin: origin(),
            names: str_attr(a, "bucket").known().into_iter().collect(),
            acl: acl(a, "acl"),
            grants: grants(a.get("grant"), |g| g.get("uri"), graph.is_plan(r.unit)),
            // The attribute is computed: a plan shows it unknown when nobody wrote it.
            policy: a
                .get("policy")
                .filter(|p| !p.is_null() && p.as_str() != Some(""))
                .filter(|p| {
                    !(graph.is_plan(r.unit)
                        && p.is_unknown()
                        && p.refs.is_empty()
                        && p.encoded.is_none())
                })
                .map(doc),
            blocks_public_access: None,
        }),
        "AWS::S3::Bucket" => {
            let names = match str_attr(a, "BucketName").known() {
                Some(n) => vec![n],
                None => Vec::new(),
            };
            let blocks_public_access = a
                .get("PublicAccessBlockConfiguration")
                .filter(|n| n.as_map().is_some_and(|m| blocks_all(m, CFN_BLOCK)))
                .map(|n| n.span);
            out.buckets.push(Bucket {
                origin: origin(),
                names,
                acl: acl(a, "AccessControl"),
                grants: Vec::new(),
                policy: None,
                blocks_public_access,
            });
        }
        "aws_s3_bucket_acl" => {
            let grants = a
                .get("access_control_policy")
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .flat_map(|p| {
                    grants(
                        p.get("grant"),
                        |g| g.get("grantee")?.items().first()?.get("uri"),
                        graph.is_plan(r.unit),
                    )
                })
                .collect();
            if let Some(bucket) = a.get("bucket") {
                out.acls.push(BucketAcl {
                    origin: origin(),
                    bucket: bucket.clone(),
                    acl: acl(a, "acl"),
                    grants,
                });
            }
        }
        "aws_s3_bucket_policy" | "AWS::S3::BucketPolicy" => {
            let (bkey, pkey) = if r.rtype.starts_with("aws_") {
                ("bucket", "policy")
            } else {
                ("Bucket", "PolicyDocument")
            };
            if let (Some(bucket), Some(policy)) = (a.get(bkey), a.get(pkey)) {
                out.policies.push(BucketPolicy {
                    origin: origin(),
                    bucket: bucket.clone(),
                    doc: doc(policy),
                });
            }
        }
        "aws_s3_bucket_public_access_block" => {
            if let Some(bucket) = a.get("bucket")
                && blocks_all(a, TF_BLOCK)
            {
                out.access_blocks.push(PublicAccessBlock {
                    origin: origin(),
                    bucket: bucket.clone(),
                });
            }
        }
        _ => {}
    }
}

const TF_BLOCK: [&str; 4] = [
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
];
const CFN_BLOCK: [&str; 4] = [
    "BlockPublicAcls",
    "BlockPublicPolicy",
    "IgnorePublicAcls",
    "RestrictPublicBuckets",
];

fn blocks_all(m: &Map, keys: [&str; 4]) -> bool {
    keys.iter().all(|k| bool_attr(m, k).known() == Some(true))
}

fn acl(a: &Map, key: &'static str) -> Option<CannedAcl> {
    let value = str_attr(a, key);
    match value {
        Setting::Absent => None,
        Setting::Set { ref value, .. } if value.is_empty() => None,
        value => Some(CannedAcl { key, value }),
    }
}

/// Grants of a list of blocks; `uri` finds the grantee URI in one block. A grant list that
/// is unknown as a whole is one unknown grant, except in a plan, which shows the computed
/// list so when nobody wrote it.
fn grants(list: Option<&Node>, uri: impl Fn(&Node) -> Option<&Node>, plan: bool) -> Vec<Grant> {
    let Some(list) = list else {
        return Vec::new();
    };
    let items = match &list.value {
        Value::List(items) => items.as_slice(),
        Value::Unknown if !plan => std::slice::from_ref(list),
        _ => return Vec::new(),
    };
    items
        .iter()
        .map(|g| {
            let uri = match uri(g) {
                _ if g.is_unknown() => Setting::Unknown { span: g.span },
                None => Setting::Absent,
                Some(u) if u.is_null() || u.as_str() == Some("") => Setting::Absent,
                Some(u) => match u.as_str() {
                    Some(s) => Setting::Set {
                        value: s.to_string(),
                        span: u.span,
                    },
                    None => Setting::Unknown { span: u.span },
                },
            };
            Grant { span: g.span, uri }
        })
        .collect()
}
