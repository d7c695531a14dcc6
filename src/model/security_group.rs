//! Security group ingress rules, from every form they are written in: inline blocks of a
//! group, stand-alone rule resources, and CloudFormation's inline and separate ingress.

use super::Origin;
use super::setting::{Setting, num_attr, str_attr};
use crate::graph::{Graph, ResourceId};
use crate::parse::allowed::Decision;
use crate::source::Span;
use crate::value::{Map, Node};

/// Where traffic may come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A CIDR block, written or planned.
    Cidr { cidr: String, span: Span },
    /// A CIDR only known at apply time.
    Unknown { span: Span },
}

/// One ingress rule.
#[derive(Clone, Debug)]
pub struct IngressRule {
    pub origin: Origin,
    /// The rule itself: the `ingress` block, the list item, or the rule resource's header.
    pub span: Span,
    pub protocol: Setting<String>,
    pub from_port: Setting<f64>,
    pub to_port: Setting<f64>,
    pub sources: Vec<Source>,
    /// The rule may not be an ingress rule at all (`type` unknown): findings are undetermined.
    pub maybe_not_ingress: bool,
    /// The rule belongs to a VPC's default security group.
    pub default_group: bool,
    /// The group the rule is attached to (`security_group_id`, `GroupId`), for stand-alone rules.
    pub group: Option<Node>,
}

/// Key spellings of one rule form.
struct Keys {
    protocol: &'static str,
    from: &'static str,
    to: &'static str,
    cidrs: &'static [&'static str],
}

const TF_INLINE: Keys = Keys {
    protocol: "protocol",
    from: "from_port",
    to: "to_port",
    cidrs: &["cidr_blocks", "ipv6_cidr_blocks"],
};
const TF_VPC_RULE: Keys = Keys {
    protocol: "ip_protocol",
    from: "from_port",
    to: "to_port",
    cidrs: &["cidr_ipv4", "cidr_ipv6"],
};
const CFN: Keys = Keys {
    protocol: "IpProtocol",
    from: "FromPort",
    to: "ToPort",
    cidrs: &["CidrIp", "CidrIpv6"],
};

/// Adds the ingress rules a resource declares.
pub fn adapt(graph: &Graph, id: ResourceId, out: &mut Vec<IngressRule>) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let origin = || Origin::of(graph, id);
    match r.rtype.as_str() {
        "aws_security_group" | "aws_default_security_group" => {
            let default_group = r.rtype == "aws_default_security_group";
            for block in a.get("ingress").map(Node::items).unwrap_or_default() {
                out.push(rule(
                    graph,
                    origin(),
                    block,
                    &TF_INLINE,
                    default_group,
                    None,
                ));
            }
        }
        "aws_security_group_rule" => {
            let direction = str_attr(a, "type");
            let maybe_not_ingress = match direction.known() {
                Some(t) if t == "ingress" => false,
                Some(_) => return,
                None => true,
            };
            let mut rule = rule_from_map(
                graph,
                origin(),
                r.span,
                a,
                &TF_INLINE,
                false,
                a.get("security_group_id"),
            );
            rule.maybe_not_ingress = maybe_not_ingress;
            out.push(rule);
        }
        "aws_vpc_security_group_ingress_rule" => {
            out.push(rule_from_map(
                graph,
                origin(),
                r.span,
                a,
                &TF_VPC_RULE,
                false,
                a.get("security_group_id"),
            ));
        }
        "AWS::EC2::SecurityGroup" => {
            for item in a
                .get("SecurityGroupIngress")
                .map(Node::items)
                .unwrap_or_default()
            {
                out.push(rule(graph, origin(), item, &CFN, false, None));
            }
        }
        "AWS::EC2::SecurityGroupIngress" => {
            out.push(rule_from_map(
                graph,
                origin(),
                r.span,
                a,
                &CFN,
                false,
                a.get("GroupId"),
            ));
        }
        _ => {}
    }
}

