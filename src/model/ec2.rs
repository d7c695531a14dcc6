//! EC2 compute definitions (instances, launch templates, launch configurations): their
//! instance profile, and AWS credentials written into their user data.

use super::Origin;
use super::refers::may_be_absent;
use super::setting::Setting;
use crate::graph::{Graph, ResourceId};
use crate::policy::locate::span_in_string;
use crate::source::{SourceMap, Span};
use crate::value::{Map, Node, Value};

/// An instance, launch template or launch configuration.
#[derive(Clone, Debug)]
pub struct Instance {
    pub origin: Origin,
    /// The instance profile as the dialect spells it, and its setting.
    pub profile_key: &'static str,
    pub profile: Setting<()>,
    /// The profile is supplied elsewhere: by the launch template an instance is launched
    /// from, or by the EKS node group or Batch environment that uses this template;
    /// `None` when a launch template known only at apply time may be given.
    pub profile_elsewhere: Option<bool>,
    /// Access keys found in user data.
    pub embedded_keys: Vec<EmbeddedKey>,
    /// User data known only at apply time (the key and the value's span): it may hold keys.
    pub unknown_user_data: Vec<(&'static str, Span)>,
}

/// An AWS access key id or secret key written into user data.
#[derive(Clone, Debug)]
pub struct EmbeddedKey {
    pub span: Span,
    /// `AKIA…`/`ASIA…` shown with the middle hidden, or `aws_secret_access_key`.
    pub shown: String,
}

/// Types that supply the instance profile of the launch templates they use.
const SUPPLY_PROFILE: &[(&str, &[&str])] = &[
    ("aws_eks_node_group", &["launch_template"]),
    ("aws_batch_compute_environment", &["compute_resources"]),
    ("AWS::EKS::Nodegroup", &["LaunchTemplate"]),
    ("AWS::Batch::ComputeEnvironment", &["ComputeResources"]),
];

/// Adds the compute definition a resource declares.
pub fn adapt(graph: &Graph, sources: &SourceMap, id: ResourceId, out: &mut Vec<Instance>) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let (profile_key, profile, elsewhere, user_data): (_, _, _, Vec<(&str, &Node)>) =
        match r.rtype.as_str() {
            "aws_instance" => (
                "iam_instance_profile",
                written(a.get("iam_instance_profile"), false),
                match a.get("launch_template") {
                    Some(n) if n.is_unknown() => None,
                    n => Some(n.is_some_and(|n| !n.items().is_empty())),
                },
                keys(a, &["user_data", "user_data_base64"]),
            ),
            "aws_launch_configuration" => (
                "iam_instance_profile",
                written(a.get("iam_instance_profile"), false),
                Some(false),
                keys(a, &["user_data", "user_data_base64"]),
            ),
            "aws_launch_template" => (
                "iam_instance_profile",
                profile_block(a.get("iam_instance_profile"), &["arn", "name"], false),
                Some(supplied_elsewhere(graph, id)),
                keys(a, &["user_data"]),
            ),
            "AWS::EC2::Instance" => (
                "IamInstanceProfile",
                written(a.get("IamInstanceProfile"), true),
                Some(a.get("LaunchTemplate").is_some()),
                keys(a, &["UserData"]),
            ),
            "AWS::AutoScaling::LaunchConfiguration" => (
                "IamInstanceProfile",
                written(a.get("IamInstanceProfile"), true),
                Some(false),
                keys(a, &["UserData"]),
            ),
            "AWS::EC2::LaunchTemplate" => {
                let data = a.get("LaunchTemplateData");
                let profile = match data {
                    Some(d) if d.is_unknown() => Setting::Unknown { span: d.span },
                    Some(d) => profile_block(d.get("IamInstanceProfile"), &["Arn", "Name"], true),
                    None => Setting::Absent,
                };
                (
                    "IamInstanceProfile",
                    profile,
                    Some(supplied_elsewhere(graph, id)),
                    data.and_then(|d| d.get("UserData"))
                        .map(|n| ("UserData", n))
                        .into_iter()
                        .collect(),
                )
            }
            _ => return,
        };
    let embedded_keys = user_data
        .iter()
        .flat_map(|(_, n)| embedded_keys(n, sources))
        .collect();
    let unknown_user_data = user_data
        .iter()
        .filter(|(_, n)| n.is_unknown())
        .map(|(k, n)| (*k, n.span))
        .collect();
    out.push(Instance {
        origin: Origin::of(graph, id),
        profile_key,
        profile,
        profile_elsewhere: elsewhere,
        embedded_keys,
        unknown_user_data,
    });
}

