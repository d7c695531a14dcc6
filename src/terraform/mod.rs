//! Terraform configurations: each root module is evaluated as Terraform would plan it, as far
//! as the code alone allows (variables from tfvars/CLI/environment, locals, functions,
//! `count`/`for_each`, `dynamic`, local and installed modules), into the common graph.
//!
//! | file | job |
//! |---|---|
//! | `config.rs` | declarations of one module directory, one view over `.tf` and `.tf.json` |
//! | `tfjson.rs` | the JSON syntax |
//! | `loader.rs` | module directories and `source` resolution |
//! | `groups.rs` | directories grouped by their local module calls, before parsing |
//! | `vars.rs` | root variable values (tfvars, `-var`, `TF_VAR_`) |
//! | `types.rs` | type constraints and conversions |
//! | `scope.rs` | the module-instance tree: variables, locals, resources, outputs, memoized |
//! | `eval.rs` | expressions |
//! | `functions.rs`, `encoding.rs`, `cidr.rs` | built-in functions |
//! | `files.rs` | file access confined to the scanned directories |
//! | `planmap.rs` | plan JSON mapped to its configuration |
//! | `provenance.rs` | where a finding's value came from, and its module call sites |

pub mod balance;
pub mod cidr;
pub mod config;
pub mod encoding;
pub mod eval;
pub mod files;
pub mod functions;
pub mod groups;
pub mod literal;
pub mod loader;
pub mod planmap;
pub mod provenance;
pub mod scope;
pub mod sets;
pub mod tfjson;
pub mod types;
pub mod undeclared;
pub mod vars;

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use config::{ModuleConfig, ParsedFile, Syntax};
use files::Files;
use loader::ParsedDir;
use scope::{ExpKind, Tree, Unresolved};

use crate::graph::{Dialect, Graph, InputError, Resource, UnitId};
use crate::source::{FileId, Span};
use crate::value::Node;

/// Parses one `.tf` file.
pub fn parse_file(file: FileId, text: &str) -> Result<ParsedFile, InputError> {
    match balance::parse_body(text) {
        Ok(body) => Ok(ParsedFile {
            file,
            syntax: Syntax::Hcl(body),
            is_override: false,
        }),
        Err((at, message)) => Err(InputError {
            span: Span::new(file, at, (at + 1).min(text.len()).max(at)),
            message,
        }),
    }
}

/// Parses a `.tf` or `.tf.json` file by its name.
pub fn parse_any(path: &Path, file: FileId, text: &str) -> Result<ParsedFile, InputError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut parsed = if name.ends_with(".tf.json") {
        tfjson::parse_file(file, text)?
    } else {
        parse_file(file, text)?
    };
    let stem = name.trim_end_matches(".json").trim_end_matches(".tf");
    parsed.is_override = stem == "override" || stem.ends_with("_override");
    Ok(parsed)
}

/// What evaluating one root module produced besides resources.
#[derive(Debug, Default)]
pub struct RootOutcome {
    pub errors: Vec<InputError>,
    pub unresolved: Vec<Unresolved>,
    /// `undeclared-reference` warnings, in source order.
    pub undeclared: Vec<crate::notice::Notice>,
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

/// The configuration of every module directory the roots of a scan group load, collected
/// once however many roots use a directory.
pub struct Configs<'d>(HashMap<PathBuf, ModuleConfig<'d>>);

