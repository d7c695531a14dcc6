//! CIS 4.3: every VPC has a VPC-level flow log that records rejected traffic (`REJECT` or
//! `ALL`). Flow logs are linked to VPCs by reference (through modules and intrinsics) or,
//! in a plan, by a known VPC id. A flow log whose VPC is unknown (a variable) might be the
//! one: VPCs it could cover are undetermined, never failed. That holds across stacks and
//! root modules too: a flow log whose VPC is unknown and names nothing of its own (an
//! `Fn::ImportValue`, a remote state output, a data source) may record a VPC that another
//! unit exports.

use super::{Context, Control};
use crate::finding::Findings;
use crate::model::refers::refers_to;
use crate::model::setting::str_attr;

pub const CONTROL: Control = Control {
    id: "vpc-flow-logs",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let g = cx.graph;
    let net = &cx.model.network;
    for vpc in &net.vpcs {
        let o = &vpc.origin;
        out.evaluated(CONTROL.id, o);
        let unit = g.resource(o.id).unit;
        // A plan knows the id of a VPC that already exists.
        let ids: Vec<String> = str_attr(&g.resource(o.id).attrs, "id")
            .known()
            .into_iter()
            .collect();
        let mut maybe = false;
        let mut elsewhere = false;
        let mut accept_only = None;
        let mut covered = false;
        for fl in &net.flow_logs {
            if fl.vpc_level == Some(false) {
                continue;
            }
            let Some(v) = &fl.vpc else { continue };
            let fl_unit = g.resource(fl.origin.id).unit;
            if fl_unit != unit {
                // Data sources (remote state, `data "aws_vpc"`) read what others made. The
                // cheap test first: most flow logs name their VPC.
                elsewhere = elsewhere
                    || (v.contains_unknown()
                        && !(g.targets(fl_unit, v).iter()).any(|(t, _)| !g.resource(*t).is_data)
                        && g.is_exported(unit, o.id));
                continue;
            }
            let link = refers_to(g, unit, v, o.id, &ids);
            if link == Some(false) {
                continue;
            }
            let rejects = fl.records_rejects();
            let certain = link == Some(true) && fl.vpc_level == Some(true);
            match rejects {
                Some(true) if certain && !fl.origin.conditional => {
                    covered = true;
                    break;
                }
                Some(false) if certain => accept_only = Some(fl),
                _ => maybe = true,
            }
        }
        if covered {
            continue;
        }
        match accept_only {
            Some(fl) if !maybe => {
                let f = out
                    .report(CONTROL.id, o, o.header, "accept-only")
                    .arg("flow_log", fl.origin.address.clone())
                    .label(fl.traffic_type.span_or(fl.origin.header), "traffic-type");
                if elsewhere {
                    f.undetermined();
                }
            }
            None if !maybe && elsewhere => {
                out.report(CONTROL.id, o, o.header, "maybe-elsewhere")
                    .undetermined();
            }
            _ => {
                let f = out.report(CONTROL.id, o, o.header, "missing");
                if maybe {
                    f.undetermined();
                }
            }
        }
    }
}
