//! Terraform configurations: each root module is evaluated as Terraform would plan it, as far
//! as the code alone allows (variables from tfvars/CLI/environment, locals, functions,
//! `count`/`for_each`, `dynamic`, local and installed modules), into the common graph.
//!
//! | file | job |
//! |---|---|
//! | `config.rs` | declarations of one module directory, one view over `.tf` and `.tf.json` |
//! | `tfjson.rs` | the JSON syntax |
//! | `loader.rs` | module directories and `source` resolution |
//! | `vars.rs` | root variable values (tfvars, `-var`, `TF_VAR_`) |
//! | `types.rs` | type constraints and conversions |
//! | `scope.rs` | the module-instance tree: variables, locals, resources, outputs, memoized |
//! | `eval.rs` | expressions |
//! | `functions.rs`, `encoding.rs`, `cidr.rs` | built-in functions |
//! | `files.rs` | file access confined to the scanned directories |
//! | `planmap.rs` | plan JSON mapped to its configuration |
//! | `provenance.rs` | where a finding's value came from, and its module call sites |

pub mod cidr;
pub mod config;
pub mod encoding;
pub mod eval;
pub mod files;
pub mod functions;
pub mod literal;
pub mod loader;
pub mod planmap;
pub mod provenance;
pub mod scope;
pub mod tfjson;
pub mod types;
pub mod vars;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use config::{ModuleConfig, ParsedFile, Syntax};
use files::Files;
use loader::{DirCache, ParsedDir};
use scope::{ExpKind, Tree, Unresolved};

use crate::graph::{Dialect, Graph, InputError, Resource, UnitId};
use crate::source::{FileId, Span};
use crate::value::Node;

/// Largest number of instances one `count`/`for_each` may expand to.
pub const MAX_INSTANCES: usize = 10_000;
/// Deepest module nesting (a module that calls itself stops here with an error).
pub const MAX_MODULE_DEPTH: usize = 32;
/// Largest number of module instances one root module may expand to.
pub const MAX_MODULE_INSTANCES: usize = 5_000;

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
    match hcl_edit::parser::parse_body(text) {
        Ok(body) => Ok(ParsedFile {
            file,
            syntax: Syntax::Hcl(body),
        }),
        Err(e) => {
            let at = e.location().offset();
            Err(InputError {
                span: Span::new(file, at, at),
                message: format!("invalid HCL: {}", e.message()),
            })
        }
    }
}

/// Parses a `.tf` or `.tf.json` file by its name.
pub fn parse_any(path: &Path, file: FileId, text: &str) -> Result<ParsedFile, InputError> {
    if path.to_string_lossy().ends_with(".tf.json") {
        tfjson::parse_file(file, text)
    } else {
        parse_file(file, text)
    }
}

/// What evaluating one root module produced besides resources.
#[derive(Debug, Default)]
pub struct RootOutcome {
    pub errors: Vec<InputError>,
    pub unresolved: Vec<Unresolved>,
    /// Module instances evaluated, the root included.
    pub module_instances: usize,
    /// Canonical module directories used.
    pub dirs: Vec<PathBuf>,
}

/// Where a root module's variable values come from.
pub enum RootVars<'v> {
    /// tfvars files of the directory, CLI and environment.
    Inputs(&'v vars::VarInputs),
    /// Given values (a plan's `variables`).
    Given(HashMap<String, Node>),
}

/// Evaluates the root module `root` (and every module it calls) into `graph` under `unit`.
pub fn evaluate_root(
    root: &Arc<ParsedDir>,
    cache: &DirCache,
    files: &Files<'_>,
    vars: RootVars<'_>,
    graph: &mut Graph,
    unit: UnitId,
) -> RootOutcome {
    let (dirs, resolver) = loader::load_tree(root, cache, files);
    let configs: HashMap<PathBuf, ModuleConfig<'_>> = dirs
        .iter()
        .map(|d| {
            (
                d.canonical.clone(),
                ModuleConfig::collect(d.display.clone(), &d.files),
            )
        })
        .collect();
    let mut out = RootOutcome {
        dirs: dirs.iter().map(|d| d.canonical.clone()).collect(),
        ..Default::default()
    };
    let Some(root_config) = configs.get(&root.canonical) else {
        return out;
    };
    let values = match vars {
        RootVars::Inputs(inputs) => {
            let (values, errors) = vars::root_values(root_config, &root.display, files, inputs);
            out.errors.extend(errors);
            values
        }
        RootVars::Given(values) => values,
    };
    let tree = Tree::new(&configs, &resolver, files, root.display.clone());
    let Some(root_scope) = tree.add_root(root.canonical.clone(), values) else {
        return out;
    };
    root_scope.walk(0, &mut |scope| {
        let data = scope.data();
        for idx in 0..data.config.resources.len() {
            let e = scope.resource(idx, 0);
            let rb = &data.config.resources[idx];
            for inst in &e.instances {
                graph.add_resource(Resource {
                    unit,
                    address: inst.address.clone(),
                    rtype: rb.rtype.clone(),
                    dialect: Dialect::Terraform,
                    is_data: rb.is_data,
                    span: rb.header,
                    attrs: inst.attrs.clone(),
                    call_sites: data.call_sites.clone(),
                    metadata: None,
                    conditional: data.conditional || e.kind == ExpKind::Unknown,
                });
            }
        }
    });
    out.module_instances = tree.scope_count();
    out.errors.extend(tree.errors.borrow().iter().cloned());
    out.unresolved = tree.unresolved.borrow().clone();
    out
}