impl<'d> Configs<'d> {
    /// Collects the configurations of `dirs` (each directory once, in parallel).
    pub fn build(dirs: impl Iterator<Item = &'d Arc<ParsedDir>>) -> Configs<'d> {
        let mut seen: HashSet<&Path> = HashSet::default();
        let distinct: Vec<&'d Arc<ParsedDir>> = dirs
            .filter(|d| seen.insert(d.canonical.as_path()))
            .collect();
        Configs(
            distinct
                .par_iter()
                .map(|d| {
                    (
                        d.canonical.clone(),
                        ModuleConfig::collect(d.display.clone(), &d.files),
                    )
                })
                .collect::<Vec<_>>()
                .into_iter()
                .collect(),
        )
    }
}

/// Evaluates the root module `root` (and every module it calls, `tree` as
/// [`loader::load_tree`] loaded them) into `graph` under `unit`.
pub fn evaluate_root(
    root: &Arc<ParsedDir>,
    tree: &(Vec<Arc<ParsedDir>>, loader::Resolver),
    configs: &Configs<'_>,
    files: &Files<'_>,
    vars: RootVars<'_>,
    graph: &mut Graph,
    unit: UnitId,
) -> RootOutcome {
    let (dirs, resolver) = tree;
    let configs = &configs.0;
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
    let tree = Tree::new(configs, resolver, files, root.display.clone());
    emit(&tree, root.canonical.clone(), values, graph, unit);
    out.module_instances = tree.scope_count();
    out.errors.extend(tree.errors.borrow().iter().cloned());
    out.unresolved = tree.unresolved.borrow().clone();
    out.undeclared = tree.undeclared.take().into_values().collect();
    out
}

/// Evaluates the module `canonical` of a tree as a root and adds every resource instance of
/// it and of the modules it calls to `graph`.
fn emit(
    tree: &Tree<'_>,
    canonical: PathBuf,
    values: HashMap<String, Node>,
    graph: &mut Graph,
    unit: UnitId,
) {
    let Some(root_scope) = tree.add_root(canonical, values) else {
        return;
    };
    root_scope.walk(0, &mut |scope| {
        let data = scope.data();
        for idx in 0..data.config.resources.len() {
            let e = scope.resource(idx, 0);
            let rb = &data.config.resources[idx];
            for inst in &e.instances {
                let mut attrs = std::mem::take(&mut *inst.attrs.borrow_mut());
                attrs.compact();
                graph.add_resource(Resource {
                    unit,
                    address: inst.address.clone(),
                    rtype: rb.rtype.clone(),
                    dialect: Dialect::Terraform,
                    is_data: rb.is_data,
                    span: rb.header,
                    attrs,
                    call_sites: data.call_sites.clone(),
                    metadata: None,
                    conditional: data.conditional || e.kind == ExpKind::Unknown,
                    generated_from: None,
                });
            }
        }
    });
    // After the resources, so that an output that exhausts the budget cannot leave them
    // unknown. The root module's outputs leave the scanned code: what they reference may be used
    // elsewhere (a topic exported to other stacks, CIS 3.15).
    let mut names: Vec<String> = root_scope.data().config.outputs.keys().cloned().collect();
    names.sort();
    for name in names {
        let value = root_scope.output(&name, Span::default(), 0);
        // Only the references count (`Graph::is_exported`): the value itself, often a whole
        // module's outputs, is not kept for the rest of the scan.
        let mut refs: Vec<crate::value::Ref> = value.all_refs().into_iter().cloned().collect();
        refs.sort();
        refs.dedup();
        let mut kept = Node::unknown(value.span);
        kept.refs = refs;
        graph.exports.push(crate::graph::Export {
            unit,
            name,
            value: kept,
        });
    }
}

/// Evaluates parsed files as one root module with variable defaults only: no tfvars, no
/// modules, no file reads (the front end alone, for fuzzing and robustness tests).
pub fn load_module(
    files: &[ParsedFile],
    graph: &mut Graph,
    unit: UnitId,
    _sources: &[(FileId, Arc<str>)],
) {
    let sources = crate::source::SourceMap::default();
    let no_files = Files::new(&sources, &[]);
    let key = PathBuf::from("<module>");
    let configs: HashMap<PathBuf, ModuleConfig<'_>> = [(
        key.clone(),
        ModuleConfig::collect(PathBuf::from("."), files),
    )]
    .into_iter()
    .collect();
    let resolver = loader::Resolver::default();
    let tree = Tree::new(&configs, &resolver, &no_files, PathBuf::from("."));
    emit(&tree, key, HashMap::new(), graph, unit);
}

#[cfg(test)]
mod tests {
    use super::loader::DirCache;
    use super::*;
    use crate::source::SourceMap;
    use crate::value::Value;

