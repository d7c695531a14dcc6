//! The common resource graph that every parser produces and every control reads.

use foldhash::HashMap;

use crate::source::Span;
use crate::value::{Map, Node, Ref};

/// Which language a resource is written in; decides its type and attribute spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    /// Terraform, from `.tf`, `.tf.json` or plan JSON.
    Terraform,
    /// CloudFormation, from YAML or JSON templates.
    CloudFormation,
}

/// What kind of input a resource came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InputKind {
    /// A Terraform module directory (`.tf`, `.tf.json`).
    TerraformModule,
    /// `terraform show -json` output.
    TerraformPlan,
    /// A CloudFormation template.
    CloudFormation,
}

/// Index of a resource in the [`Graph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(pub usize);

/// Index of a unit (a template, a root module, a plan) in the [`Graph`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitId(pub usize);

/// One resource (or Terraform data source) with its evaluated attributes.
#[derive(Clone, Debug)]
pub struct Resource {
    pub unit: UnitId,
    /// Terraform address (`module.net.aws_vpc.this[0]`) or CloudFormation logical id.
    pub address: String,
    /// `aws_cloudtrail` or `AWS::CloudTrail::Trail`.
    pub rtype: String,
    pub dialect: Dialect,
    /// A Terraform `data` block rather than a managed resource.
    pub is_data: bool,
    /// The resource header: Terraform `resource "…" "…" {` labels, CloudFormation logical-id key.
    pub span: Span,
    /// Evaluated attributes; nested blocks are lists of maps.
    pub attrs: Map,
    /// Module call sites from the root down, for a resource inside a module.
    pub call_sites: Vec<Span>,
    /// CloudFormation `Metadata` of the resource (suppressions live there).
    pub metadata: Option<Node>,
    /// Whether the resource exists depends on an unknown (`count`, `for_each`, `Condition`):
    /// findings on it are undetermined.
    pub conditional: bool,
    /// For a resource that a template transform creates (the execution role of a SAM
    /// function): the logical id of the resource written in the template that it comes from.
    /// Suppressions on that resource cover this one.
    pub generated_from: Option<String>,
}

/// One scanned unit: a CloudFormation template, a Terraform root module, or a plan.
#[derive(Clone, Debug)]
pub struct Unit {
    pub kind: InputKind,
    /// Where absence findings of this unit point: the template's or module's first line.
    pub anchor: Span,
    /// Display name (the template file or module directory).
    pub name: String,
}

/// A problem in the input that stopped a file from being read or parsed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputError {
    pub span: Span,
    pub message: String,
}

/// A value that leaves its unit for code that is not scanned: an output of a Terraform
/// root module or plan, or of a CloudFormation template. What it references may be used
/// elsewhere (an SNS topic exported this way may be subscribed to by another project).
#[derive(Clone, Debug)]
pub struct Export {
    pub unit: UnitId,
    pub name: String,
    pub value: Node,
}

/// Everything found in the scanned inputs.
#[derive(Debug, Default)]
pub struct Graph {
    pub units: Vec<Unit>,
    pub resources: Vec<Resource>,
    /// Outputs of the units, with the references they carry.
    pub exports: Vec<Export>,
    /// What values known only at apply time may be: the allowed values of CloudFormation
    /// parameters without a default, keyed by the declaration (every use's `origin`).
    pub domains: HashMap<Span, crate::parse::allowed::Domain>,
    /// Per unit, so that a lookup by `&str` needs no key allocation.
    by_address: HashMap<UnitId, HashMap<String, ResourceId>>,
    /// Each address prefix that a `[` follows (`x` for `x[0]` and `x["a"]`) → the resources
    /// it is a prefix of, in id order: a reference to an expanded resource finds its
    /// instances without a walk over every resource.
    by_prefix: HashMap<UnitId, HashMap<String, Vec<ResourceId>>>,
    /// Per unit and type, in id order: finding the log groups of a name in one unit stays
    /// constant-time however many units a scan has.
    by_type: HashMap<UnitId, HashMap<String, Vec<ResourceId>>>,
    /// Per type, over all units, in id order.
    by_type_all: HashMap<String, Vec<ResourceId>>,
}

