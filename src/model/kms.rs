//! KMS keys.

use super::Origin;
use super::setting::{Field, Setting, bool_attr, str_attr};
use crate::graph::{Graph, ResourceId};

/// A customer-managed KMS key (`aws_kms_key`, `AWS::KMS::Key`).
#[derive(Clone, Debug)]
pub struct KmsKey {
    pub origin: Origin,
    pub rotation: Field<bool>,
    /// Why automatic rotation cannot apply, when it cannot (asymmetric, HMAC, external, custom store).
    pub rotation_impossible: Setting<Option<String>>,
}

/// Adds the key a resource declares, if it is one.
pub fn adapt(graph: &Graph, id: ResourceId, out: &mut Vec<KmsKey>) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let (rotation, spec, usage, origin_key, stores): (_, &[&str], &str, Option<&str>, &[&str]) =
        match r.rtype.as_str() {
            "aws_kms_key" => (
                Field::read(a, "enable_key_rotation", bool_attr).or_default(false),
                &["customer_master_key_spec", "key_spec"],
                "key_usage",
                None,
                &["custom_key_store_id", "xks_key_id"],
            ),
            "AWS::KMS::Key" => (
                Field::read(a, "EnableKeyRotation", bool_attr).or_default(false),
                &["KeySpec"],
                "KeyUsage",
                Some("Origin"),
                &[],
            ),
            _ => return,
        };
    let mut reasons = Vec::new();
    let mut unknown = None;
    for key in spec {
        match str_attr(a, key) {
            Setting::Set { value, .. } if value != "SYMMETRIC_DEFAULT" => {
                reasons.push(format!("{key} is {value}"))
            }
            Setting::Unknown { span } => unknown = Some(span),
            _ => {}
        }
    }
    match str_attr(a, usage) {
        Setting::Set { value, .. } if value == "GENERATE_VERIFY_MAC" => {
            reasons.push(format!("{usage} is {value}"))
        }
        Setting::Unknown { span } => unknown = Some(span),
        _ => {}
    }
    if let Some(o) = origin_key {
        match str_attr(a, o) {
            Setting::Set { value, .. } if value != "AWS_KMS" => {
                reasons.push(format!("{o} is {value}"))
            }
            Setting::Unknown { span } => unknown = Some(span),
            _ => {}
        }
    }
    for key in stores {
        match str_attr(a, key) {
            Setting::Absent => {}
            // A variable may still be null.
            Setting::Unknown { span } => unknown = Some(span),
            _ => reasons.push(format!("{key} is set")),
        }
    }
    let rotation_impossible = match (reasons.first(), unknown) {
        (Some(r), _) => Setting::Default {
            value: Some(r.clone()),
        },
        (None, Some(span)) => Setting::Unknown { span },
        (None, None) => Setting::Default { value: None },
    };
    out.push(KmsKey {
        origin: Origin::of(graph, id),
        rotation,
        rotation_impossible,
    });
}
