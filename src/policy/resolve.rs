//! The policy documents an attribute holds: written in place (any form [`locate`] reads),
//! or referenced from a `data "aws_iam_policy_document"` through its `json` attribute.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use super::document::from_node;
use super::{Policy, locate, terraform};
use crate::graph::{Graph, InputKind, ResourceId, UnitId};
use crate::source::SourceMap;
use crate::value::Node;

/// How deep documents may be merged into documents (`source_policy_documents` chains);
/// deeper (or cyclic) chains are unknown.
const MAX_DEPTH: usize = 16;

/// One document found for an attribute.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub policy: Policy,
    /// The policy-document data source it came from, if any.
    pub via: Option<ResourceId>,
    /// The reference sits inside a larger expression (`var.x != "" ? var.x : data.d.json`),
    /// so the attribute may hold something else: findings on it are undetermined.
    pub uncertain: bool,
}

/// Reads policy documents out of the graph.
pub struct Resolver<'a> {
    pub graph: &'a Graph,
    pub sources: &'a SourceMap,
    /// Documents of data sources already read: each is read once, however many documents
    /// merge it (hostile fan-out stays linear).
    memo: RefCell<HashMap<ResourceId, Policy>>,
    /// Data sources being read: meeting one again is a cycle.
    reading: RefCell<HashSet<ResourceId>>,
}

impl<'a> Resolver<'a> {
    /// A resolver over a scanned graph and its sources.
    pub fn new(graph: &'a Graph, sources: &'a SourceMap) -> Resolver<'a> {
        Resolver {
            graph,
            sources,
            memo: RefCell::default(),
            reading: RefCell::default(),
        }
    }

    /// The effective document of a policy-document data source.
    fn data_policy(&self, id: ResourceId, depth: usize) -> Policy {
        if let Some(p) = self.memo.borrow().get(&id) {
            return p.clone();
        }
        if !self.reading.borrow_mut().insert(id) {
            return Policy {
                statements: Vec::new(),
                unknown: vec![self.graph.resource(id).span],
            };
        }
        let p = terraform::data_document(self, id, depth);
        self.reading.borrow_mut().remove(&id);
        self.memo.borrow_mut().insert(id, p.clone());
        p
    }

    /// The documents the policy-valued attribute `node` (of a resource in `unit`) holds.
    /// A value only known at apply time that references no document is one unknown policy.
    pub fn documents(&self, unit: UnitId, node: &Node) -> Vec<Resolved> {
        self.documents_at(unit, node, 0)
    }

    pub(crate) fn documents_at(&self, unit: UnitId, node: &Node, depth: usize) -> Vec<Resolved> {
        let unknown = || Resolved {
            policy: Policy {
                statements: Vec::new(),
                unknown: vec![node.span],
            },
            via: None,
            uncertain: false,
        };
        if depth > MAX_DEPTH {
            return vec![unknown()];
        }
        if let Some(json) = locate::json_node(node, self.sources) {
            return vec![Resolved {
                policy: from_node(&json, self.sources),
                via: None,
                uncertain: false,
            }];
        }
        if !node.is_unknown() {
            // A string that is not JSON, or null: no document to check.
            return Vec::new();
        }
        let mut docs: Vec<ResourceId> = Vec::new();
        for r in &node.refs {
            if !matches!(r.attr.as_str(), "json" | "minified_json") {
                continue;
            }
            for id in self.graph.resolve_ref(unit, r) {
                let res = self.graph.resource(id);
                if res.is_data && res.rtype == "aws_iam_policy_document" && !docs.contains(&id) {
                    docs.push(id);
                }
            }
        }
        if docs.is_empty() {
            return vec![unknown()];
        }
        let certain = docs.len() == 1 && self.is_plain_reference(unit, node);
        docs.into_iter()
            .map(|id| Resolved {
                policy: self.data_policy(id, depth + 1),
                via: Some(id),
                uncertain: !certain,
            })
            .collect()
    }

    /// Whether the value is nothing but a reference (`data.aws_iam_policy_document.x.json`),
    /// as written where it is used or where it came from. A plan keeps only the references
    /// of an expression, so there one referenced resource counts as the value.
    fn is_plain_reference(&self, unit: UnitId, node: &Node) -> bool {
        if self
            .graph
            .units
            .get(unit.0)
            .is_some_and(|u| u.kind == InputKind::TerraformPlan)
        {
            let mut addresses: Vec<&str> = node.refs.iter().map(|r| r.address.as_str()).collect();
            addresses.sort();
            addresses.dedup();
            return addresses.len() == 1;
        }
        node.origin.iter().chain([&node.span]).any(|span| {
            let file = self.sources.get(span.file);
            file.text
                .get(span.range())
                .is_some_and(|t| is_traversal(t.trim()))
        })
    }
}

/// `data.t.n.json`, `data.t.n[0].json`, `data.t.n["k"].json`: a traversal, no operators.
fn is_traversal(t: &str) -> bool {
    t.starts_with("data.")
        && t.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']' | '"'))
}
