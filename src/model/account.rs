//! Account-wide settings: the password policy (1.5–1.11), managed-policy attachments that
//! make a support role (1.22), alternate contacts (1.20), and Cost and
//! Usage Reports (1.17). Whether they exist at all is decided in the account scope.

use super::Origin;
use super::refers::may_be_removed;
use super::setting::{Field, Setting, bool_attr, num_attr, presence, str_attr};
use crate::graph::{Graph, ResourceId, UnitId};
use crate::source::{SourceMap, Span};
use crate::value::Node;

/// `aws_iam_account_password_policy`. Omitted settings revert to the IAM defaults
/// (`UpdateAccountPasswordPolicy`): no character classes, length 6, no reuse prevention,
/// no expiry.
#[derive(Clone, Debug)]
pub struct PasswordPolicy {
    pub origin: Origin,
    pub require_uppercase: Field<bool>,
    pub require_lowercase: Field<bool>,
    pub require_symbols: Field<bool>,
    pub require_numbers: Field<bool>,
    pub minimum_length: Field<f64>,
    pub reuse_prevention: Field<f64>,
    pub max_age: Field<f64>,
}

/// Who a managed policy is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attachee {
    Role,
    Group,
    User,
}

/// Which managed policy an attachment names.
#[derive(Clone, Debug, PartialEq)]
pub enum AttachedPolicy {
    /// An AWS managed policy, by name (`AWSSupportAccess`), in any partition.
    AwsManaged(String),
    /// A customer managed policy or another ARN.
    Other,
    /// Only known at apply time.
    Unknown,
}

/// One managed policy attached to roles, groups or users.
#[derive(Clone, Debug)]
pub struct PolicyAttachment {
    pub origin: Origin,
    /// The policy ARN as written.
    pub span: Span,
    /// The attribute that holds it (`policy_arn`, `ManagedPolicyArns`).
    pub key: &'static str,
    pub attachee: Attachee,
    pub policy: AttachedPolicy,
    /// One branch of an `Fn::If` on an unknown condition: it may not be attached.
    pub maybe: bool,
}

impl PolicyAttachment {
    /// Whether this attaches the AWS managed policy `name`; `None` when unknown.
    pub fn attaches(&self, name: &str) -> Option<bool> {
        match &self.policy {
            AttachedPolicy::AwsManaged(n) if n == name && self.maybe => None,
            AttachedPolicy::AwsManaged(n) => Some(n == name),
            AttachedPolicy::Other => Some(false),
            AttachedPolicy::Unknown => None,
        }
    }
}

/// `aws_account_alternate_contact`.
#[derive(Clone, Debug)]
pub struct AlternateContact {
    pub origin: Origin,
    /// `BILLING`, `OPERATIONS` or `SECURITY`.
    pub contact_type: Setting<String>,
}

/// `aws_cur_report_definition`, `AWS::CUR::ReportDefinition`.
#[derive(Clone, Debug)]
pub struct CostReport {
    pub origin: Origin,
    /// The S3 bucket the report is delivered to.
    pub s3_bucket: Setting<()>,
    /// Its key as the dialect spells it.
    pub s3_bucket_key: &'static str,
}

/// Account-wide resources found in the code.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub password_policies: Vec<PasswordPolicy>,
    pub policy_attachments: Vec<PolicyAttachment>,
    pub alternate_contacts: Vec<AlternateContact>,
    pub cost_reports: Vec<CostReport>,
}

/// The AWS managed policy of CIS 1.22.
pub const SUPPORT_ACCESS: &str = "AWSSupportAccess";

impl Account {
    /// Attachments of `AWSSupportAccess` (CIS 1.22), with those that may be it.
    pub fn support_access(&self) -> impl Iterator<Item = (&PolicyAttachment, Option<bool>)> {
        self.policy_attachments
            .iter()
            .map(|a| (a, a.attaches(SUPPORT_ACCESS)))
            .filter(|(_, m)| *m != Some(false))
    }

    /// Whether a password policy is declared.
    pub fn has_password_policy(&self) -> bool {
        !self.password_policies.is_empty()
    }

