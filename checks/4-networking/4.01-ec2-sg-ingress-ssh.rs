//! CIS 4.1: no security group admits the internet to port 22 (SSH).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "ec2-sg-ingress-ssh",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::admin_port::check(cx, out, CONTROL.id, 22.0);
}
