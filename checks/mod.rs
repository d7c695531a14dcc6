//! The implemented controls, one file per CIS number next to its catalog entry.
//! `ALL` is the only registry; `tests/catalog.rs` checks it against the catalog.

use crate::finding::Findings;
use crate::graph::Graph;
use crate::model::Model;

/// What a control reads.
pub struct Context<'a> {
    pub graph: &'a Graph,
    pub model: &'a Model,
}

/// An implemented control.
pub struct Control {
    /// The rule id, as in the catalog.
    pub id: &'static str,
    pub check: fn(&Context<'_>, &mut Findings),
}

#[path = "4-networking/admin_port.rs"]
mod admin_port;
#[path = "3-monitoring/chain.rs"]
mod chain;
#[path = "2-logging/2.01-cloudtrail-multi-region.rs"]
mod cis_2_01;
#[path = "2-logging/2.02-cloudtrail-log-file-validation.rs"]
mod cis_2_02;
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

/// Every implemented control, in CIS order.
pub static ALL: &[Control] = &[
    cis_2_01::CONTROL,
    cis_2_02::CONTROL,
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
];