fn keys<'a>(a: &'a Map, keys: &[&'static str]) -> Vec<(&'static str, &'a Node)> {
    keys.iter().filter_map(|k| Some((*k, a.get(k)?))).collect()
}

/// A profile name or ARN: `null` and `""` are none.
fn written(n: Option<&Node>, cfn: bool) -> Setting<()> {
    match n {
        None => Setting::Absent,
        Some(n) if n.is_null() || n.as_str() == Some("") => Setting::Absent,
        // A Terraform variable may be null, a CloudFormation `Fn::If` may drop the property
        // (`AWS::NoValue`); a reference to a resource, or a template parameter (never null),
        // is a profile.
        Some(n) if n.is_unknown() && may_be_absent(n, cfn) => Setting::Unknown { span: n.span },
        Some(n) => Setting::Set {
            value: (),
            span: n.span,
        },
    }
}

/// A profile block (`iam_instance_profile { arn | name }`, `IamInstanceProfile: {Arn|Name}`):
/// present when one of its keys is written.
fn profile_block(n: Option<&Node>, keys: &[&str], cfn: bool) -> Setting<()> {
    let Some(n) = n else {
        return Setting::Absent;
    };
    if n.is_unknown() {
        return Setting::Unknown { span: n.span };
    }
    let mut result = Setting::Absent;
    for block in n.items() {
        if block.is_unknown() {
            result = Setting::Unknown { span: block.span };
            continue;
        }
        for k in keys {
            match written(block.get(k), cfn) {
                Setting::Set { .. } => {
                    return Setting::Set {
                        value: (),
                        span: block.span,
                    };
                }
                u @ Setting::Unknown { .. } => result = u,
                _ => {}
            }
        }
    }
    result
}

/// Whether an EKS node group or Batch compute environment of the same unit uses the
/// launch template `id` (they supply the instance profile themselves).
fn supplied_elsewhere(graph: &Graph, id: ResourceId) -> bool {
    let unit = graph.resource(id).unit;
    SUPPLY_PROFILE.iter().any(|(t, keys)| {
        graph.of_type_in(unit, &[t]).into_iter().any(|other| {
            let r = graph.resource(other);
            keys.iter().any(|k| {
                r.attrs
                    .get(k)
                    .is_some_and(|n| graph.targets(unit, n).iter().any(|(t, _)| *t == id))
            })
        })
    })
}

/// Access keys in a user-data value (plain text or base64).
fn embedded_keys(n: &Node, sources: &SourceMap) -> Vec<EmbeddedKey> {
    let Value::String(s) = &n.value else {
        return Vec::new();
    };
    let mut found: Vec<EmbeddedKey> = find_keys(s)
        .into_iter()
        .map(|(range, shown)| EmbeddedKey {
            span: span_in_string(n, s, range, sources),
            shown,
        })
        .collect();
    if found.is_empty()
        && let Some(decoded) = base64_decode(s)
    {
        // Encoded user data: the whole value is what we can point at.
        found = find_keys(&decoded)
            .into_iter()
            .map(|(_, shown)| EmbeddedKey {
                span: n.span,
                shown,
            })
            .collect();
    }
    found
}