fn rule(
    graph: &Graph,
    origin: Origin,
    block: &Node,
    keys: &Keys,
    default_group: bool,
    group: Option<&Node>,
) -> IngressRule {
    match block.as_map() {
        Some(m) => rule_from_map(graph, origin, block.span, m, keys, default_group, group),
        // An unknown block (a `dynamic` block over an unknown collection).
        None => IngressRule {
            origin,
            span: block.span,
            protocol: Setting::Unknown { span: block.span },
            from_port: Setting::Unknown { span: block.span },
            to_port: Setting::Unknown { span: block.span },
            sources: vec![Source::Unknown { span: block.span }],
            maybe_not_ingress: false,
            default_group,
            group: group.cloned(),
        },
    }
}

fn rule_from_map(
    graph: &Graph,
    origin: Origin,
    span: Span,
    m: &Map,
    keys: &Keys,
    default_group: bool,
    group: Option<&Node>,
) -> IngressRule {
    let mut sources = Vec::new();
    for key in keys.cidrs {
        let Some(v) = m.get(key) else { continue };
        if v.is_unknown() {
            sources.extend(unknown_source(graph, v));
            continue;
        }
        for item in v.items() {
            match item.as_str() {
                Some(c) => sources.push(Source::Cidr {
                    cidr: c.to_string(),
                    span: item.span,
                }),
                None if item.is_unknown() => sources.extend(unknown_source(graph, item)),
                None => {}
            }
        }
    }
    IngressRule {
        origin,
        span,
        protocol: str_attr(m, keys.protocol),
        from_port: num_attr(m, keys.from),
        to_port: num_attr(m, keys.to),
        sources,
        maybe_not_ingress: false,
        default_group,
        group: group.cloned(),
    }
}

impl IngressRule {
    /// Whether the rule admits TCP traffic to `port`: `Some(true)`, `Some(false)`, or `None`
    /// when an unknown value decides it. UDP is not counted, as in CIS v1.1.0.
    pub fn admits_tcp_port(&self, port: f64) -> Option<bool> {
        let protocol = match &self.protocol {
            Setting::Set { value, .. } | Setting::Default { value } => value.to_ascii_lowercase(),
            Setting::Unknown { .. } => return None,
            Setting::Absent => return Some(false),
        };
        match protocol.as_str() {
            "-1" | "all" => Some(true),
            "tcp" | "6" => {
                let from = self.from_port.known();
                let to = self.to_port.known();
                match (from, to) {
                    // -1 ports with tcp mean all ports in the EC2 API.
                    (Some(f), Some(t)) if f < 0.0 || t < 0.0 => Some(true),
                    (Some(f), Some(t)) => Some(f <= port && port <= t),
                    // An unknown port may be -1 (all), whatever the other one is.
                    _ if self.from_port.is_unknown() || self.to_port.is_unknown() => None,
                    _ => Some(false),
                }
            }
            _ => Some(false),
        }
    }

    /// The span that shows the ports (the `to_port`, or the rule).
    pub fn ports_span(&self) -> Span {
        match (&self.from_port, &self.protocol) {
            (Setting::Set { span: f, .. }, _) => {
                let t = self.to_port.span_or(*f);
                Span {
                    file: f.file,
                    start: f.start.min(t.start),
                    end: f.end.max(t.end),
                }
            }
            (_, p) => p.span_or(self.span),
        }
    }
}

/// An address range known only at apply time, unless the parameter it comes from allows
/// only world ranges (then it is one) or none (then it is no world source at all).
fn unknown_source(graph: &Graph, v: &Node) -> Option<Source> {
    match unknown_cidr(graph, v) {
        Decision::Never => None,
        Decision::Always(cidr) => Some(Source::Cidr { cidr, span: v.span }),
        Decision::Maybe => Some(Source::Unknown { span: v.span }),
    }
}

/// Whether a CIDR known only at apply time is a world range, as far as the parameter it
/// comes from tells (`AllowedValues`, `AllowedPattern`).
pub fn unknown_cidr(graph: &Graph, v: &Node) -> Decision {
    graph
        .domain(v)
        .map_or(Decision::Maybe, |d| d.decide(is_world, WORLD))
}

/// Every spelling of the whole address space that [`is_world`] accepts.
const WORLD: &[&str] = &["0.0.0.0/0", "::/0", "0::/0", "::0/0"];

/// Whether a CIDR admits the whole internet.
pub fn is_world(cidr: &str) -> bool {
    matches!(cidr.trim(), "0.0.0.0/0" | "::/0" | "0::/0" | "::0/0")
}
