//! Where a finding's value came from: the variable default, tfvars entry, local or other
//! resource's attribute that produced the value at the finding's span (the node's `origin`),
//! and the module call sites of the resource. Controls report spans only; this recovers the
//! rest from the graph once, after they ran.

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;

use crate::finding::Finding;
use crate::graph::Graph;
use crate::source::Span;
use crate::value::{Map, Node, Value};

/// A node with an origin, as indexed by its span.
struct Candidate<'g> {
    origin: Span,
    /// Its scalar value as text (to tell list elements apart by the finding's arguments).
    text: Option<String>,
    /// The origin of the collection it is an element of.
    parent: Option<Span>,
    /// The resource it belongs to.
    resource: usize,
    /// The nearest enclosing block or object: its scalar values tell which rule the node
    /// is part of.
    context: &'g Map,
}

/// Fills in `origin` and `call_sites` of every finding.
pub fn annotate<'f>(findings: impl IntoIterator<Item = &'f mut Finding>, graph: &Graph) {
    let mut findings: Vec<&mut Finding> = findings.into_iter().collect();
    if findings.is_empty() {
        return;
    }
    // Only nodes at a finding's span can be its origin: index just those, so that the cost
    // follows the findings rather than the size of the graph. Resources are walked in
    // parallel and their candidates indexed in resource order (deterministic).
    let wanted: HashSet<Span> = findings.iter().map(|f| f.span).collect();
    let per_resource: Vec<Vec<(Span, Candidate)>> = graph
        .resources
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut cx = Collect {
                wanted: &wanted,
                found: Vec::new(),
            };
            for (_, v) in r.attrs.iter() {
                cx.collect(v, None, i, &r.attrs, 0);
            }
            cx.found
        })
        .collect();
    let mut index: HashMap<Span, Vec<Candidate>> = HashMap::new();
    for (span, c) in per_resource.into_iter().flatten() {
        index.entry(span).or_default().push(c);
    }
    for f in findings.iter_mut() {
        if let Some(r) = f.resource_id.and_then(|id| graph.resources.get(id.0)) {
            f.call_sites = r.call_sites.clone();
        }
        f.origin = pick(f, index.get(&f.span).map(Vec::as_slice).unwrap_or(&[]));
    }
}

/// Scalar values directly in a map (and in its lists of scalars).
fn scalars(m: &Map) -> Vec<String> {
    let mut out = Vec::new();
    for (_, v) in m.iter() {
        match &v.value {
            Value::List(items) => out.extend(items.iter().filter_map(super::eval::scalar_string)),
            _ => out.extend(super::eval::scalar_string(v)),
        }
    }
    out
}

/// The walk that indexes candidate origins.
struct Collect<'a, 'g> {
    wanted: &'a HashSet<Span>,
    /// Candidates found, with the span they are indexed by.
    found: Vec<(Span, Candidate<'g>)>,
}

impl<'g> Collect<'_, 'g> {
    fn collect(
        &mut self,
        n: &'g Node,
        parent: Option<Span>,
        resource: usize,
        context: &'g Map,
        depth: usize,
    ) {
        if depth > crate::parse::limits::MAX_DEPTH {
            return;
        }
        if let Some(o) = n.origin.filter(|_| self.wanted.contains(&n.span)) {
            self.found.push((
                n.span,
                Candidate {
                    origin: o,
                    text: super::eval::scalar_string(n),
                    parent,
                    resource,
                    context,
                },
            ));
        }
        let here = n.origin.or(parent);
        match &n.value {
            Value::List(items) => items
                .iter()
                .for_each(|i| self.collect(i, here, resource, context, depth + 1)),
            Value::Map(m) => m
                .iter()
                .for_each(|(_, v)| self.collect(v, here, resource, m, depth + 1)),
            _ => {}
        }
        if let Some(e) = &n.encoded {
            self.collect(e, None, resource, context, depth + 1);
        }
    }
}

/// The one origin the finding's span stands for; `None` when it is ambiguous or lies
/// within the finding's own span (nothing to add).
fn pick(f: &Finding, cands: &[Candidate]) -> Option<Span> {
    let mut useful: Vec<&Candidate> = cands
        .iter()
        .filter(|c| {
            !(c.origin.file == f.span.file
                && c.origin.start >= f.span.start
                && c.origin.end <= f.span.end)
        })
        .collect();
    // Values of the resource reported on first.
    if let Some(id) = f.resource_id
        && useful.iter().any(|c| c.resource == id.0)
    {
        useful.retain(|c| c.resource == id.0);
    }
    let unique = |cs: &[&Candidate]| -> Option<Span> {
        let first = cs.first()?.origin;
        cs.iter().all(|c| c.origin == first).then_some(first)
    };
    if let Some(o) = unique(&useful) {
        return Some(o);
    }
    // Several values were moved to this span (the elements of a list variable): the one whose
    // value the message names.
    let named: Vec<&Candidate> = useful
        .iter()
        .copied()
        .filter(|c| {
            c.text
                .as_ref()
                .is_some_and(|t| f.args.iter().any(|(_, a)| a == t))
        })
        .collect();
    if let Some(o) = unique(&named) {
        return Some(o);
    }
    // The same span in several blocks (a `dynamic` block's content): the block that holds
    // most of the values the message names.
    let pool = if named.is_empty() { &useful } else { &named };
    let score = |c: &Candidate| {
        let context = scalars(c.context);
        f.args
            .iter()
            .filter(|(k, a)| *k != "resource" && context.iter().any(|x| x == a))
            .count()
    };
    if let Some(best) = pool.iter().map(|c| score(c)).max() {
        let top: Vec<&Candidate> = pool.iter().copied().filter(|c| score(c) == best).collect();
        if let Some(o) = unique(&top) {
            return Some(o);
        }
    }
    let first = useful.first()?.parent?;
    useful
        .iter()
        .all(|c| c.parent == Some(first))
        .then_some(first)
}