impl Graph {
    /// Adds a unit and returns its id.
    pub fn add_unit(&mut self, unit: Unit) -> UnitId {
        self.units.push(unit);
        UnitId(self.units.len() - 1)
    }

    /// Adds a resource; a later resource with the same address replaces the lookup entry.
    pub fn add_resource(&mut self, resource: Resource) -> ResourceId {
        let id = ResourceId(self.resources.len());
        self.by_address
            .entry(resource.unit)
            .or_default()
            .insert(resource.address.clone(), id);
        for (i, _) in resource.address.match_indices('[') {
            self.by_prefix
                .entry(resource.unit)
                .or_default()
                .entry(resource.address[..i].to_string())
                .or_default()
                .push(id);
        }
        self.by_type
            .entry(resource.unit)
            .or_default()
            .entry(resource.rtype.clone())
            .or_default()
            .push(id);
        self.by_type_all
            .entry(resource.rtype.clone())
            .or_default()
            .push(id);
        self.resources.push(resource);
        id
    }

    /// The resource at an id.
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.0]
    }

    /// Looks up a resource by its address in a unit.
    pub fn by_address(&self, unit: UnitId, address: &str) -> Option<ResourceId> {
        self.by_address.get(&unit)?.get(address).copied()
    }

    /// The resources a reference may point at: the exact address, or every instance
    /// (`x[0]`, `x["a"]`) of an expanded resource.
    pub fn resolve_ref(&self, unit: UnitId, r: &Ref) -> Vec<ResourceId> {
        if r.undeclared {
            return Vec::new();
        }
        if let Some(id) = self.by_address(unit, &r.address) {
            return vec![id];
        }
        self.by_prefix
            .get(&unit)
            .and_then(|m| m.get(r.address.as_str()))
            .cloned()
            .unwrap_or_default()
    }

    /// Resources referenced anywhere inside `node`, with the attribute read from each.
    pub fn targets<'a>(&self, unit: UnitId, node: &'a Node) -> Vec<(ResourceId, &'a str)> {
        let mut out = Vec::new();
        for r in node.all_refs() {
            for id in self.resolve_ref(unit, r) {
                out.push((id, r.attr.as_str()));
            }
        }
        out
    }

    /// Room for `n` more resources (merging many parts without growing step by step).
    pub fn reserve(&mut self, n: usize) {
        self.resources.reserve_exact(n);
    }

    /// Appends another graph (built in parallel), renumbering its units.
    pub fn merge(&mut self, other: Graph) {
        let unit_base = self.units.len();
        let id_base = self.resources.len();
        let unit = |u: UnitId| UnitId(u.0 + unit_base);
        let id = |r: ResourceId| ResourceId(r.0 + id_base);
        self.units.extend(other.units);
        self.resources
            .extend(other.resources.into_iter().map(|mut r| {
                r.unit = unit(r.unit);
                r
            }));
        // The other graph's indexes cover only its own units, which are new here: they move
        // over renumbered, without hashing a key again.
        for (u, mut m) in other.by_address {
            m.values_mut().for_each(|r| *r = id(*r));
            self.by_address.insert(unit(u), m);
        }
        for (u, mut m) in other.by_prefix {
            m.values_mut().flatten().for_each(|r| *r = id(*r));
            self.by_prefix.insert(unit(u), m);
        }
        for (u, mut m) in other.by_type {
            m.values_mut().flatten().for_each(|r| *r = id(*r));
            self.by_type.insert(unit(u), m);
        }
        for (t, ids) in other.by_type_all {
            self.by_type_all
                .entry(t)
                .or_default()
                .extend(ids.into_iter().map(id));
        }
        for mut e in other.exports {
            e.unit = unit(e.unit);
            self.exports.push(e);
        }
        self.domains.extend(other.domains);
    }

    /// What an unknown value may be, when it is a CloudFormation parameter that says.
    pub fn domain(&self, node: &Node) -> Option<&crate::parse::allowed::Domain> {
        if !node.is_unknown() {
            return None;
        }
        self.domains.get(&node.origin?)
    }

    /// Whether `unit` is a plan, where an attribute nobody wrote may show as unknown (a
    /// computed default) rather than as a value that the code leaves unknown.
    pub fn is_plan(&self, unit: UnitId) -> bool {
        self.units
            .get(unit.0)
            .is_some_and(|u| u.kind == InputKind::TerraformPlan)
    }

    /// Whether an output of `unit` references the resource `id`.
    pub fn is_exported(&self, unit: UnitId, id: ResourceId) -> bool {
        self.exports
            .iter()
            .filter(|e| e.unit == unit)
            .any(|e| self.targets(unit, &e.value).iter().any(|(t, _)| *t == id))
    }

    /// Ids of the managed resources of the given types, in graph order.
    pub fn of_type(&self, types: &[&str]) -> impl Iterator<Item = ResourceId> + '_ {
        let mut ids: Vec<ResourceId> = types
            .iter()
            .filter_map(|t| self.by_type_all.get(*t))
            .flatten()
            .copied()
            .filter(|id| !self.resource(*id).is_data)
            .collect();
        ids.sort();
        ids.into_iter()
    }

    /// Ids of the resources (data sources included) of the given types in one unit, in
    /// graph order.
    pub fn of_type_in(&self, unit: UnitId, types: &[&str]) -> Vec<ResourceId> {
        let Some(m) = self.by_type.get(&unit) else {
            return Vec::new();
        };
        let mut ids: Vec<ResourceId> = types
            .iter()
            .filter_map(|t| m.get(*t))
            .flatten()
            .copied()
            .collect();
        ids.sort();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(addresses: &[(&str, &str)]) -> Graph {
        let mut g = Graph::default();
        let unit = g.add_unit(Unit {
            kind: InputKind::TerraformModule,
            anchor: Span::default(),
            name: "m".into(),
        });
        for (address, rtype) in addresses {
            g.add_resource(Resource {
                unit,
                address: address.to_string(),
                rtype: rtype.to_string(),
                dialect: Dialect::Terraform,
                is_data: false,
                span: Span::default(),
                attrs: Map::default(),
                call_sites: Vec::new(),
                metadata: None,
                conditional: false,
                generated_from: None,
            });
        }
        g
    }

    #[test]
    fn merged_graphs_keep_their_lookups() {
        let mut g = graph(&[("aws_sns_topic.a", "aws_sns_topic")]);
        g.merge(graph(&[
            ("aws_s3_bucket.b[0]", "aws_s3_bucket"),
            ("aws_sns_topic.a", "aws_sns_topic"),
        ]));
        g.merge(graph(&[("aws_sns_topic.c", "aws_sns_topic")]));
        let (u0, u1, u2) = (UnitId(0), UnitId(1), UnitId(2));
        assert_eq!(g.by_address(u0, "aws_sns_topic.a"), Some(ResourceId(0)));
        assert_eq!(g.by_address(u1, "aws_sns_topic.a"), Some(ResourceId(2)));
        assert_eq!(g.by_address(u2, "aws_sns_topic.c"), Some(ResourceId(3)));
        assert_eq!(g.by_address(u2, "aws_sns_topic.a"), None);
        let r = Ref::new("aws_s3_bucket.b", "");
        assert_eq!(g.resolve_ref(u1, &r), vec![ResourceId(1)]);
        assert_eq!(
            g.of_type(&["aws_sns_topic", "aws_s3_bucket"])
                .collect::<Vec<_>>(),
            vec![ResourceId(0), ResourceId(1), ResourceId(2), ResourceId(3)]
        );
        assert_eq!(g.of_type_in(u1, &["aws_sns_topic"]), vec![ResourceId(2)]);
        assert_eq!(g.resource(ResourceId(3)).unit, u2);
    }
}
