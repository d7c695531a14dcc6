//! The implemented controls, one file per CIS number next to its catalog entry.
//! `ALL` is the only registry; `tests/catalog.rs` checks it against the catalog.

use crate::credential_report::CredentialReport;
use crate::finding::{Finding, Findings};
use crate::graph::Graph;
use crate::model::{Field, Model, Origin, Setting};
pub use crate::scope::Scope;
use crate::source::{SourceMap, Span};

/// What a control reads.
pub struct Context<'a> {
    pub graph: &'a Graph,
    pub model: &'a Model,
    /// The scanned texts, to name an unknown value by its expression (`var.cidr`).
    pub sources: &'a SourceMap,
    /// The IAM credential report, when one was given (`--credential-report`).
    pub credential_report: Option<&'a CredentialReport>,
    /// The day (days since 1970-01-01) that "90 days ago" counts from (`--as-of`).
    pub as_of: i64,
    /// Whether the scanned code is the account's baseline, so that absences are findings.
    pub scope: Scope,
}

impl Context<'_> {
    /// The known value of a setting (written or defaulted). A value known only at apply
    /// time is reported on `origin` as an undetermined finding of `rule` that names the
    /// setting and its expression, and gives `None`, as does an absent setting: a control
    /// that reads its settings through here cannot pass on an unknown.
    pub fn known<T: Clone>(
        &self,
        out: &mut Findings,
        rule: &'static str,
        origin: &Origin,
        field: &Field<T>,
    ) -> Option<T> {
        if let Setting::Unknown { span } = field.value {
            self.unknown(out, rule, origin, field.key, span);
        }
        field.value.known()
    }

    /// Reports that `key` of `origin`, at `span`, is known only at apply time and decides
    /// `rule` (the catalog-wide `unknown-setting` message).
    pub fn unknown<'o>(
        &self,
        out: &'o mut Findings,
        rule: &'static str,
        origin: &Origin,
        key: &str,
        span: Span,
    ) -> &'o mut Finding {
        out.report(rule, origin, span, "unknown-setting")
            .arg("key", key)
            .arg("expr", self.expression(span))
            .undetermined()
    }

    /// How a value is shown in a message: its text, the resource it references, or (known
    /// only at apply time) its expression.
    pub fn describe(&self, node: &crate::value::Node) -> String {
        if let Some(s) = node.as_str() {
            return s.to_string();
        }
        match node.all_refs().into_iter().find(|r| !r.undeclared) {
            Some(r) => r.address.clone(),
            None => self.expression(node.span),
        }
    }

    /// How an unknown value is written, for messages: its source text on one line,
    /// shortened (`var.cidr`, `!Ref SshCidr`), or "known after apply" when it has none.
    pub fn expression(&self, span: Span) -> String {
        expression(self.sources, span)
    }

    /// Where a finding about something absent points: the first line of the first root
    /// module or template (absences have no span of their own).
    pub fn absence_anchor(&self) -> Option<crate::source::Span> {
        self.graph.units.first().map(|u| u.anchor)
    }

    /// Whether some scanned unit is written in `dialect` (an absence in a language that
    /// cannot express the control is not a finding).
    pub fn has_dialect(&self, dialect: crate::graph::Dialect) -> bool {
        self.graph.units.iter().any(|u| match dialect {
            crate::graph::Dialect::CloudFormation => {
                u.kind == crate::graph::InputKind::CloudFormation
            }
            crate::graph::Dialect::Terraform => u.kind != crate::graph::InputKind::CloudFormation,
        })
    }
}

/// The source text of `span` on one line, at most 60 characters (`var.cidr`).
pub fn expression(sources: &SourceMap, span: Span) -> String {
    const MAX: usize = 60;
    let file = sources.get(span.file);
    let text = file.text.get(span.range()).unwrap_or_default();
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut one_line = words.join(" ");
    if one_line.is_empty() {
        return "known after apply".into();
    }
    if let Some((cut, _)) = one_line.char_indices().nth(MAX) {
        one_line.truncate(cut);
        one_line.push('…');
    }
    one_line
}

