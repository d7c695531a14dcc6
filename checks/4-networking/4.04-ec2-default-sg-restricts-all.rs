//! CIS 4.4: the default security group of every VPC has no rules and no members. Inline
//! `ingress`/`egress` blocks of `aws_default_security_group`, stand-alone rules whose group
//! is a default group (`aws_vpc.x.default_security_group_id`, the adopted group's id,
//! CloudFormation `!GetAtt Vpc.DefaultSecurityGroup`), and resources placed in a default
//! group are reported.

use super::{Context, Control};
use crate::finding::Findings;
use crate::graph::{Graph, UnitId};
use crate::value::Node;

pub const CONTROL: Control = Control {
    id: "ec2-default-sg-restricts-all",
    check,
};

fn check(cx: &Context<'_>, out: &mut Findings) {
    let g = cx.graph;
    let net = &cx.model.network;
    if cx.scope == super::Scope::Account {
        unmanaged_default_groups(cx, out);
    }
    for o in &net.default_groups {
        out.evaluated(CONTROL.id, o);
    }
    for rule in &net.group_rules {
        let o = &rule.origin;
        let is_default = match &rule.group {
            None => true,
            Some(group) => names_default_group(g, g.resource(o.id).unit, group),
        };
        if !is_default {
            continue;
        }
        out.evaluated(CONTROL.id, o);
        // Ingress or egress, a rule on the default group breaks the control.
        let f = match &rule.direction {
            Some(direction) => out
                .report(CONTROL.id, o, rule.span, "rule")
                .arg("direction", direction.clone()),
            None => out.report(CONTROL.id, o, rule.span, "rule-any"),
        };
        if rule.maybe_absent {
            f.undetermined();
        }
    }
    for m in &net.group_members {
        let unit = g.resource(m.origin.id).unit;
        for (key, group) in &m.groups {
            if names_default_group(g, unit, group) {
                out.evaluated(CONTROL.id, &m.origin);
                out.report(CONTROL.id, &m.origin, group.span, "member")
                    .arg("key", *key);
            }
        }
    }
}

/// Whether a group value references a default security group.
fn names_default_group(g: &Graph, unit: UnitId, group: &Node) -> bool {
    g.targets(unit, group).into_iter().any(|(id, attr)| {
        let r = g.resource(id);
        match r.rtype.as_str() {
            "aws_default_security_group" => true,
            "aws_vpc" | "aws_default_vpc" => attr == "default_security_group_id",
            "AWS::EC2::VPC" => attr == "DefaultSecurityGroup",
            _ => false,
        }
    })
}

/// Account scope: every VPC's default group must be taken over and stripped. In Terraform
/// that is an `aws_default_security_group` of the VPC (it removes AWS's default rules); in
/// CloudFormation nothing can strip them, so such a VPC is undetermined.
fn unmanaged_default_groups(cx: &Context<'_>, out: &mut Findings) {
    let g = cx.graph;
    let net = &cx.model.network;
    for vpc in &net.vpcs {
        let o = &vpc.origin;
        let r = g.resource(o.id);
        match r.rtype.as_str() {
            "aws_vpc" => {
                let adopting: Vec<&crate::model::Origin> = net
                    .default_groups
                    .iter()
                    .filter(|d| {
                        let dg = g.resource(d.id);
                        dg.unit == r.unit
                            && dg.attrs.get("vpc_id").is_some_and(|v| {
                                g.targets(dg.unit, v).iter().any(|(id, _)| *id == o.id)
                            })
                    })
                    .collect();
                let managed = adopting.iter().any(|d| !d.conditional);
                // A default group whose VPC cannot be resolved may be this VPC's; one that
                // may not be created may not take it over.
                let maybe = !adopting.is_empty()
                    || net.default_groups.iter().any(|d| {
                        let dg = g.resource(d.id);
                        dg.attrs.get("vpc_id").is_some_and(|v| {
                            v.contains_unknown() && g.targets(dg.unit, v).is_empty()
                        })
                    });
                if !managed {
                    let f = out.report(CONTROL.id, o, o.header, "unmanaged-default-group");
                    if maybe {
                        f.undetermined();
                    }
                }
            }
            "AWS::EC2::VPC" => {
                out.report(CONTROL.id, o, o.header, "cfn-default-group")
                    .undetermined();
            }
            _ => {}
        }
    }
}
