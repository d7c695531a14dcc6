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
#[path = "2-logging/2.01-cloudtrail-multi-region.rs"]
mod cis_2_01;
#[path = "2-logging/2.02-cloudtrail-log-file-validation.rs"]
mod cis_2_02;
#[path = "2-logging/2.04-cloudtrail-cloudwatch-logs.rs"]
mod cis_2_04;
#[path = "2-logging/2.07-cloudtrail-kms-encryption.rs"]
mod cis_2_07;
#[path = "2-logging/2.08-kms-key-rotation.rs"]
mod cis_2_08;
#[path = "4-networking/4.01-ec2-sg-ingress-ssh.rs"]
mod cis_4_01;
#[path = "4-networking/4.02-ec2-sg-ingress-rdp.rs"]
mod cis_4_02;

/// Every implemented control, in CIS order.
pub static ALL: &[Control] = &[
    cis_2_01::CONTROL,
    cis_2_02::CONTROL,
    cis_2_04::CONTROL,
    cis_2_07::CONTROL,
    cis_2_08::CONTROL,
    cis_4_01::CONTROL,
    cis_4_02::CONTROL,
];
