//! Unknown is never a pass and never a violation, for every control and every setting it
//! reads: a property checked by mutation, not by listing attributes.
//!
//! Every fixture case of a control (`testdata/<section>/<cis>-<rule-id>/…`) is scanned once.
//! Then each value of each resource, at every depth, is replaced in the graph by an unknown
//! (what `var.unset` evaluates to: no value, no reference) and, when needed, by known values
//! of the same kind (booleans, port numbers, CIDRs, `*`, the fixture's own strings, `null`).
//! The control is run on each variant, in both scopes, and the scorecard status computed as
//! for a real run. For every unknown variant:
//!
//! - it has no violation that the original code does not have (an unknown decides nothing);
//! - it is `pass` only if every known variant is `pass` too (no silent pass);
//! - unless it has an undetermined finding of its own, every violation of every known
//!   variant (the original value included) is a violation of the unknown variant too: what
//!   the value decides is never dropped without a word.
//!
//! A control that reads a setting and ignores its unknown fails here without a fixture of
//! its own.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use cislint::checks::{ALL, Context, Control};
use cislint::engine::Outcome;
use cislint::finding::{Finding, Findings};
use cislint::graph::Graph;
use cislint::model::Model;
use cislint::scope::Scope;
use cislint::scorecard::{self, Status};
use cislint::value::{Node, Value};
use rayon::prelude::*;

/// The fixture cases below a control's folder, with the control they are for.
fn cases() -> Vec<(PathBuf, &'static Control)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut out = Vec::new();
    for section in sorted_dirs(&root) {
        for folder in sorted_dirs(&section) {
            let name = folder.file_name().unwrap().to_string_lossy().to_string();
            let Some(control) = name
                .split_once('-')
                .and_then(|(_, id)| ALL.iter().find(|c| c.id == id))
            else {
                continue;
            };
            let mut stack = vec![folder];
            while let Some(dir) = stack.pop() {
                if dir.join("expected.txt").is_file() {
                    out.push((dir.clone(), control));
                }
                stack.extend(sorted_dirs(&dir));
            }
        }
    }
    out
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// One scanned case, ready to run its control on variants of its graph.
struct Case {
    control: &'static Control,
    scanned: cislint::scan::Scanned,
    report: Option<cislint::credential_report::CredentialReport>,
    as_of: i64,
}

fn load(dir: &Path, control: &'static Control) -> Case {
    let inputs = cislint::discover::discover(&[dir.to_path_buf()], &globset::GlobSet::empty());
    let mut scanned = cislint::scan::scan(inputs);
    let csv = dir.join("credential-report.csv");
    let report = csv
        .is_file()
        .then(|| cislint::load_credential_report(&mut scanned, &csv))
        .flatten();
    let as_of = std::fs::read_to_string(dir.join("expected.txt"))
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.trim()
                    .strip_prefix("# as-of:")
                    .map(str::trim)
                    .map(String::from)
            })
        })
        .and_then(|d| cislint::credential_report::parse_day(&d))
        .unwrap_or_else(cislint::credential_report::today);
    Case {
        control,
        scanned,
        report,
        as_of,
    }
}

/// What one run of the control gave: its violations, its undetermined findings, its status.
#[derive(Debug, Clone, PartialEq)]
struct Verdict {
    definite: BTreeSet<String>,
    undetermined: BTreeSet<String>,
    status: Status,
}

/// A finding as the properties compare it: where and on what (not its message, which may
/// say more or less about the same violation).
fn describe(f: &Finding) -> String {
    format!(
        "{} {}:{}-{}",
        f.resource, f.span.file.0, f.span.start, f.span.end
    )
}

impl Case {
    fn run(&self, graph: &Graph, scope: Scope) -> Verdict {
        let model = Model::build(graph, &self.scanned.sources);
        let cx = Context {
            graph,
            model: &model,
            sources: &self.scanned.sources,
            credential_report: self.report.as_ref(),
            as_of: self.as_of,
            scope,
        };
        let mut out = Findings::default();
        (self.control.check)(&cx, &mut out);
        let mut outcome = Outcome::default();
        for f in out.findings {
            if f.undetermined {
                outcome.undetermined.push(f);
            } else {
                outcome.findings.push(f);
            }
        }
        outcome.evaluated = out.evaluated;
        let id = self.control.id;
        let rows = scorecard::compute(&scorecard::Inputs {
            outcome: &outcome,
            graph,
            scope,
            has_credential_report: self.report.is_some(),
            selected: &|r: &str| r == id,
        });
        Verdict {
            definite: outcome.findings.iter().map(describe).collect(),
            undetermined: outcome.undetermined.iter().map(describe).collect(),
            status: rows[0].status,
        }
    }
}

