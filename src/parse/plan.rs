//! Terraform plan JSON (`terraform show -json`): the planned resources of every module enter
//! the graph with their full addresses; `after_unknown` marks what is known only at apply time.

use std::collections::HashMap;

use crate::graph::{Dialect, Graph, Resource, UnitId};
use crate::value::{Key, Map, Node, Ref, Value};

/// Whether a parsed JSON document is a plan.
pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some()
        && (root.get("planned_values").is_some() || root.get("resource_changes").is_some())
}

/// Adds every planned resource of a plan to the graph.
pub fn load(root: &Node, graph: &mut Graph, unit: UnitId) {
    let mut unknowns: HashMap<&str, &Node> = HashMap::new();
    if let Some(changes) = root.get("resource_changes").and_then(Node::as_list) {
        for change in changes {
            if let (Some(addr), Some(after_unknown)) = (
                change.get("address").and_then(Node::as_str),
                change.get("change").and_then(|c| c.get("after_unknown")),
            ) {
                unknowns.insert(addr, after_unknown);
            }
        }
    }
    let mut config_refs: HashMap<String, &Node> = HashMap::new();
    let mut scopes = Scopes::default();
    if let Some(root_module) = root.get("configuration").and_then(|c| c.get("root_module")) {
        collect_config(root_module, "", &mut config_refs);
        scopes.collect(root_module, "", None);
        // Root outputs leave the plan: record what they reference.
        for (name, output) in root_module
            .get("outputs")
            .and_then(Node::as_map)
            .map(|m| m.iter().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let mut value = Node::unknown(output.span);
            for r in output
                .get("expression")
                .and_then(|e| e.get("references"))
                .map(Node::items)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
            {
                if let Some(r) = parse_reference(r, "")
                    && !value.refs.contains(&r)
                {
                    value.refs.push(r);
                }
            }
            graph.exports.push(crate::graph::Export {
                unit,
                name: name.name.clone(),
                value,
            });
        }
    }
    if let Some(module) = root
        .get("planned_values")
        .and_then(|p| p.get("root_module"))
    {
        load_module(module, graph, unit, &unknowns, &config_refs, &scopes);
    }
}

fn load_module(
    module: &Node,
    graph: &mut Graph,
    unit: UnitId,
    unknowns: &HashMap<&str, &Node>,
    config: &HashMap<String, &Node>,
    scopes: &Scopes<'_>,
) {
    for res in module.get("resources").map(Node::items).unwrap_or_default() {
        let (Some(addr_node), Some(rtype)) =
            (res.get("address"), res.get("type").and_then(Node::as_str))
        else {
            continue;
        };
        let Some(address) = addr_node.as_str() else {
            continue;
        };
        let mut attrs = match res.get("values").map(|v| &v.value) {
            Some(Value::Map(m)) => m.clone(),
            _ => Map::default(),
        };
        let expressions = config
            .get(&config_key(address))
            .and_then(|c| c.get("expressions"));
        if let Some(unknown) = unknowns.get(address) {
            mark_unknown_map(&mut attrs, unknown, addr_node, expressions);
        }
        let is_data = res.get("mode").and_then(Node::as_str) == Some("data");
        if let Some(expressions) = expressions {
            attach_refs(&mut attrs, expressions, &module_prefix(address), scopes);
        }
        graph.add_resource(Resource {
            unit,
            address: address.to_string(),
            rtype: rtype.to_string(),
            dialect: Dialect::Terraform,
            is_data,
            span: addr_node.span,
            attrs,
            call_sites: Vec::new(),
            metadata: None,
            conditional: false,
            generated_from: None,
        });
    }
    for child in module
        .get("child_modules")
        .map(Node::items)
        .unwrap_or_default()
    {
        load_module(child, graph, unit, unknowns, config, scopes);
    }
}