    /// SECURITY alternate contacts (CIS 1.20), with those whose type is unknown.
    pub fn security_contacts(&self) -> impl Iterator<Item = (&AlternateContact, Option<bool>)> {
        self.alternate_contacts
            .iter()
            .map(|c| {
                let is = match &c.contact_type {
                    Setting::Set { value, .. } => Some(value.eq_ignore_ascii_case("SECURITY")),
                    Setting::Unknown { .. } => None,
                    _ => Some(false),
                };
                (c, is)
            })
            .filter(|(_, m)| *m != Some(false))
    }
}

/// Adds what a resource declares.
pub fn adapt(graph: &Graph, sources: &SourceMap, id: ResourceId, out: &mut Account) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let origin = || Origin::of(graph, id);
    let mut attach = |key: &'static str, attachee: Attachee| {
        let Some(node) = a.get(key) else { return };
        for item in node.items() {
            out.policy_attachments.push(PolicyAttachment {
                origin: origin(),
                span: item.span,
                key,
                attachee,
                policy: attached_policy(graph, sources, r.unit, item),
                maybe: may_be_removed(item),
            });
        }
    };
    match r.rtype.as_str() {
        "aws_iam_role_policy_attachment"
        | "aws_iam_group_policy_attachment"
        | "aws_iam_user_policy_attachment" => {
            let attachee = match r.rtype.as_str() {
                "aws_iam_role_policy_attachment" => Attachee::Role,
                "aws_iam_group_policy_attachment" => Attachee::Group,
                _ => Attachee::User,
            };
            attach("policy_arn", attachee);
        }
        "aws_iam_policy_attachment" => {
            for (key, attachee) in [
                ("roles", Attachee::Role),
                ("groups", Attachee::Group),
                ("users", Attachee::User),
            ] {
                let non_empty = a
                    .get(key)
                    .is_some_and(|n| n.is_unknown() || !n.items().is_empty());
                if non_empty {
                    attach("policy_arn", attachee);
                }
            }
        }
        "aws_iam_role" => {
            attach("managed_policy_arns", Attachee::Role);
        }
        "aws_iam_role_policy_attachments_exclusive" => {
            attach("policy_arns", Attachee::Role);
        }
        "AWS::IAM::Role" | "AWS::IAM::Group" | "AWS::IAM::User" => {
            let attachee = match r.rtype.as_str() {
                "AWS::IAM::Role" => Attachee::Role,
                "AWS::IAM::Group" => Attachee::Group,
                _ => Attachee::User,
            };
            attach("ManagedPolicyArns", attachee);
        }
        "aws_iam_account_password_policy" => out.password_policies.push(PasswordPolicy {
            origin: origin(),
            require_uppercase: Field::read(a, "require_uppercase_characters", bool_attr)
                .or_default(false),
            require_lowercase: Field::read(a, "require_lowercase_characters", bool_attr)
                .or_default(false),
            require_symbols: Field::read(a, "require_symbols", bool_attr).or_default(false),
            require_numbers: Field::read(a, "require_numbers", bool_attr).or_default(false),
            minimum_length: Field::read(a, "minimum_password_length", num_attr).or_default(6.0),
            reuse_prevention: Field::read(a, "password_reuse_prevention", num_attr).or_default(0.0),
            max_age: Field::read(a, "max_password_age", num_attr).or_default(0.0),
        }),
        "aws_account_alternate_contact" => out.alternate_contacts.push(AlternateContact {
            origin: origin(),
            contact_type: str_attr(a, "alternate_contact_type"),
        }),
        "aws_cur_report_definition" | "AWS::CUR::ReportDefinition" => {
            let key = if r.rtype.starts_with("aws_") {
                "s3_bucket"
            } else {
                "S3Bucket"
            };
            out.cost_reports.push(CostReport {
                origin: origin(),
                s3_bucket: presence(a, key),
                s3_bucket_key: key,
            });
        }
        _ => {}
    }
}