/// Paths (entry or item indices from the resource's attributes down) of every value.
fn value_paths(node: &Node, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    match &node.value {
        Value::Map(m) => {
            for (i, (_, v)) in m.entries.iter().enumerate() {
                prefix.push(i);
                out.push(prefix.clone());
                value_paths(v, prefix, out);
                prefix.pop();
            }
        }
        Value::List(items) => {
            for (i, v) in items.iter().enumerate() {
                prefix.push(i);
                out.push(prefix.clone());
                value_paths(v, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_at<'a>(attrs: &'a cislint::value::Map, path: &[usize]) -> &'a Node {
    let mut node = &attrs.entries[path[0]].1;
    for i in &path[1..] {
        node = match &node.value {
            Value::Map(m) => &m.entries[*i].1,
            Value::List(items) => &items[*i],
            _ => unreachable!("paths follow the value"),
        };
    }
    node
}

fn node_at_mut<'a>(attrs: &'a mut cislint::value::Map, path: &[usize]) -> &'a mut Node {
    let mut node = &mut attrs.entries.to_mut()[path[0]].1;
    for i in &path[1..] {
        node = match &mut node.value {
            Value::Map(m) => &mut m.entries.to_mut()[*i].1,
            Value::List(items) => &mut items.to_mut()[*i],
            _ => unreachable!("paths follow the value"),
        };
    }
    node
}

/// Known values that could stand where `original` is: the same kind, `null`, and the
/// strings the fixture itself uses (names link resources).
fn candidates(original: &Value, strings: &[String]) -> Vec<Value> {
    let s = |x: &str| Value::String(x.to_string());
    let mut out = vec![Value::Null];
    match original {
        Value::Bool(_) => out.extend([Value::Bool(true), Value::Bool(false)]),
        Value::Number(_) => out.extend(
            [0.0, 1.0, -1.0, 6.0, 14.0, 22.0, 24.0, 90.0, 3389.0, 65535.0].map(Value::Number),
        ),
        Value::String(_) => {
            out.extend(
                [
                    "",
                    "true",
                    "false",
                    "0",
                    "-1",
                    "22",
                    "3389",
                    "tcp",
                    "all",
                    "0.0.0.0/0",
                    "::/0",
                    "*",
                    "*:*",
                    "ingress",
                    "egress",
                    "REJECT",
                    "ACCEPT",
                    "ALL",
                    "SECURITY",
                    "Allow",
                    "Deny",
                ]
                .map(s),
            );
            out.extend(strings.iter().map(|x| s(x)));
        }
        Value::List(_) => {
            let list = |items: &[&str]| {
                Value::list(
                    items
                        .iter()
                        .map(|x| Node::new(s(x), cislint::source::Span::default()))
                        .collect(),
                )
            };
            out.extend([list(&[]), list(&["0.0.0.0/0"]), list(&["*"])]);
        }
        _ => {}
    }
    out
}

/// Every short string value of the graph, for candidates.
fn strings(graph: &Graph) -> Vec<String> {
    fn walk(n: &Node, out: &mut BTreeSet<String>) {
        match &n.value {
            Value::String(s) if s.len() <= 120 => {
                out.insert(s.clone());
            }
            Value::Map(m) => m.entries.iter().for_each(|(_, v)| walk(v, out)),
            Value::List(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for r in &graph.resources {
        for (_, v) in r.attrs.iter() {
            walk(v, &mut out);
        }
    }
    out.into_iter().collect()
}

/// Checks every unknown variant of one case; returns what went wrong.
fn check_case(dir: &Path, control: &'static Control) -> Vec<String> {
    let mut case = load(dir, control);
    let strings = strings(&case.scanned.graph);
    let mut problems = Vec::new();
    for scope in [Scope::Resources, Scope::Account] {
        let base = case.run(&case.scanned.graph, scope);
        for r in 0..case.scanned.graph.resources.len() {
            let saved = case.scanned.graph.resources[r].attrs.clone();
            let mut paths = Vec::new();
            for (i, (_, v)) in saved.entries.iter().enumerate() {
                paths.push(vec![i]);
                value_paths(v, &mut vec![i], &mut paths);
            }
            for path in paths {
                let original = node_at(&saved, &path).clone();
                if original.contains_unknown() {
                    continue;
                }
                // A plan shows nested blocks nobody wrote as unknown (computed): the model
                // reads an unknown block list there as unwritten.
                let unit = case.scanned.graph.resources[r].unit;
                if path.len() == 1
                    && matches!(original.value, Value::List(_))
                    && case.scanned.graph.is_plan(unit)
                {
                    continue;
                }
                let set = |case: &mut Case, value: Value| {
                    let attrs = &mut case.scanned.graph.resources[r].attrs;
                    *attrs = saved.clone();
                    *node_at_mut(attrs, &path) = Node::new(value, original.span);
                };
                set(&mut case, Value::Unknown);
                let unknown = case.run(&case.scanned.graph, scope);
                let at = {
                    let res = &case.scanned.graph.resources[r];
                    let lc = case.scanned.sources.start(original.span);
                    format!(
                        "{} ({scope:?} scope) {} value at {}:{}:{} of `{}`",
                        dir.strip_prefix(env!("CARGO_MANIFEST_DIR"))
                            .unwrap_or(dir)
                            .display(),
                        control.id,
                        case.scanned.sources.get(original.span.file).path.display(),
                        lc.line,
                        lc.column,
                        res.address
                    )
                };
                let at = || at.clone();
                let invented: Vec<_> = unknown.definite.difference(&base.definite).collect();
                if !invented.is_empty() {
                    problems.push(format!("{}: unknown made a violation {invented:?}", at()));
                }
                // An undetermined finding of its own covers whatever the value may be.
                if !unknown.undetermined.is_subset(&base.undetermined) {
                    case.scanned.graph.resources[r].attrs = saved.clone();
                    continue;
                }
                // A violation the unknown variant holds, or holds as undetermined there.
                let held =
                    |f: &String| unknown.definite.contains(f) || unknown.undetermined.contains(f);
                let dropped: Vec<_> = base.definite.iter().filter(|f| !held(f)).collect();
                if !dropped.is_empty() {
                    problems.push(format!(
                        "{}: unknown dropped a violation {dropped:?} without a word",
                        at()
                    ));
                }
                // A CloudFormation value known only at deploy time is a parameter: never
                // null, and never empty where an id or a name is read.
                let cloudformation = case.scanned.graph.resources[r].dialect
                    == cislint::graph::Dialect::CloudFormation;
                let values = candidates(&original.value, &strings)
                    .into_iter()
                    .filter(|v| {
                        let never = matches!(v, Value::Null)
                            || matches!(v, Value::String(s) if s.is_empty());
                        !(cloudformation && never)
                    });
                for value in values {
                    set(&mut case, value.clone());
                    let known = case.run(&case.scanned.graph, scope);
                    let missed: Vec<_> = known.definite.iter().filter(|f| !held(f)).collect();
                    let silent = match unknown.status {
                        Status::Pass => known.status != Status::Pass,
                        _ => !missed.is_empty(),
                    };
                    if silent {
                        problems.push(format!(
                            "{}: unknown gives `{}` but {value:?} gives `{}` {missed:?}",
                            at(),
                            unknown.status.as_str(),
                            known.status.as_str()
                        ));
                        break;
                    }
                }
                case.scanned.graph.resources[r].attrs = saved.clone();
            }
        }
    }
    problems
}

#[test]
fn an_unknown_value_is_never_a_pass_nor_a_violation() {
    let all = cases();
    assert!(all.len() > 150, "fixture cases missing: {}", all.len());
    let problems: Vec<String> = all
        .par_iter()
        .flat_map(|(dir, control)| check_case(dir, control))
        .collect();
    assert!(
        problems.is_empty(),
        "{} unknowns decided a control:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