/// Replaces values that `after_unknown` marks `true` by `Unknown` (adding absent keys).
/// A key absent from the values that the configuration does not write (`written`, when
/// known) is a provider-computed default, and stays absent so that the default applies.
fn mark_unknown_map(attrs: &mut Map, unknown: &Node, owner: &Node, written: Option<&Node>) {
    let Some(um) = unknown.as_map() else {
        return;
    };
    for (k, u) in um.iter() {
        match &u.value {
            Value::Bool(true)
                if attrs.get(&k.name).is_none()
                    && written
                        .and_then(Node::as_map)
                        .is_some_and(|w| w.get(&k.name).is_none()) => {}
            Value::Bool(true) => {
                let span = attrs.get(&k.name).map(|n| n.span).unwrap_or(owner.span);
                attrs.insert(
                    Key {
                        name: k.name.clone(),
                        span: attrs
                            .entry(&k.name)
                            .map(|(k, _)| k.span)
                            .unwrap_or(owner.span),
                    },
                    Node::unknown(span),
                );
            }
            Value::Map(_) | Value::List(_) => {
                if let Some(slot) = attrs.get_mut(&k.name) {
                    mark_unknown_node(slot, u);
                }
            }
            _ => {}
        }
    }
}

fn mark_unknown_node(node: &mut Node, unknown: &Node) {
    match (&mut node.value, &unknown.value) {
        (_, Value::Bool(true)) => node.value = Value::Unknown,
        (Value::Map(m), Value::Map(_)) => {
            let owner = Node::new(Value::Null, node.span);
            mark_unknown_map(m, unknown, &owner, None);
        }
        (Value::List(items), Value::List(us)) => {
            for (item, u) in items.to_mut().iter_mut().zip(us) {
                mark_unknown_node(item, u);
            }
        }
        _ => {}
    }
}

/// Indexes configuration resources by module path + resource address without instance keys.
fn collect_config<'a>(module: &'a Node, prefix: &str, out: &mut HashMap<String, &'a Node>) {
    for res in module.get("resources").map(Node::items).unwrap_or_default() {
        if let Some(addr) = res.get("address").and_then(Node::as_str) {
            out.insert(format!("{prefix}{addr}"), res);
        }
    }
    if let Some(calls) = module.get("module_calls").and_then(Node::as_map) {
        for (name, call) in calls.iter() {
            if let Some(m) = call.get("module") {
                collect_config(m, &format!("{prefix}module.{}.", name.name), out);
            }
        }
    }
}

/// `module.a[0].aws_x.y["k"]` → `module.a.aws_x.y`: configuration addresses have no instance keys.
fn config_key(address: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in address.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// `module.a[0].aws_x.y` → `module.a[0].`: where references inside that module resolve.
fn module_prefix(address: &str) -> String {
    match address.rfind("module.") {
        None => String::new(),
        Some(i) => {
            let rest = &address[i + 7..];
            // Skip the module name and its instance key.
            let mut depth = 0;
            for (j, c) in rest.char_indices() {
                match c {
                    '[' => depth += 1,
                    ']' => depth -= 1,
                    '.' if depth == 0 => return address[..i + 7 + j + 1].to_string(),
                    _ => {}
                }
            }
            String::new()
        }
    }
}

/// Adds the configuration's `references` to attribute values, so that links survive
/// values that are unknown in the plan.
fn attach_refs(attrs: &mut Map, expressions: &Node, prefix: &str, scopes: &Scopes<'_>) {
    let Some(exprs) = expressions.as_map() else {
        return;
    };
    for (k, expr) in exprs.iter() {
        let Some(slot) = attrs.get_mut(&k.name) else {
            continue;
        };
        if let Some(refs) = expr.get("references").and_then(Node::as_list) {
            for text in refs.iter().filter_map(Node::as_str) {
                for r in scopes.resolve(text, prefix, 0) {
                    if !slot.refs.contains(&r) {
                        slot.refs.push(r);
                    }
                }
            }
        } else if let (Some(blocks), Value::List(items)) = (expr.as_list(), &mut slot.value) {
            // Nested blocks: one expressions map per block.
            for (block_expr, item) in blocks.iter().zip(items.to_mut().iter_mut()) {
                if let Value::Map(m) = &mut item.value {
                    attach_refs(m, block_expr, prefix, scopes);
                }
            }
        }
    }
}

/// Module scopes of the configuration, to follow references across module boundaries:
/// `module.m.out` to what the output references inside `m`, and `var.v` inside a module to
/// what the calling module passes.
#[derive(Default)]
struct Scopes<'a> {
    /// Configuration module by address prefix without instance keys (`""`, `module.a.`).
    modules: HashMap<String, &'a Node>,
    /// The `module_calls` entry that instantiates each non-root module.
    calls: HashMap<String, &'a Node>,
}

