//! CIS 4.5: routes through a VPC peering connection are narrow. A route via a peering
//! connection to the whole address space (`0.0.0.0/0`, `::/0`) is reported; whether a
//! narrower route is least access remains a human decision.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::Setting;
use crate::model::security_group::is_world;

pub const CONTROL: Control = Control {
    id: "vpc-peering-route-least-access",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    for r in &cx.model.network.peering_routes {
        let o = &r.origin;
        let peering_unknown = r.peering.is_unknown();
        // A route that may not go through a peering connection shows nothing when narrow.
        if !peering_unknown {
            out.evaluated(CONTROL.id, o);
        }
        for d in &r.destinations {
            let f = match d {
                Setting::Set { value, span } if is_world(value) => out
                    .report(CONTROL.id, o, *span, "default-route")
                    .arg("cidr", value.clone()),
                Setting::Unknown { span } => out
                    .report(CONTROL.id, o, *span, "default-route-unknown")
                    .arg("expr", cx.expression(*span))
                    .undetermined(),
                _ => continue,
            };
            f.label(r.peering.span_or(r.span), "peering");
            if peering_unknown {
                f.undetermined();
            }
        }
    }
}
