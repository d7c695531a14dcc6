//! Shared by 4.1 and 4.2: ingress from the whole internet to an administration port.

use super::Context;
use crate::finding::Findings;
use crate::model::security_group::{Source, is_world};

/// Reports every rule that admits `0.0.0.0/0` or `::/0` to TCP `port`, and, as
/// undetermined, every rule that may: its source range, ports or protocol are known only at
/// apply time.
pub fn check(cx: &Context<'_>, out: &mut Findings, rule: &'static str, port: f64) {
    for r in &cx.model.ingress_rules {
        out.evaluated(rule, &r.origin);
        let admits = r.admits_tcp_port(port);
        if admits == Some(false) {
            continue;
        }
        for source in &r.sources {
            let f = match source {
                Source::Cidr { cidr, span } if is_world(cidr) => out
                    .report(rule, &r.origin, *span, "open")
                    .arg("cidr", cidr.clone()),
                Source::Cidr { .. } => continue,
                // An unknown source on a rule that admits the port: we cannot tell.
                Source::Unknown { span } => out
                    .report(rule, &r.origin, *span, "open-unknown")
                    .arg("expr", cx.expression(*span))
                    .undetermined(),
            };
            f.arg("port", crate::value::format_number(port))
                .label(r.ports_span(), "port-range");
            if admits.is_none() || r.maybe_not_ingress {
                f.undetermined();
            }
        }
    }
}
