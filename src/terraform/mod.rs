//! Terraform configurations: each directory of `.tf` files is a module whose resources are
//! evaluated (variables, locals, `count`/`for_each`, `dynamic`) into the common graph.

pub mod balance;
pub mod config;
pub mod eval;
pub mod functions;
pub mod tfjson;

use std::collections::HashMap;
use std::sync::Arc;

use config::{ModuleConfig, ParsedFile};
use eval::{Bindings, Scope, iterate, scalar_string};

use crate::graph::{Dialect, Graph, InputError, Resource, UnitId};
use crate::source::{FileId, Span};
use crate::value::{Map, Node, Value};

/// Largest number of instances one `count`/`for_each` may expand to.
pub const MAX_INSTANCES: usize = 10_000;

/// Parses one `.tf` file.
pub fn parse_file(file: FileId, text: &str) -> Result<ParsedFile, InputError> {
    if let Some(at) = crate::parse::limits::excessive_nesting(text) {
        return Err(InputError {
            span: Span::new(file, at, at + 1),
            message: format!(
                "nesting deeper than {} levels",
                crate::parse::limits::MAX_DEPTH
            ),
        });
    }
    // Unclosed brackets make the parser backtrack exponentially: tell them first.
    if let Err((at, message)) = balance::check(text) {
        return Err(InputError {
            span: Span::new(file, at, at + 1),
            message: format!("invalid HCL: {message}"),
        });
    }
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(ParsedFile { file, body }),
        Err(e) => {
            let at = e.location().offset();
            Err(InputError {
                span: Span::new(file, at, at),
                message: format!("invalid HCL: {}", e.message()),
            })
        }
    }
}

/// Evaluates a root module (its parsed files) into the graph.
pub fn load_module(
    files: &[ParsedFile],
    graph: &mut Graph,
    unit: UnitId,
    _sources: &[(FileId, Arc<str>)],
) {
    let config = ModuleConfig::collect(files);
    let vars = default_vars(&config);
    let scope = Scope::new(&config, String::new(), vars);
    emit_resources(&scope, graph, unit, &[]);
    emit_outputs(&scope, graph, unit);
}

/// Records the root module's outputs: what they reference leaves the scanned code.
pub fn emit_outputs(scope: &Scope<'_>, graph: &mut Graph, unit: UnitId) {
    let mut outputs: Vec<_> = scope.config.outputs.iter().collect();
    outputs.sort_by(|a, b| a.0.cmp(b.0));
    for (name, (file, expr)) in outputs {
        let value = scope.eval(*file, expr, &Bindings::default());
        graph.exports.push(crate::graph::Export {
            unit,
            name: name.clone(),
            value,
        });
    }
}

/// Binds every variable to its default (or unknown when it has none).
fn default_vars(config: &ModuleConfig<'_>) -> HashMap<String, Node> {
    let empty = Scope::new(config, String::new(), HashMap::new());
    config
        .variables
        .iter()
        .map(|(name, var)| {
            let value = match var.default {
                Some(expr) => empty.eval(var.file, expr, &Bindings::default()),
                None => Node::unknown(var.span),
            };
            (name.clone(), value)
        })
        .collect()
}

/// Adds the resources of a module instance, expanding `count` and `for_each`.
pub fn emit_resources(scope: &Scope<'_>, graph: &mut Graph, unit: UnitId, call_sites: &[Span]) {
    for rb in &scope.config.resources {
        let base = format!(
            "{}{}{}.{}",
            scope.prefix,
            if rb.is_data { "data." } else { "" },
            rb.rtype,
            rb.name
        );
        let body = &rb.block.body;
        let mut conditional = false;
        let instances: Vec<(String, Bindings)> = if let Some(count) = body.get_attribute("count") {
            let n = scope.eval(rb.file, &count.value, &Bindings::default());
            match n.as_f64() {
                Some(c) if !n.is_unknown() => (0..(c.max(0.0) as usize).min(MAX_INSTANCES))
                    .map(|i| {
                        let mut m = Map::default();
                        m.insert(
                            crate::value::Key {
                                name: "index".into(),
                                span: n.span,
                            },
                            Node::new(Value::Number(i as f64), n.span),
                        );
                        (
                            format!("{base}[{i}]"),
                            Bindings::default().with("count", Node::new(Value::Map(m), n.span)),
                        )
                    })
                    .collect(),
                // Unknown count: the instances cannot be told apart; keep one whose
                // `count.index` is unknown.
                _ => {
                    conditional = true;
                    vec![(format!("{base}[0]"), Bindings::default())]
                }
            }
        } else if let Some(fe) = body.get_attribute("for_each") {
            let coll = scope.eval(rb.file, &fe.value, &Bindings::default());
            match iterate(&coll) {
                Some(pairs) => pairs
                    .into_iter()
                    .take(MAX_INSTANCES)
                    .map(|(k, v)| {
                        let key = scalar_string(&if coll.as_list().is_some() {
                            v.clone()
                        } else {
                            k.clone()
                        })
                        .unwrap_or_default();
                        let mut m = Map::default();
                        m.insert(
                            crate::value::Key {
                                name: "key".into(),
                                span: k.span,
                            },
                            if coll.as_list().is_some() {
                                v.clone()
                            } else {
                                k
                            },
                        );
                        m.insert(
                            crate::value::Key {
                                name: "value".into(),
                                span: v.span,
                            },
                            v,
                        );
                        (
                            format!("{base}[{key:?}]"),
                            Bindings::default().with("each", Node::new(Value::Map(m), coll.span)),
                        )
                    })
                    .collect(),
                None => {
                    conditional = true;
                    vec![(format!("{base}[*]"), Bindings::default())]
                }
            }
        } else {
            vec![(base.clone(), Bindings::default())]
        };
        for (address, bindings) in instances {
            let attrs = scope.eval_body(rb.file, body, &bindings);
            graph.add_resource(Resource {
                unit,
                address,
                rtype: rb.rtype.clone(),
                dialect: Dialect::Terraform,
                is_data: rb.is_data,
                span: rb.header,
                attrs,
                call_sites: call_sites.to_vec(),
                metadata: None,
                conditional,
            });
        }
    }
}