/// Which policy an ARN value names: a known ARN, a `data "aws_iam_policy"` looked up by
/// name or ARN, or the source text of an ARN built from the partition
/// (`arn:${data.aws_partition.current.partition}:iam::aws:policy/…`, `!Sub arn:${AWS::Partition}:…`).
fn attached_policy(graph: &Graph, sources: &SourceMap, unit: UnitId, n: &Node) -> AttachedPolicy {
    if let Some(s) = n.as_str() {
        return aws_managed_name(s)
            .map(AttachedPolicy::AwsManaged)
            .unwrap_or(AttachedPolicy::Other);
    }
    for (id, _) in graph.targets(unit, n) {
        let res = graph.resource(id);
        if !(res.is_data && res.rtype == "aws_iam_policy") {
            continue;
        }
        if let Some(arn) = res.attrs.get("arn").and_then(Node::as_str) {
            return aws_managed_name(arn)
                .map(AttachedPolicy::AwsManaged)
                .unwrap_or(AttachedPolicy::Other);
        }
        // By name: AWS managed names are what such lookups are for.
        if let Some(name) = res.attrs.get("name").and_then(Node::as_str) {
            return AttachedPolicy::AwsManaged(name.to_string());
        }
    }
    let file = sources.get(n.span.file);
    match file.text.get(n.span.range()).and_then(aws_managed_name) {
        Some(name) => AttachedPolicy::AwsManaged(name),
        None if !n.contains_unknown() => AttachedPolicy::Other,
        None => AttachedPolicy::Unknown,
    }
}