/// How many module boundaries a reference is followed across.
const MAX_MODULE_HOPS: usize = 16;

impl<'a> Scopes<'a> {
    fn collect(&mut self, module: &'a Node, prefix: &str, call: Option<&'a Node>) {
        self.modules.insert(prefix.to_string(), module);
        if let Some(call) = call {
            self.calls.insert(prefix.to_string(), call);
        }
        if let Some(calls) = module.get("module_calls").and_then(Node::as_map) {
            for (name, call) in calls.iter() {
                if let Some(m) = call.get("module") {
                    self.collect(m, &format!("{prefix}module.{}.", name.name), Some(call));
                }
            }
        }
    }

    /// The resources a reference text in the module at `prefix` stands for.
    fn resolve(&self, text: &str, prefix: &str, hops: usize) -> Vec<Ref> {
        if hops > MAX_MODULE_HOPS {
            return Vec::new();
        }
        let parts: Vec<&str> = text.split('.').collect();
        let next = |refs: Option<&Node>, scope: &str| -> Vec<Ref> {
            refs.and_then(Node::as_list)
                .unwrap_or_default()
                .iter()
                .filter_map(Node::as_str)
                .flat_map(|t| self.resolve(t, scope, hops + 1))
                .collect()
        };
        match parts.as_slice() {
            ["module", name, output, ..] => {
                let name = name.split('[').next().unwrap_or(name);
                let child = format!("{prefix}module.{name}.");
                let refs = self
                    .modules
                    .get(&config_key(&child))
                    .and_then(|m| m.get("outputs"))
                    .and_then(|o| o.get(output))
                    .and_then(|o| o.get("expression"))
                    .and_then(|e| e.get("references"));
                next(refs, &child)
            }
            ["var", name, ..] if !prefix.is_empty() => {
                let refs = self
                    .calls
                    .get(&config_key(prefix))
                    .and_then(|c| c.get("expressions"))
                    .and_then(|e| e.get(name))
                    .and_then(|e| e.get("references"));
                next(refs, &parent_prefix(prefix))
            }
            _ => parse_reference(text, prefix).into_iter().collect(),
        }
    }
}

/// `module.a.module.b.` → `module.a.`: the scope that calls a module.
fn parent_prefix(prefix: &str) -> String {
    let trimmed = prefix.strip_suffix('.').unwrap_or(prefix);
    match trimmed.rfind("module.") {
        Some(i) => trimmed[..i].to_string(),
        None => String::new(),
    }
}

/// `aws_s3_bucket.b.id` → `aws_s3_bucket.b` + `id`; variables,
/// locals and module outputs are not resources.
pub fn parse_reference(text: &str, prefix: &str) -> Option<Ref> {
    let parts: Vec<&str> = text.split('.').collect();
    let (address_len, data) = match parts.first()? {
        &"var" | &"local" | &"module" | &"each" | &"count" | &"path" | &"terraform" | &"self" => {
            return None;
        }
        &"data" => (3, true),
        _ => (2, false),
    };
    if parts.len() < address_len {
        return None;
    }
    let _ = data;
    let address = format!("{prefix}{}", parts[..address_len].join("."));
    let attr = parts[address_len..].join(".");
    Some(Ref::new(address, attr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert_eq!(config_key("module.a[0].aws_x.y[\"k\"]"), "module.a.aws_x.y");
        assert_eq!(module_prefix("module.a[0].aws_x.y"), "module.a[0].");
        assert_eq!(
            module_prefix("module.a.module.b.aws_x.y"),
            "module.a.module.b."
        );
        assert_eq!(module_prefix("aws_x.y"), "");
        let r = parse_reference("aws_s3_bucket.b.id", "module.m.").unwrap();
        assert_eq!(r.address, "module.m.aws_s3_bucket.b");
        assert_eq!(r.attr, "id");
        assert!(parse_reference("var.x", "").is_none());
        assert_eq!(parent_prefix("module.a.module.b."), "module.a.");
        assert_eq!(parent_prefix("module.a."), "");
    }
}