    /// Evaluates `local.x` of a one-file module written into `dir` (other files may be there).
    fn eval_in(dir: &Path, text: &str) -> (Node, Vec<InputError>) {
        std::fs::write(dir.join("main.tf"), text).unwrap();
        let sources = SourceMap::default();
        let files = Files::new(&sources, &[dir.to_path_buf()]);
        let canonical = std::fs::canonicalize(dir).unwrap();
        let cache = DirCache::default();
        let root = cache
            .get(&canonical, dir, &files)
            .unwrap_or_else(|| panic!("{:?}", cache.errors.lock().unwrap()));
        let (dirs, resolver) = loader::load_tree(&root, &cache, &files);
        let configs: HashMap<PathBuf, ModuleConfig<'_>> = dirs
            .iter()
            .map(|d| {
                (
                    d.canonical.clone(),
                    ModuleConfig::collect(d.display.clone(), &d.files),
                )
            })
            .collect();
        let tree = Tree::new(&configs, &resolver, &files, dir.to_path_buf());
        let scope = tree.add_root(canonical, HashMap::new()).unwrap();
        let n = scope.local("x", Span::default(), 0);
        let errors = tree.errors.borrow().clone();
        (n, errors)
    }

    fn eval(expr: &str) -> Node {
        let dir = tempfile::tempdir().unwrap();
        eval_in(dir.path(), &format!("locals {{\n  x = {expr}\n}}\n")).0
    }

    fn text(expr: &str) -> String {
        let n = eval(expr);
        match &n.value {
            Value::String(s) => s.to_string(),
            Value::Unknown => "<unknown>".into(),
            _ => encoding::json_encode(&n).unwrap_or_else(|| "<partly unknown>".into()),
        }
    }

