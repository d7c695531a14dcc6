//! CIS 4.2: no security group admits the internet to port 3389 (RDP).

use super::{Context, Control};
use crate::finding::Findings;

pub const CONTROL: Control = Control {
    id: "ec2-sg-ingress-rdp",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    super::admin_port::check(cx, out, CONTROL.id, 3389.0);
}
