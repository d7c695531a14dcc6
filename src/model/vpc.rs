//! VPCs and what hangs off them: flow logs (4.3), rules and members of the default
//! security group (4.4), and routes through peering connections (4.5).

use super::Origin;
use super::refers::may_be_absent;
use super::security_group::unknown_cidr;
use super::setting::{Setting, str_attr};
use crate::graph::{Graph, ResourceId};
use crate::parse::allowed::Decision;
use crate::source::Span;
use crate::value::{Node, Value};

/// A VPC (`aws_vpc`, `aws_default_vpc`, `AWS::EC2::VPC`).
#[derive(Clone, Debug)]
pub struct Vpc {
    pub origin: Origin,
}

/// A flow log.
#[derive(Clone, Debug)]
pub struct FlowLog {
    pub origin: Origin,
    /// The VPC it records, for a VPC-level flow log (`vpc_id`, `ResourceId` with
    /// `ResourceType: VPC`).
    pub vpc: Option<Node>,
    /// Whether it is a VPC-level flow log: `None` when `ResourceType` is unknown.
    pub vpc_level: Option<bool>,
    /// `ACCEPT`, `REJECT` or `ALL`.
    pub traffic_type: Setting<String>,
}

impl FlowLog {
    /// Whether it records rejected traffic (`REJECT` or `ALL`); `None` when unknown.
    pub fn records_rejects(&self) -> Option<bool> {
        match &self.traffic_type {
            Setting::Set { value, .. } | Setting::Default { value } => Some(matches!(
                value.to_ascii_uppercase().as_str(),
                "REJECT" | "ALL"
            )),
            Setting::Unknown { .. } => None,
            Setting::Absent => Some(false),
        }
    }
}

/// A rule that may belong to a VPC's default security group.
#[derive(Clone, Debug)]
pub struct GroupRule {
    pub origin: Origin,
    /// The rule: the `ingress`/`egress` block or the rule resource.
    pub span: Span,
    /// `ingress` or `egress`, as written (`None` when unknown).
    pub direction: Option<String>,
    /// The group, for stand-alone rules; `None` for inline rules of an
    /// `aws_default_security_group`.
    pub group: Option<Node>,
    /// A `dynamic` block over a collection only known at apply time: there may be no rule.
    pub maybe_absent: bool,
}

/// A resource that places something in security groups (`vpc_security_group_ids`).
#[derive(Clone, Debug)]
pub struct GroupMember {
    pub origin: Origin,
    /// Each group value (an item of the list) with the attribute spelling.
    pub groups: Vec<(&'static str, Node)>,
}

/// A route through a VPC peering connection.
#[derive(Clone, Debug)]
pub struct PeeringRoute {
    pub origin: Origin,
    /// The `route` block, the item, or the route resource.
    pub span: Span,
    /// The destination CIDRs written (IPv4 and IPv6).
    pub destinations: Vec<Setting<String>>,
    /// The peering connection; `Unknown` when a value decides whether it is one.
    pub peering: Setting<()>,
}

/// Networking resources.
#[derive(Clone, Debug, Default)]
pub struct Network {
    pub vpcs: Vec<Vpc>,
    pub flow_logs: Vec<FlowLog>,
    /// `aws_default_security_group` resources (the adopted default groups).
    pub default_groups: Vec<Origin>,
    pub group_rules: Vec<GroupRule>,
    pub group_members: Vec<GroupMember>,
    pub peering_routes: Vec<PeeringRoute>,
}

/// Attributes that place a resource in security groups.
const MEMBERSHIP_KEYS: &[&str] = &[
    "vpc_security_group_ids",
    "security_groups",
    "security_group_ids",
    "SecurityGroupIds",
    "SecurityGroups",
    "VPCSecurityGroups",
    "VpcSecurityGroupIds",
];

/// Adds what a resource declares.
pub fn adapt(graph: &Graph, id: ResourceId, out: &mut Network) {
    let r = graph.resource(id);
    let a = &r.attrs;
    let origin = || Origin::of(graph, id);
    match r.rtype.as_str() {
        "aws_vpc" | "aws_default_vpc" | "AWS::EC2::VPC" => out.vpcs.push(Vpc { origin: origin() }),
        "aws_flow_log" => out.flow_logs.push(FlowLog {
            origin: origin(),
            vpc: a.get("vpc_id").filter(|n| !n.is_null()).cloned(),
            vpc_level: Some(a.get("vpc_id").is_some_and(|n| !n.is_null())),
            traffic_type: str_attr(a, "traffic_type"),
        }),
        "AWS::EC2::FlowLog" => {
            let vpc_level = match str_attr(a, "ResourceType") {
                Setting::Set { value, .. } => Some(value.eq_ignore_ascii_case("VPC")),
                Setting::Unknown { .. } => None,
                _ => Some(false),
            };
            out.flow_logs.push(FlowLog {
                origin: origin(),
                vpc: a.get("ResourceId").cloned(),
                vpc_level,
                traffic_type: str_attr(a, "TrafficType"),
            });
        }
        "aws_default_security_group" => {
            out.default_groups.push(origin());
            for dir in ["ingress", "egress"] {
                let Some(list) = a.get(dir) else { continue };
                // A plan shows the computed list as unknown when no rule is written; in the
                // code it is a `dynamic` block over an unknown collection: maybe rules.
                if list.is_unknown() && graph.is_plan(r.unit) {
                    continue;
                }
                for block in list.items() {
                    out.group_rules.push(GroupRule {
                        origin: origin(),
                        span: block.span,
                        direction: Some(dir.to_string()),
                        group: None,
                        maybe_absent: block.is_unknown(),
                    });
                }
            }
        }
        "aws_security_group_rule" => out.group_rules.push(GroupRule {
            origin: origin(),
            span: r.span,
            direction: str_attr(a, "type").known(),
            group: a.get("security_group_id").cloned(),
            maybe_absent: false,
        }),
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            out.group_rules.push(GroupRule {
                origin: origin(),
                span: r.span,
                direction: Some(if r.rtype.contains("ingress") {
                    "ingress".into()
                } else {
                    "egress".into()
                }),
                group: a.get("security_group_id").cloned(),
                maybe_absent: false,
            })
        }
        "AWS::EC2::SecurityGroupIngress" | "AWS::EC2::SecurityGroupEgress" => {
            out.group_rules.push(GroupRule {
                origin: origin(),
                span: r.span,
                direction: Some(if r.rtype.ends_with("Ingress") {
                    "ingress".into()
                } else {
                    "egress".into()
                }),
                group: a.get("GroupId").cloned(),
                maybe_absent: false,
            })
        }
        "aws_route" => route(graph, origin(), r.span, a, &TF_ROUTE, false, out),
        "AWS::EC2::Route" => route(graph, origin(), r.span, a, &CFN_ROUTE, false, out),
        "aws_route_table" => {
            // A plan keeps the references of `route` on the list, not on each route.
            let list_peers = a.get("route").is_some_and(|l| {
                graph
                    .targets(r.unit, l)
                    .iter()
                    .any(|(t, _)| graph.resource(*t).rtype == "aws_vpc_peering_connection")
            });
            for block in a.get("route").map(Node::items).unwrap_or_default() {
                match &block.value {
                    Value::Map(m) => route(
                        graph,
                        origin(),
                        block.span,
                        m,
                        &TF_TABLE_ROUTE,
                        list_peers,
                        out,
                    ),
                    // A dynamic block over an unknown collection: nothing is known.
                    Value::Unknown => out.peering_routes.push(PeeringRoute {
                        origin: origin(),
                        span: block.span,
                        destinations: vec![Setting::Unknown { span: block.span }],
                        peering: Setting::Unknown { span: block.span },
                    }),
                    _ => {}
                }
            }
        }
        _ => {}
    }
    if r.rtype.starts_with("aws_security_group") || r.rtype.starts_with("AWS::EC2::SecurityGroup") {
        return;
    }
    let mut groups = Vec::new();
    collect_members(a, &mut groups, 0);
    if !groups.is_empty() {
        out.group_members.push(GroupMember {
            origin: origin(),
            groups,
        });
    }
}

