//! Unknown is never a pass and never a violation, for every control and every setting it
//! reads: a property checked by mutation, not by listing attributes.
//!
//! Every fixture case of a control (`testdata/<section>/<cis>-<rule-id>/…`, and the
//! monitoring chains of `testdata/3-monitoring/chains`) is scanned once.
//! Then each value of each resource, at every depth, is replaced in the graph by an unknown
//! (what `var.unset` evaluates to: no value, no reference) and, when needed, by known values
//! of the same kind (booleans, port numbers, CIDRs, `*`, the fixture's own strings, `null`).
//! The resource's existence is varied the same way (it may not be created). The controls
//! are run on each variant, in both scopes, and their scorecard status computed as for a
//! real run. For every unknown variant and every control:
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

/// The monitoring chain cases varied (each takes seconds: fourteen chains).
const CHAIN_CASES: &[&str] = &[
    "pass-tf",
    "pass-cfn",
    "fail-tf",
    "fail-cfn",
    "fail-plan",
    "undetermined-tf-actions",
];

/// The fixture cases below a control's folder, with the control they are for, and the
/// monitoring chain cases with the controls their `# select:` line names.
fn cases() -> Vec<(PathBuf, Vec<&'static Control>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut out = Vec::new();
    for section in sorted_dirs(&root) {
        for folder in sorted_dirs(&section) {
            let name = folder.file_name().unwrap().to_string_lossy().to_string();
            let control = name
                .split_once('-')
                .and_then(|(_, id)| ALL.iter().find(|c| c.id == id));
            let mut stack = vec![folder.clone()];
            while let Some(dir) = stack.pop() {
                let expected = std::fs::read_to_string(dir.join("expected.txt"));
                if let Ok(text) = expected {
                    let controls: Vec<&Control> = match control {
                        Some(c) => vec![c],
                        // The chains whose shapes the other chain cases repeat.
                        None if folder.ends_with("3-monitoring/chains")
                            && CHAIN_CASES.iter().any(|c| dir.ends_with(c)) =>
                        {
                            text.lines()
                                .find_map(|l| l.trim().strip_prefix("# select:"))
                                .map(|ids| {
                                    ids.split(',')
                                        .filter_map(|id| ALL.iter().find(|c| c.id == id.trim()))
                                        .collect()
                                })
                                .unwrap_or_default()
                        }
                        None => Vec::new(),
                    };
                    if !controls.is_empty() {
                        out.push((dir.clone(), controls));
                    }
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

/// One scanned case, ready to run its controls on variants of its graph.
struct Case {
    controls: Vec<&'static Control>,
    scanned: cislint::scan::Scanned,
    report: Option<cislint::credential_report::CredentialReport>,
    as_of: i64,
}

fn load(dir: &Path, controls: Vec<&'static Control>) -> Case {
    let inputs =
        cislint::discover::discover(&[dir.to_path_buf()], &cislint::root::ProjectRoot::at(dir));
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
        controls,
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
    if f.absence {
        return ABSENCE.to_string();
    }
    format!(
        "{} {}:{}-{}",
        f.resource, f.span.file.0, f.span.start, f.span.end
    )
}

/// An absence has no place of its own: any undetermined finding of the control stands for
/// it (an unknown that may provide what is missing is reported where it is).
const ABSENCE: &str = "absence";

/// Both scopes, in the order of a run's verdicts.
const SCOPES: [Scope; 2] = [Scope::Resources, Scope::Account];

impl Case {
    /// The verdict of each control in each scope: for every scope of [`SCOPES`], one per
    /// control in `controls` order (the model is built once for both).
    fn run(&self, graph: &Graph) -> Vec<Verdict> {
        let model = Model::build(graph, &self.scanned.sources);
        let mut out = Vec::new();
        for scope in SCOPES {
            let cx = Context {
                graph,
                model: &model,
                sources: &self.scanned.sources,
                credential_report: self.report.as_ref(),
                as_of: self.as_of,
                scope,
            };
            out.extend(
                self.controls
                    .iter()
                    .map(|control| self.verdict(&cx, control)),
            );
        }
        out
    }

    fn verdict(&self, cx: &Context<'_>, control: &Control) -> Verdict {
        let mut out = Findings::default();
        (control.check)(cx, &mut out);
        let mut outcome = Outcome::default();
        for f in out.findings {
            if f.undetermined {
                outcome.undetermined.push(f);
            } else {
                outcome.findings.push(f);
            }
        }
        outcome.evaluated = out.evaluated;
        let rows = scorecard::compute(&scorecard::Inputs {
            outcome: &outcome,
            graph: cx.graph,
            scope: cx.scope,
            has_credential_report: self.report.is_some(),
            selected: &|r: &str| r == control.id,
        });
        Verdict {
            definite: outcome.findings.iter().map(describe).collect(),
            undetermined: outcome.undetermined.iter().map(describe).collect(),
            status: rows[0].status,
        }
    }

    /// The control and scope of the i-th verdict of a run, for messages.
    fn label(&self, i: usize) -> String {
        let n = self.controls.len();
        format!("{} ({:?} scope)", self.controls[i % n].id, SCOPES[i / n])
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
    let s = |x: &str| Value::String(x.into());
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

/// The strings that may link resources, for candidates: every short string value that
/// occurs more than once in the graph (a name given and used), or, in a small graph, every
/// short one.
fn strings(graph: &Graph) -> Vec<String> {
    fn walk(n: &Node, out: &mut std::collections::BTreeMap<String, usize>) {
        match &n.value {
            Value::String(s) if s.len() <= 120 => *out.entry(s.to_string()).or_default() += 1,
            Value::Map(m) => m.entries.iter().for_each(|(_, v)| walk(v, out)),
            Value::List(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut counts = std::collections::BTreeMap::new();
    for r in &graph.resources {
        for (_, v) in r.attrs.iter() {
            walk(v, &mut counts);
        }
    }
    let small = graph.resources.len() <= 12;
    counts
        .into_iter()
        .filter(|(_, n)| small || *n > 1)
        .map(|(s, _)| s)
        .collect()
}

/// Judges one unknown variant of a case against the known values it stands for: `vary`
/// changes the graph (`None`: to the unknown variant, `Some(i)`: to the i-th of `knowns`
/// known variants) and restores it when called with `Reset`.
enum Variant {
    Unknown,
    Known(usize),
    Reset,
}

fn judge(
    case: &mut Case,
    base: &[Verdict],
    at: &str,
    knowns: usize,
    describe_known: &dyn Fn(usize) -> String,
    vary: &dyn Fn(&mut Graph, Variant),
) -> Vec<String> {
    let mut problems = Vec::new();
    vary(&mut case.scanned.graph, Variant::Unknown);
    let unknown = case.run(&case.scanned.graph);
    // The controls whose unknown variant has no undetermined finding of its own (one
    // covers whatever the value may be): they must hold every known variant's violations.
    let mut open = Vec::new();
    for (c, (u, b)) in unknown.iter().zip(base).enumerate() {
        let id = case.label(c);
        let invented: Vec<_> = u.definite.difference(&b.definite).collect();
        if !invented.is_empty() {
            problems.push(format!("{at}: {id}: unknown made a violation {invented:?}"));
        }
        if u.undetermined.is_subset(&b.undetermined) {
            let dropped: Vec<_> = b.definite.iter().filter(|f| !held(u, f)).collect();
            if !dropped.is_empty() {
                problems.push(format!(
                    "{at}: {id}: unknown dropped a violation {dropped:?} without a word"
                ));
            }
            open.push(c);
        }
    }
    for i in 0..knowns {
        if open.is_empty() {
            break;
        }
        vary(&mut case.scanned.graph, Variant::Known(i));
        let known = case.run(&case.scanned.graph);
        open.retain(|&c| {
            let (u, k) = (&unknown[c], &known[c]);
            let missed: Vec<_> = k.definite.iter().filter(|f| !held(u, f)).collect();
            let silent = match u.status {
                Status::Pass => k.status != Status::Pass,
                _ => !missed.is_empty(),
            };
            if silent {
                problems.push(format!(
                    "{at}: {}: unknown gives `{}` but {} gives `{}` {missed:?}",
                    case.label(c),
                    u.status.as_str(),
                    describe_known(i),
                    k.status.as_str()
                ));
            }
            !silent
        });
    }
    vary(&mut case.scanned.graph, Variant::Reset);
    problems
}

/// Whether the unknown variant holds a violation: as one, or as undetermined at the same
/// place (an absence: anywhere).
fn held(unknown: &Verdict, f: &String) -> bool {
    unknown.definite.contains(f)
        || unknown.undetermined.contains(f)
        || (f == ABSENCE && !unknown.undetermined.is_empty())
}

/// Where a variant is, for messages.
fn place(case: &Case, dir: &Path, r: usize, span: cislint::source::Span) -> String {
    let res = &case.scanned.graph.resources[r];
    let lc = case.scanned.sources.start(span);
    format!(
        "{} at {}:{}:{} of `{}`",
        dir.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(dir)
            .display(),
        case.scanned.sources.get(span.file).path.display(),
        lc.line,
        lc.column,
        res.address
    )
}

/// The resources that another resource references.
fn referenced(graph: &Graph) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for r in &graph.resources {
        for (_, v) in r.attrs.iter() {
            for (id, _) in graph.targets(r.unit, v) {
                out.insert(id.0);
            }
        }
    }
    out
}

/// How many resources of one type of a case have their values varied.
const PER_TYPE: usize = 3;

/// Checks every unknown variant of one case; returns what went wrong.
fn check_case(dir: &Path, controls: &[&'static Control]) -> Vec<String> {
    let mut case = load(dir, controls.to_vec());
    let strings = strings(&case.scanned.graph);
    let mut problems = Vec::new();
    {
        let base = case.run(&case.scanned.graph);
        let referenced = referenced(&case.scanned.graph);
        for r in 0..case.scanned.graph.resources.len() {
            let res = &case.scanned.graph.resources[r];
            let (rtype, conditional, is_data) = (res.rtype.clone(), res.conditional, res.is_data);
            // The resource may not be created (`count`, `Condition`): known variant, not
            // created (gone from every control's view). Not for a data source, nor for a
            // resource others reference (they could not be deployed without it).
            let at = format!("{}: existence", place(&case, dir, r, res.span));
            if !is_data && !referenced.contains(&r) {
                problems.extend(judge(
                    &mut case,
                    &base,
                    &at,
                    1,
                    &|_| "not creating it".to_string(),
                    &|g, v| {
                        let res = &mut g.resources[r];
                        (res.conditional, res.rtype, res.is_data) = match v {
                            Variant::Unknown => (true, rtype.clone(), is_data),
                            Variant::Known(_) => (false, format!("{rtype}-not-created"), true),
                            Variant::Reset => (conditional, rtype.clone(), is_data),
                        };
                    },
                ));
            }
            // Values: of the first few resources of each type (the monitoring fixtures
            // repeat one chain's shape fourteen times).
            let same_type = case.scanned.graph.resources[..r]
                .iter()
                .filter(|o| o.rtype == rtype)
                .count();
            if same_type >= PER_TYPE {
                continue;
            }
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
                // A CloudFormation value known only at deploy time is a parameter: never
                // null, and never empty where an id or a name is read.
                let cloudformation = case.scanned.graph.resources[r].dialect
                    == cislint::graph::Dialect::CloudFormation;
                let values: Vec<Value> = candidates(&original.value, &strings)
                    .into_iter()
                    .filter(|v| {
                        let never = matches!(v, Value::Null)
                            || matches!(v, Value::String(s) if s.is_empty());
                        !(cloudformation && never)
                    })
                    .collect();
                let at = format!("{}: value", place(&case, dir, r, original.span));
                problems.extend(judge(
                    &mut case,
                    &base,
                    &at,
                    values.len(),
                    &|i| format!("{:?}", values[i]),
                    &|g, v| {
                        let attrs = &mut g.resources[r].attrs;
                        *attrs = saved.clone();
                        let value = match v {
                            Variant::Unknown => Value::Unknown,
                            Variant::Known(i) => values[i].clone(),
                            Variant::Reset => return,
                        };
                        *node_at_mut(attrs, &path) = Node::new(value, original.span);
                    },
                ));
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
        .iter()
        .flat_map(|(dir, controls)| {
            let t = std::time::Instant::now();
            let p = check_case(dir, controls);
            if std::env::var("UNKNOWNS_TIMING").is_ok() {
                eprintln!("{:>8.2}s {}", t.elapsed().as_secs_f64(), dir.display());
            }
            p
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} unknowns decided a control:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