/// `AWSSupportAccess` from `arn:<partition>:iam::aws:policy/AWSSupportAccess` (also when the
/// partition is an interpolation); the policy path is dropped.
pub fn aws_managed_name(text: &str) -> Option<String> {
    const MARK: &str = ":iam::aws:policy/";
    let at = text.find(MARK)?;
    if !text[..at].contains("arn:") {
        return None;
    }
    let rest = &text[at + MARK.len()..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c)))
        .unwrap_or(rest.len());
    let path = &rest[..end];
    let name = path.rsplit('/').next().unwrap_or(path);
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::tests::Scanned;

    fn account(s: &Scanned) -> Account {
        let mut out = Account::default();
        for i in 0..s.graph.resources.len() {
            if !s.graph.resources[i].is_data {
                adapt(&s.graph, &s.sources, ResourceId(i), &mut out);
            }
        }
        out
    }

    #[test]
    fn support_access_in_every_spelling() {
        let s = Scanned::tf(
            r#"data "aws_partition" "current" {}
data "aws_iam_policy" "support" { name = "AWSSupportAccess" }
variable "arn" {}
resource "aws_iam_role_policy_attachment" "literal" {
  role       = "r"
  policy_arn = "arn:aws:iam::aws:policy/AWSSupportAccess"
}
resource "aws_iam_group_policy_attachment" "partition" {
  group      = "g"
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSSupportAccess"
}
resource "aws_iam_user_policy_attachment" "lookup" {
  user       = "u"
  policy_arn = data.aws_iam_policy.support.arn
}
resource "aws_iam_policy_attachment" "many" {
  name       = "x"
  roles      = ["a"]
  users      = []
  policy_arn = "arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess"
}
resource "aws_iam_role_policy_attachment" "unknown" {
  role       = "r"
  policy_arn = var.arn
}
resource "aws_iam_role" "inline" {
  assume_role_policy = "{}"
  managed_policy_arns = ["arn:aws-cn:iam::aws:policy/AWSSupportAccess", "arn:aws:iam::123:policy/x"]
}
"#,
        );
        let a = account(&s);
        let policies: Vec<_> = a
            .policy_attachments
            .iter()
            .map(|p| (p.origin.address.as_str(), p.attachee, p.policy.clone()))
            .collect();
        let support = |n: &str| AttachedPolicy::AwsManaged(n.to_string());
        assert_eq!(
            policies,
            vec![
                (
                    "aws_iam_role_policy_attachment.literal",
                    Attachee::Role,
                    support("AWSSupportAccess")
                ),
                (
                    "aws_iam_group_policy_attachment.partition",
                    Attachee::Group,
                    support("AWSSupportAccess")
                ),
                (
                    "aws_iam_user_policy_attachment.lookup",
                    Attachee::User,
                    support("AWSSupportAccess")
                ),
                (
                    "aws_iam_policy_attachment.many",
                    Attachee::Role,
                    support("ViewOnlyAccess")
                ),
                (
                    "aws_iam_role_policy_attachment.unknown",
                    Attachee::Role,
                    AttachedPolicy::Unknown
                ),
                (
                    "aws_iam_role.inline",
                    Attachee::Role,
                    support("AWSSupportAccess")
                ),
                ("aws_iam_role.inline", Attachee::Role, AttachedPolicy::Other),
            ]
        );
        let found: Vec<_> = a
            .support_access()
            .map(|(p, m)| (p.origin.address.clone(), m))
            .collect();
        assert_eq!(found.len(), 5);
        assert_eq!(
            found[3],
            ("aws_iam_role_policy_attachment.unknown".into(), None)
        );
    }

    #[test]
    fn support_access_in_cloudformation() {
        let s = Scanned::cfn(
            r#"Resources:
  Support:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      ManagedPolicyArns:
        - !Sub arn:${AWS::Partition}:iam::aws:policy/AWSSupportAccess
        - !Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/ReadOnlyAccess']]
        - arn:aws:iam::aws:policy/AWSSupportAccess
"#,
        );
        let a = account(&s);
        let names: Vec<_> = a
            .policy_attachments
            .iter()
            .map(|p| p.policy.clone())
            .collect();
        assert_eq!(
            names,
            vec![
                AttachedPolicy::AwsManaged("AWSSupportAccess".into()),
                AttachedPolicy::AwsManaged("ReadOnlyAccess".into()),
                AttachedPolicy::AwsManaged("AWSSupportAccess".into()),
            ]
        );
        assert_eq!(s.at(a.policy_attachments[0].span), "7:11");
    }

    #[test]
    fn contacts_reports_and_password_policy() {
        let s = Scanned::tf(
            r#"variable "t" {}
resource "aws_account_alternate_contact" "security" {
  alternate_contact_type = "SECURITY"
  name = "n"
  title = "t"
  email_address = "e"
  phone_number = "p"
}
resource "aws_account_alternate_contact" "billing" { alternate_contact_type = "BILLING" }
resource "aws_account_alternate_contact" "unknown" { alternate_contact_type = var.t }
resource "aws_account_primary_contact" "main" { full_name = "x" }
resource "aws_cur_report_definition" "cur" {
  report_name = "r"
  s3_bucket   = "billing"
}
resource "aws_iam_account_password_policy" "p" {
  minimum_password_length = 14
}
"#,
        );
        let a = account(&s);
        let sec: Vec<_> = a
            .security_contacts()
            .map(|(c, m)| (c.origin.address.clone(), m))
            .collect();
        assert_eq!(
            sec,
            vec![
                ("aws_account_alternate_contact.security".into(), Some(true)),
                ("aws_account_alternate_contact.unknown".into(), None)
            ]
        );
        assert!(a.cost_reports[0].s3_bucket.is_present());
        assert!(a.has_password_policy());
        let p = &a.password_policies[0];
        assert_eq!(p.minimum_length.value.known(), Some(14.0));
        assert_eq!(p.require_symbols.value, Setting::Default { value: false });
        assert_eq!(p.max_age.value.known(), Some(0.0));

        let c = Scanned::cfn(
            "Resources:\n  Cur:\n    Type: AWS::CUR::ReportDefinition\n    Properties: {S3Bucket: b, ReportName: r}\n",
        );
        let a = account(&c);
        assert_eq!(a.cost_reports.len(), 1);
        assert!(a.cost_reports[0].s3_bucket.is_present());
    }

    #[test]
    fn managed_names() {
        assert_eq!(
            aws_managed_name("arn:aws:iam::aws:policy/service-role/AWSConfigRole").as_deref(),
            Some("AWSConfigRole")
        );
        assert_eq!(aws_managed_name("arn:aws:iam::123456789012:policy/x"), None);
        assert_eq!(aws_managed_name("iam::aws:policy/x"), None);
    }
}