/// Group values under membership keys anywhere in the attributes (`vpc_config`,
/// `network_interfaces` blocks included).
fn collect_members(m: &crate::value::Map, out: &mut Vec<(&'static str, Node)>, depth: usize) {
    if depth > 8 {
        return;
    }
    for (k, v) in m.iter() {
        if let Some(key) = MEMBERSHIP_KEYS.iter().find(|x| **x == k.name) {
            for item in v.items() {
                // Only a reference can name a default group created in the code.
                if !item.all_refs().is_empty() {
                    out.push((key, item.clone()));
                }
            }
            continue;
        }
        for item in v.items() {
            if let Some(inner) = item.as_map() {
                collect_members(inner, out, depth + 1);
            }
        }
    }
}

/// Key spellings of one route form.
struct RouteKeys {
    destinations: &'static [&'static str],
    peering: &'static str,
    /// CloudFormation: a template parameter is never null.
    cfn: bool,
}

const TF_ROUTE: RouteKeys = RouteKeys {
    destinations: &["destination_cidr_block", "destination_ipv6_cidr_block"],
    peering: "vpc_peering_connection_id",
    cfn: false,
};
const TF_TABLE_ROUTE: RouteKeys = RouteKeys {
    destinations: &["cidr_block", "ipv6_cidr_block"],
    peering: "vpc_peering_connection_id",
    cfn: false,
};
const CFN_ROUTE: RouteKeys = RouteKeys {
    destinations: &["DestinationCidrBlock", "DestinationIpv6CidrBlock"],
    peering: "VpcPeeringConnectionId",
    cfn: true,
};

/// Adds a route if it goes through a peering connection (or may). `list_peers`: the route
/// list as a whole references a peering connection, so an unknown id is one.
fn route(
    graph: &Graph,
    origin: Origin,
    span: Span,
    m: &crate::value::Map,
    keys: &RouteKeys,
    list_peers: bool,
    out: &mut Network,
) {
    let peering = match m.get(keys.peering) {
        None => Setting::Absent,
        Some(n) if n.is_null() || n.as_str() == Some("") => Setting::Absent,
        Some(n) if n.is_unknown() && may_be_absent(n, keys.cfn) && !list_peers => {
            Setting::Unknown { span: n.span }
        }
        Some(n) => Setting::Set {
            value: (),
            span: n.span,
        },
    };
    if matches!(peering, Setting::Absent) {
        return;
    }
    let destinations = keys
        .destinations
        .iter()
        .filter_map(|k| match (str_attr(m, k), m.get(k)) {
            // A parameter may allow only world ranges, or none.
            (Setting::Unknown { span }, Some(n)) => match unknown_cidr(graph, n) {
                Decision::Never => None,
                Decision::Always(value) => Some(Setting::Set { value, span }),
                Decision::Maybe => Some(Setting::Unknown { span }),
            },
            (d, _) => Some(d),
        })
        .filter(|d| !matches!(d, Setting::Absent) && d.known().as_deref() != Some(""))
        .collect();
    out.peering_routes.push(PeeringRoute {
        origin,
        span,
        destinations,
        peering,
    });
}