    #[test]
    fn functions_on_known_values() {
        let cases = [
            (
                "jsonencode({ b = 1, a = [\"<&>\", 1.5, true, null] })",
                r#"{"a":["\u003c\u0026\u003e",1.5,true,null],"b":1}"#,
            ),
            ("jsondecode(\"{\\\"a\\\": [1, 2]}\").a[1]", "2"),
            ("yamldecode(\"a: [x, y]\").a[0]", "x"),
            ("merge({ a = 1, b = 2 }, { b = 3 })", r#"{"a":1,"b":3}"#),
            ("concat([1], [2, 3])", "[1,2,3]"),
            ("flatten([[1, [2]], 3])", "[1,2,3]"),
            ("lookup({ a = \"x\" }, \"b\", \"d\")", "d"),
            ("try({ a = 1 }.b, 2)", "2"),
            ("can(regex(\"^a\", \"abc\"))", "true"),
            ("can(regex(\"^z\", \"abc\"))", "false"),
            ("coalesce(null, \"\", \"x\")", "x"),
            ("coalescelist([], [1])", "[1]"),
            ("compact([\"a\", \"\", null, \"b\"])", r#"["a","b"]"#),
            ("distinct([1, 2, 1])", "[1,2]"),
            ("element([\"a\", \"b\"], 3)", "b"),
            ("contains([\"a\"], \"a\")", "true"),
            ("keys({ b = 1, a = 2 })", r#"["a","b"]"#),
            ("values({ b = 1, a = 2 })", "[2,1]"),
            ("length([1, 2, 3])", "3"),
            (
                "format(\"%s:%d/%05.1f %q\", \"a\", 22, 3.14159, \"x\")",
                "a:22/003.1 \"x\"",
            ),
            (
                "formatlist(\"%s-%s\", [\"a\", \"b\"], \"z\")",
                r#"["a-z","b-z"]"#,
            ),
            ("join(\",\", [\"a\", \"b\"])", "a,b"),
            ("split(\",\", \"a,b\")", r#"["a","b"]"#),
            ("replace(\"a-b-c\", \"/-(.)/\", \"+$1\")", "a+b+c"),
            (
                "regex(\"(?P<k>[a-z]+)=(?P<v>[0-9]+)\", \"port=22\")",
                r#"{"k":"port","v":"22"}"#,
            ),
            (
                "regex(\"([a-z]+)=([0-9]+)\", \"port=22\")",
                r#"["port","22"]"#,
            ),
            ("lower(\"AbC\")", "abc"),
            ("upper(\"AbC\")", "ABC"),
            ("trimspace(\"  x \\n\")", "x"),
            ("tostring(22)", "22"),
            ("tonumber(\"22\") + 1", "23"),
            ("tobool(\"true\")", "true"),
            ("tolist([\"b\", \"a\"])", r#"["b","a"]"#),
            ("toset([\"b\", \"a\", \"b\"])", r#"["a","b"]"#),
            ("tomap({ a = 1 })", r#"{"a":1}"#),
            ("range(3)", "[0,1,2]"),
            ("range(1, 8, 3)", "[1,4,7]"),
            ("zipmap([\"a\", \"b\"], [1, 2])", r#"{"a":1,"b":2}"#),
            ("setunion([\"b\"], [\"a\", \"b\"])", r#"["a","b"]"#),
            ("setsubtract([\"a\", \"b\"], [\"b\"])", r#"["a"]"#),
            ("cidrsubnet(\"10.0.0.0/16\", 8, 2)", "10.0.2.0/24"),
            ("cidrhost(\"10.0.0.0/24\", 5)", "10.0.0.5"),
            ("min(3, 1, 2)", "1"),
            ("max(3, 1, 2)", "3"),
            ("abs(-2)", "2"),
            ("ceil(1.2)", "2"),
            ("floor(1.8)", "1"),
            ("base64encode(\"hello\")", "aGVsbG8="),
            (
                "sha256(\"hello\")",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
            ),
            ("md5(\"hello\")", "5d41402abc4b2a76b9719d911017c592"),
            (
                "[for k, v in { b = 2, a = 1 } : \"${k}${v}\"]",
                r#"["a1","b2"]"#,
            ),
            (
                "{ for s in [\"a\", \"bb\", \"cc\"] : length(s) => s... }",
                r#"{"1":["a"],"2":["bb","cc"]}"#,
            ),
            ("[{ a = 1 }, { a = 2 }][*].a", "[1,2]"),
            ("\"%{ for x in [1, 2] ~}\n  ${x}\n%{~ endfor ~}\"", "12"),
            ("\"%{ for x in [1, 2] ~}\n  ${x}\n%{ endfor }\"", "1\n2\n"),
            ("<<-EOT\n    a\n      b\n    EOT", "a\n  b\n"),
            ("path.module", "."),
            ("terraform.workspace", "default"),
        ];
        for (expr, want) in cases {
            assert_eq!(text(expr), want, "{expr}");
        }
    }

    #[test]
    fn unknowns_propagate_with_terraform_short_circuits() {
        for expr in [
            "timestamp()",
            "uuid()",
            "\"${uuid()}-x\"",
            "upper(uuid())",
            "uuid() == \"x\"",
            "length(uuid()) + 1",
            "try(uuid(), \"x\")",
            "can(uuid())",
            "coalesce(uuid(), \"x\")",
            "uuid() != \"\" ? 1 : 2",
            "jsonencode({ a = uuid() })",
            "[for x in split(\",\", uuid()) : x]",
            "data.aws_vpc.x.cidr_block",
            "aws_vpc.computed.id",
            "provider::aws::arn_parse(\"x\")",
            "<<-EOT\n    %{~ for x in [1] ~}\n    ${x}\n    %{~ endfor ~}\n  EOT",
            "not_a_function(1)",
            // `try` does not catch a reference to an undeclared name: Terraform rejects it
            // before evaluating anything.
            "try(local.missing, \"fallback\")",
            "can(var.missing)",
        ] {
            assert!(eval(expr).is_unknown(), "{expr} should be unknown");
        }
        for (expr, want) in [
            ("false && uuid() == \"x\"", "false"),
            ("true || uuid() == \"x\"", "true"),
            ("coalesce(\"x\", uuid())", "x"),
            ("length([uuid(), \"b\"])", "2"),
            ("true ? 1 : uuid()", "1"),
            ("uuid() == \"\" ? 7 : 7", "7"),
            ("keys({ a = uuid() })", r#"["a"]"#),
        ] {
            assert_eq!(text(expr), want, "{expr}");
        }
        assert_eq!(text("concat([uuid()], [1])"), "<partly unknown>");
    }

    #[test]
    fn references_to_other_resources() {
        let dir = tempfile::tempdir().unwrap();
        let (n, _) = eval_in(
            dir.path(),
            "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\nlocals {\n  x = [aws_s3_bucket.b.bucket, aws_s3_bucket.b.arn]\n}\n",
        );
        let items = n.as_list().unwrap();
        assert_eq!(items[0].as_str(), Some("x"));
        assert_eq!(items[0].refs[0].address, "aws_s3_bucket.b");
        assert_eq!(items[0].refs[0].attr, "bucket");
        assert!(items[1].is_unknown());
        assert_eq!(items[1].refs[0].attr, "arn");
    }

    #[test]
    fn cycles_and_self_including_templates_terminate() {
        let dir = tempfile::tempdir().unwrap();
        let (n, _) = eval_in(dir.path(), "locals {\n  x = local.y\n  y = local.x\n}\n");
        assert!(n.is_unknown());
        std::fs::write(dir.path().join("t.tpl"), "${templatefile(\"t.tpl\", {})}").unwrap();
        let (n, _) = eval_in(
            dir.path(),
            "locals {\n  x = templatefile(\"t.tpl\", {})\n}\n",
        );
        assert!(n.is_unknown());
        let (n, _) = eval_in(
            dir.path(),
            "resource \"aws_vpc\" \"a\" {\n  cidr_block = aws_vpc.b.cidr_block\n}\nresource \"aws_vpc\" \"b\" {\n  cidr_block = aws_vpc.a.cidr_block\n}\nlocals {\n  x = aws_vpc.a.cidr_block\n}\n",
        );
        assert!(n.is_unknown());
    }

    #[test]
    fn values_cannot_nest_without_bound() {
        // Each local wraps the previous one 10 levels deeper; evaluated bottom-up through
        // memoized parts, the result would grow past any stack. It stops as unknown.
        let mut text = String::from("locals {\n  l0 = 1\n");
        for i in 1..=60 {
            text.push_str(&format!(
                "  l{i} = {}local.l{}{}\n",
                "[".repeat(10),
                i - 1,
                "]".repeat(10)
            ));
        }
        text.push_str("  x = [");
        for i in 0..=60 {
            text.push_str(&format!("local.l{i}, "));
        }
        text.push_str("]\n}\n");
        let dir = tempfile::tempdir().unwrap();
        let (n, _) = eval_in(dir.path(), &text);
        assert!(n.contains_unknown());
    }

    #[test]
    fn names_chained_too_deep_are_an_error_where_the_depth_runs_out() {
        let mut text = String::from("locals {\n  x = local.a300\n  a0 = 1\n");
        for i in 1..=300 {
            text.push_str(&format!("  a{i} = local.a{} + 1\n", i - 1));
        }
        text.push_str("}\n");
        let dir = tempfile::tempdir().unwrap();
        let (n, errors) = eval_in(dir.path(), &text);
        assert!(n.is_unknown());
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .message
                .starts_with("evaluation nests deeper than 200 levels here"),
            "{}",
            errors[0].message
        );
        // At a reference in one of the locals written last (evaluated first).
        let at = &text[errors[0].span.range()];
        assert!(at.starts_with("local.a"), "{at}");
    }

    #[test]
    fn hostile_growth_stops() {
        // Doubling a string through locals, a huge format width, a loop over a big range.
        let mut text = String::from("locals {\n  s0 = \"xxxxxxxxxxxxxxxx\"\n");
        for i in 1..=40 {
            text.push_str(&format!(
                "  s{i} = \"${{local.s{}}}${{local.s{}}}\"\n",
                i - 1,
                i - 1
            ));
        }
        text.push_str("  x = [local.s40, format(\"%099999999d\", 1), length([for i in range(1000000) : [for j in range(1000000) : j]])]\n}\n");
        let dir = tempfile::tempdir().unwrap();
        let (n, _) = eval_in(dir.path(), &text);
        let items = n.as_list().unwrap();
        assert!(items.iter().all(Node::is_unknown), "{:?}", n.to_json());
    }

    #[test]
    fn sizes_are_checked_before_values_are_made_and_try_does_not_hide_them() {
        // One expression per line, with where its call starts in it: the error is there.
        let cases = [
            (
                "format(\"%999999999999999999999d\", 1)",
                0,
                "`format()` would make a string longer than",
            ),
            (
                "format(\"%.99999999999f\", 1)",
                0,
                "`format()` would make a string longer than",
            ),
            (
                "replace(format(\"%9999s\", \"\"), \"/ /\", join(\"\", [for i in range(2000) : \"$0\"]))",
                0,
                "`replace()` would make a string longer than",
            ),
            (
                "regexall(\"\", format(\"%2000000s\", \"\"))",
                0,
                "`regexall()` would make a value of 2000001 elements",
            ),
            (
                "try(indent(20, join(\"\\n\", range(1000000))), \"x\")",
                4,
                "`indent()` would make a string of",
            ),
        ];
        let mut module = String::from("locals {\n  x = [\n");
        for (expr, _, _) in &cases {
            module.push_str(&format!("    {expr},\n"));
        }
        module.push_str("  ]\n}\n");
        let dir = tempfile::tempdir().unwrap();
        let (n, errors) = eval_in(dir.path(), &module);
        let items = n.as_list().unwrap();
        let known: Vec<usize> = (0..items.len())
            .filter(|i| !items[*i].is_unknown())
            .collect();
        assert_eq!(known, Vec::<usize>::new(), "these are known");
        assert_eq!(errors.len(), cases.len(), "{errors:?}");
        let line_starts: Vec<usize> = module.match_indices('\n').map(|(i, _)| i + 1).collect();
        for (i, ((_, call_at, message), e)) in cases.iter().zip(&errors).enumerate() {
            assert!(e.message.starts_with(message), "{}", e.message);
            // Line i + 3, after its four spaces of indentation.
            assert_eq!(
                e.span.start as usize,
                line_starts[i + 1] + 4 + call_at,
                "{}",
                e.message
            );
        }
        // Within the limits the same functions work.
        assert_eq!(text("indent(3, \"a\\nb\")"), "a\n   b");
        assert_eq!(
            text("format(\"%5d|%-3s|%.2f\", 42, \"a\", 1)"),
            "   42|a  |1.00"
        );
        assert_eq!(text("length(format(\"%99999s\", \"\"))"), "99999");
        assert_eq!(text("replace(\"a-b\", \"/(\\\\w)/\", \"<$1>\")"), "<a>-<b>");
        assert_eq!(text("range(1, 10, 3)"), "[1,4,7]");
    }

    #[test]
    fn files_are_read_only_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("ok.txt"), "ok").unwrap();
        let (n, errors) = eval_in(&root, "locals {\n  x = file(\"ok.txt\")\n}\n");
        assert_eq!(n.as_str(), Some("ok"));
        assert!(errors.is_empty());
        assert!(n.origin.is_some(), "file() keeps the file's span as origin");
        for path in ["../secret.txt", "/etc/passwd"] {
            let (n, errors) = eval_in(
                &root,
                &format!("locals {{\n  x = try(file(\"{path}\"), \"fallback\")\n}}\n"),
            );
            assert!(n.is_unknown(), "{path}: never read, never a fallback");
            assert_eq!(errors.len(), 1, "{path}");
        }
        let (n, _) = eval_in(
            &root,
            "locals {\n  x = try(file(\"missing.txt\"), \"fallback\")\n}\n",
        );
        assert_eq!(n.as_str(), Some("fallback"));
        let (n, _) = eval_in(&root, "locals {\n  x = fileexists(\"ok.txt\")\n}\n");
        assert_eq!(n.as_bool(), Some(true));
    }
}