/// Access key ids (`AKIA`/`ASIA` and 16 base-32 characters) and secret keys assigned to
/// `aws_secret_access_key`, with their byte ranges. AWS's documentation key
/// (`…EXAMPLE`) is not a credential.
pub fn find_keys(s: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let boundary = |i: usize| i >= b.len() || !b[i].is_ascii_alphanumeric();
    for i in 0..b.len().saturating_sub(19) {
        let prefix = &b[i..i + 4];
        if (prefix == b"AKIA" || prefix == b"ASIA")
            && (i == 0 || boundary(i - 1))
            && boundary(i + 20)
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(c))
            && !s[i..i + 20].ends_with("EXAMPLE")
        {
            out.push((
                i..i + 20,
                format!("{}…{}", &s[i..i + 4], &s[i + 16..i + 20]),
            ));
        }
    }
    let lower = s.to_ascii_lowercase();
    for (at, m) in lower.match_indices("aws_secret_access_key") {
        let rest = &s[at + m.len()..];
        let value = rest.trim_start_matches([' ', '\t', '"', '\'']);
        let Some(value) = value.strip_prefix(['=', ':']) else {
            continue;
        };
        let value = value.trim_start_matches([' ', '\t', '"', '\'']);
        let secret: String = value
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '+')
            .collect();
        if secret.len() == 40 && !secret.contains("EXAMPLE") {
            out.push((at..at + m.len(), "aws_secret_access_key".to_string()));
        }
    }
    out
}

/// Standard base64 (as `base64encode` and `filebase64` write it); `None` if `s` is not.
fn base64_decode(s: &str) -> Option<String> {
    let s = s.trim();
    if s.len() < 8 || !s.len().is_multiple_of(4) {
        return None;
    }
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tests::Scanned;

    fn instances(s: &Scanned) -> Vec<Instance> {
        let mut out = Vec::new();
        for i in 0..s.graph.resources.len() {
            adapt(&s.graph, &s.sources, ResourceId(i), &mut out);
        }
        out
    }

    #[test]
    fn keys_in_text() {
        let k = find_keys("export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\nx=ASIA2345");
        assert_eq!(k.len(), 1);
        assert_eq!(k[0].0, 25..45);
        assert!(find_keys("AKIAIOSFODNN7EXAMPLE").is_empty());
        assert!(find_keys("XAKIAABCDEFGHIJKLMNOP").is_empty());
        let secret = "aws_secret_access_key = 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";
        assert_eq!(find_keys(secret).len(), 1);
        assert!(find_keys("aws configure set aws_secret_access_key $SECRET").is_empty());
        assert_eq!(
            base64_decode("aGVsbG8gd29ybGQ=").as_deref(),
            Some("hello world")
        );
    }

    #[test]
    fn profiles_and_user_data() {
        let s = Scanned::tf(
            r#"resource "aws_instance" "bare" {
  ami = "x"
  user_data = <<-EOF
    #!/bin/sh
    export AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP
  EOF
}
resource "aws_instance" "from_template" {
  launch_template { id = aws_launch_template.eks.id }
}
resource "aws_launch_template" "eks" {}
resource "aws_launch_template" "with_profile" {
  iam_instance_profile { name = "p" }
  user_data = "ZXhwb3J0IEFXU19BQ0NFU1NfS0VZX0lEPUFLSUFBQkNERUZHSElKS0xNTk9Q"
}
resource "aws_eks_node_group" "ng" {
  launch_template {
    id      = aws_launch_template.eks.id
    version = "1"
  }
}
"#,
        );
        let i = instances(&s);
        assert_eq!(i.len(), 4);
        assert!(matches!(i[0].profile, Setting::Absent));
        assert_eq!(s.at(i[0].embedded_keys[0].span), "5:30");
        assert_eq!(i[1].profile_elsewhere, Some(true));
        assert_eq!(i[2].profile_elsewhere, Some(true));
        assert!(i[3].profile.is_present());
        assert_eq!(i[3].embedded_keys.len(), 1);
    }
}