/// An implemented control.
pub struct Control {
    /// The rule id, as in the catalog.
    pub id: &'static str,
    pub check: fn(&Context<'_>, &mut Findings),
}

#[path = "account.rs"]
mod account;
#[path = "4-networking/admin_port.rs"]
mod admin_port;
#[path = "3-monitoring/chain.rs"]
mod chain;
#[path = "1-iam/1.01-iam-root-account-usage.rs"]
mod cis_1_01;
#[path = "1-iam/1.02-iam-console-user-mfa.rs"]
mod cis_1_02;
#[path = "1-iam/1.03-iam-unused-credentials.rs"]
mod cis_1_03;
#[path = "1-iam/1.04-iam-access-key-rotation.rs"]
mod cis_1_04;
#[path = "1-iam/1.05-iam-password-policy-uppercase.rs"]
mod cis_1_05;
#[path = "1-iam/1.06-iam-password-policy-lowercase.rs"]
mod cis_1_06;
#[path = "1-iam/1.07-iam-password-policy-symbol.rs"]
mod cis_1_07;
#[path = "1-iam/1.08-iam-password-policy-number.rs"]
mod cis_1_08;
#[path = "1-iam/1.09-iam-password-policy-min-length.rs"]
mod cis_1_09;
#[path = "1-iam/1.10-iam-password-policy-reuse-prevention.rs"]
mod cis_1_10;
#[path = "1-iam/1.11-iam-password-policy-max-age.rs"]
mod cis_1_11;
#[path = "1-iam/1.12-iam-root-access-key.rs"]
mod cis_1_12;
#[path = "1-iam/1.13-iam-root-mfa.rs"]
mod cis_1_13;
#[path = "1-iam/1.16-iam-policy-attached-to-user.rs"]
mod cis_1_16;
#[path = "1-iam/1.17-billing-detailed-reports.rs"]
mod cis_1_17;
#[path = "1-iam/1.18-iam-master-manager-roles.rs"]
mod cis_1_18;
#[path = "1-iam/1.20-account-security-contact.rs"]
mod cis_1_20;
#[path = "1-iam/1.21-ec2-instance-profile.rs"]
mod cis_1_21;
#[path = "1-iam/1.22-iam-support-role.rs"]
mod cis_1_22;
#[path = "1-iam/1.23-iam-access-key-initial-setup.rs"]
mod cis_1_23;
#[path = "1-iam/1.24-iam-policy-full-admin.rs"]
mod cis_1_24;
#[path = "2-logging/2.01-cloudtrail-multi-region.rs"]
mod cis_2_01;
#[path = "2-logging/2.02-cloudtrail-log-file-validation.rs"]
mod cis_2_02;
#[path = "2-logging/2.03-cloudtrail-bucket-not-public.rs"]
mod cis_2_03;
#[path = "2-logging/2.04-cloudtrail-cloudwatch-logs.rs"]
mod cis_2_04;
#[path = "2-logging/2.05-config-recorder-all-resources.rs"]
mod cis_2_05;
#[path = "2-logging/2.06-cloudtrail-bucket-access-logging.rs"]
mod cis_2_06;
#[path = "2-logging/2.07-cloudtrail-kms-encryption.rs"]
mod cis_2_07;
#[path = "2-logging/2.08-kms-key-rotation.rs"]
mod cis_2_08;
#[path = "3-monitoring/3.01-monitor-unauthorized-api-calls.rs"]
mod cis_3_01;
#[path = "3-monitoring/3.02-monitor-console-login-without-mfa.rs"]
mod cis_3_02;
#[path = "3-monitoring/3.03-monitor-root-account-usage.rs"]
mod cis_3_03;
#[path = "3-monitoring/3.04-monitor-iam-policy-changes.rs"]
mod cis_3_04;
#[path = "3-monitoring/3.05-monitor-cloudtrail-changes.rs"]
mod cis_3_05;
#[path = "3-monitoring/3.06-monitor-console-auth-failures.rs"]
mod cis_3_06;
#[path = "3-monitoring/3.07-monitor-cmk-disable-deletion.rs"]
mod cis_3_07;
#[path = "3-monitoring/3.08-monitor-s3-bucket-policy-changes.rs"]
mod cis_3_08;
#[path = "3-monitoring/3.09-monitor-config-changes.rs"]
mod cis_3_09;
#[path = "3-monitoring/3.10-monitor-security-group-changes.rs"]
mod cis_3_10;
#[path = "3-monitoring/3.11-monitor-nacl-changes.rs"]
mod cis_3_11;
#[path = "3-monitoring/3.12-monitor-network-gateway-changes.rs"]
mod cis_3_12;
#[path = "3-monitoring/3.13-monitor-route-table-changes.rs"]
mod cis_3_13;
#[path = "3-monitoring/3.14-monitor-vpc-changes.rs"]
mod cis_3_14;
#[path = "3-monitoring/3.15-sns-topic-subscribers.rs"]
mod cis_3_15;
#[path = "4-networking/4.01-ec2-sg-ingress-ssh.rs"]
mod cis_4_01;
#[path = "4-networking/4.02-ec2-sg-ingress-rdp.rs"]
mod cis_4_02;
#[path = "4-networking/4.03-vpc-flow-logs.rs"]
mod cis_4_03;
#[path = "4-networking/4.04-ec2-default-sg-restricts-all.rs"]
mod cis_4_04;
#[path = "4-networking/4.05-vpc-peering-route-least-access.rs"]
mod cis_4_05;
#[path = "1-iam/credential_report.rs"]
mod credential_report;
#[path = "1-iam/password_policy.rs"]
mod password_policy;

/// Every implemented control, in CIS order.
pub static ALL: &[Control] = &[
    cis_1_01::CONTROL,
    cis_1_02::CONTROL,
    cis_1_03::CONTROL,
    cis_1_04::CONTROL,
    cis_1_05::CONTROL,
    cis_1_06::CONTROL,
    cis_1_07::CONTROL,
    cis_1_08::CONTROL,
    cis_1_09::CONTROL,
    cis_1_10::CONTROL,
    cis_1_11::CONTROL,
    cis_1_12::CONTROL,
    cis_1_13::CONTROL,
    cis_1_16::CONTROL,
    cis_1_17::CONTROL,
    cis_1_18::CONTROL,
    cis_1_20::CONTROL,
    cis_1_21::CONTROL,
    cis_1_22::CONTROL,
    cis_1_23::CONTROL,
    cis_1_24::CONTROL,
    cis_2_01::CONTROL,
    cis_2_02::CONTROL,
    cis_2_03::CONTROL,
    cis_2_04::CONTROL,
    cis_2_05::CONTROL,
    cis_2_06::CONTROL,
    cis_2_07::CONTROL,
    cis_2_08::CONTROL,
    cis_3_01::CONTROL,
    cis_3_02::CONTROL,
    cis_3_03::CONTROL,
    cis_3_04::CONTROL,
    cis_3_05::CONTROL,
    cis_3_06::CONTROL,
    cis_3_07::CONTROL,
    cis_3_08::CONTROL,
    cis_3_09::CONTROL,
    cis_3_10::CONTROL,
    cis_3_11::CONTROL,
    cis_3_12::CONTROL,
    cis_3_13::CONTROL,
    cis_3_14::CONTROL,
    cis_3_15::CONTROL,
    cis_4_01::CONTROL,
    cis_4_02::CONTROL,
    cis_4_03::CONTROL,
    cis_4_04::CONTROL,
    cis_4_05::CONTROL,
];
