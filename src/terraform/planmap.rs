//! A plan mapped to its configuration: the plan's values stay (they are the ground truth,
//! with `after_unknown` for what apply decides), but each resource and value takes the span
//! of the `.tf` that produced it, found by evaluating the configuration the same way as a
//! scanned module and matching instances by address and nested blocks by content.

use crate::graph::{Graph, Resource, UnitId};
use crate::source::Span;
use crate::value::{Map, Node, Value};

use super::eval::scalar_string;

/// Gives every resource of `unit` in `graph` the spans of its counterpart in `config`
/// (the evaluated configuration); resources without one keep their plan spans.
pub fn map_to_source(graph: &mut Graph, unit: UnitId, config: &Graph) {
    for r in graph.resources.iter_mut().filter(|r| r.unit == unit) {
        let Some(c) = counterpart(config, r) else {
            continue;
        };
        r.span = c.span;
        r.call_sites = c.call_sites.clone();
        map_attrs(&mut r.attrs, &c.attrs, c.span);
    }
}

fn counterpart<'c>(config: &'c Graph, r: &Resource) -> Option<&'c Resource> {
    config
        .resources
        .iter()
        .find(|c| c.address == r.address && c.is_data == r.is_data)
        .or_else(|| {
            // The configuration could not tell the instances apart (unknown count/for_each):
            // the block is still the place.
            let base = strip_keys(&r.address);
            config
                .resources
                .iter()
                .find(|c| strip_keys(&c.address) == base)
        })
}

fn map_attrs(p: &mut Map, c: &Map, fallback: Span) {
    for (k, pv) in p.entries_mut().iter_mut() {
        match c.entry(&k.name) {
            Some((ck, cv)) => {
                k.span = ck.span;
                map_node(pv, cv, 0);
            }
            // Defaulted or computed by the provider: the resource is the place.
            None => {
                k.span = fallback;
                respan(pv, fallback, 0);
            }
        }
    }
}

fn map_node(p: &mut Node, c: &Node, depth: usize) {
    p.span = c.span;
    if p.origin.is_none() {
        p.origin = c.origin;
    }
    if depth > crate::parse::limits::MAX_DEPTH {
        return;
    }
    match (&mut p.value, &c.value) {
        (Value::Map(pm), Value::Map(cm)) => {
            for (k, pv) in pm.entries_mut().iter_mut() {
                match cm.entry(&k.name) {
                    Some((ck, cv)) => {
                        k.span = ck.span;
                        map_node(pv, cv, depth + 1);
                    }
                    None => respan(pv, c.span, depth + 1),
                }
            }
        }
        (Value::List(pl), Value::List(cl)) => {
            // Nested blocks may be sets, which the plan orders its own way: pair each planned
            // element with the configured one it agrees with most.
            let mut used = vec![false; cl.len()];
            for pi in pl.to_mut().iter_mut() {
                let best = cl
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| !used[*j])
                    .max_by_key(|(j, ci)| (score(pi, ci, 0), std::cmp::Reverse(*j)));
                match best {
                    Some((j, ci)) => {
                        used[j] = true;
                        map_node(pi, ci, depth + 1);
                    }
                    None => respan(pi, c.span, depth + 1),
                }
            }
        }
        _ => {
            let span = c.span;
            match &mut p.value {
                Value::List(items) => items
                    .to_mut()
                    .iter_mut()
                    .for_each(|i| respan(i, span, depth + 1)),
                Value::Map(m) => m
                    .entries_mut()
                    .iter_mut()
                    .for_each(|(_, v)| respan(v, span, depth + 1)),
                _ => {}
            }
        }
    }
}

/// How many scalar leaves two values share at the same places.
fn score(p: &Node, c: &Node, depth: usize) -> usize {
    if depth > 32 {
        return 0;
    }
    match (&p.value, &c.value) {
        (Value::Map(pm), Value::Map(cm)) => pm
            .iter()
            .filter_map(|(k, v)| cm.get(&k.name).map(|w| score(v, w, depth + 1)))
            .sum(),
        (Value::List(pl), Value::List(cl)) => {
            pl.iter().zip(cl).map(|(a, b)| score(a, b, depth + 1)).sum()
        }
        _ => match (scalar_string(p), scalar_string(c)) {
            (Some(a), Some(b)) if a == b => 1,
            _ => 0,
        },
    }
}

fn respan(n: &mut Node, span: Span, depth: usize) {
    n.span = span;
    if depth > crate::parse::limits::MAX_DEPTH {
        return;
    }
    match &mut n.value {
        Value::List(items) => items
            .to_mut()
            .iter_mut()
            .for_each(|i| respan(i, span, depth + 1)),
        Value::Map(m) => m.entries_mut().iter_mut().for_each(|(k, v)| {
            k.span = span;
            respan(v, span, depth + 1)
        }),
        _ => {}
    }
}

/// `module.a[0].aws_x.y["k"]` → `module.a.aws_x.y`.
fn strip_keys(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut prev = ' ';
    for ch in address.chars() {
        match ch {
            '"' if depth > 0 && prev != '\\' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(ch),
            _ => {}
        }
        prev = ch;
    }
    out
}

/// Root variable values recorded in a plan (`variables.<name>.value`).
pub fn plan_variables(root: &Node) -> foldhash::HashMap<String, Node> {
    let mut out = foldhash::HashMap::default();
    if let Some(vars) = root.get("variables").and_then(Node::as_map) {
        for (k, v) in vars.iter() {
            if let Some(value) = v.get("value") {
                out.insert(k.name.clone(), value.clone());
            }
        }
    }
    out
}
