//! What Guard reads: one document per scanned unit.
//!
//! A CloudFormation template is given as it is written (re-parsed from its source text,
//! intrinsic functions in long form, `{"Ref": …}`), so existing Guard rule sets work
//! unchanged. A Terraform module or plan is given through a CloudFormation-shaped view:
//!
//! ```json
//! { "Resources": { "<address>": { "Type": "<terraform type>", "Properties": { … } } },
//!   "Data":      { "data.<type>.<name>": { "Type": "<terraform type>", "Properties": { … } } } }
//! ```
//!
//! `Properties` are the evaluated attributes (nested blocks as lists of maps); a value known
//! only at apply time is the string [`UNKNOWN`]. The view is a [`Node`] tree whose spans are
//! the Terraform source's, so that a path Guard reports leads back to a line and column.

use crate::graph::{Dialect, Graph, InputKind, UnitId};
use crate::parse::{json, yaml};
use crate::source::{SourceMap, Span};
use crate::value::{Key, Map, MapBuilder, Node, Value};

/// How a value known only at apply time appears to Guard rules.
pub const UNKNOWN: &str = "(known after apply)";

/// The document Guard evaluates for one unit.
#[derive(Debug)]
pub struct Document {
    pub unit: UnitId,
    /// A template as written, or a Terraform view.
    pub dialect: Dialect,
    /// The template as written, or the Terraform view.
    pub root: Node,
}

/// The documents of every unit of the graph, in unit order. A template that no longer
/// parses (it did when scanned) is left out.
pub fn documents(graph: &Graph, sources: &SourceMap) -> Vec<Document> {
    graph
        .units
        .iter()
        .enumerate()
        .filter_map(|(i, unit)| {
            let id = UnitId(i);
            let (root, dialect) = match unit.kind {
                InputKind::CloudFormation => {
                    (template(sources, unit.anchor)?, Dialect::CloudFormation)
                }
                InputKind::TerraformModule | InputKind::TerraformPlan => {
                    (terraform(graph, id, unit.anchor), Dialect::Terraform)
                }
            };
            Some(Document {
                unit: id,
                dialect,
                root,
            })
        })
        .collect()
}

/// Re-reads a template from its registered text: the graph keeps resolved values only.
fn template(sources: &SourceMap, anchor: Span) -> Option<Node> {
    let file = sources.get(anchor.file);
    let text = &file.text;
    let is_json = text.trim_start().starts_with('{');
    let parsed = if is_json {
        json::parse(anchor.file, text)
    } else {
        yaml::parse(anchor.file, text)
    };
    parsed.ok()
}

/// The CloudFormation-shaped view of a Terraform unit.
fn terraform(graph: &Graph, unit: UnitId, anchor: Span) -> Node {
    let mut resources = MapBuilder::default();
    let mut data = MapBuilder::default();
    for r in graph
        .resources
        .iter()
        .filter(|r| r.unit == unit && r.dialect == Dialect::Terraform)
    {
        let mut body = Map::default();
        body.insert(
            key("Type", r.span),
            Node::new(Value::String(r.rtype.as_str().into()), r.span),
        );
        body.insert(
            key("Properties", r.span),
            Node::new(Value::Map(r.attrs.clone()), r.span),
        );
        let target = if r.is_data { &mut data } else { &mut resources };
        target.insert(key(&r.address, r.span), Node::new(Value::Map(body), r.span));
    }
    let mut root = Map::default();
    root.insert(
        key("Resources", anchor),
        Node::new(Value::Map(resources.finish()), anchor),
    );
    let data = data.finish();
    if !data.is_empty() {
        root.insert(key("Data", anchor), Node::new(Value::Map(data), anchor));
    }
    Node::new(Value::Map(root), anchor)
}

fn key(name: &str, span: Span) -> Key {
    Key {
        name: name.to_string(),
        span,
    }
}

/// The JSON Guard reads: unknowns become [`UNKNOWN`], whole numbers are integers (Guard
/// compares `22` and `22.0` as different types).
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Unknown => J::String(UNKNOWN.into()),
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => J::from(*n as i64),
        Value::Number(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.to_string()),
        Value::List(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => J::Object(
            m.iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect(),
        ),
    }
}

/// `cislint guard-view`: every unit's document, keyed by the unit's name (the template
/// file, the module directory or the plan file), as pretty JSON.
pub fn render(graph: &Graph, sources: &SourceMap) -> String {
    let mut out = serde_json::Map::new();
    for doc in documents(graph, sources) {
        let name = graph.units[doc.unit.0].name.clone();
        out.insert(name, to_json(&doc.root));
    }
    let mut s = crate::render::escape::json(
        serde_json::to_string_pretty(&serde_json::Value::Object(out)).unwrap_or_default(),
    );
    s.push('\n');
    s
}

/// `cislint guard-view PATH…`: scans the paths and renders their documents. Returns the
/// JSON, one line per input that could not be read or parsed (its document is missing), and
/// the exit status: 2 when there is such a line.
pub fn command(
    paths: &[std::path::PathBuf],
    root: &crate::root::ProjectRoot,
) -> (String, Vec<String>, u8) {
    let inputs = crate::discover::discover(paths, root);
    let scanned = crate::scan::scan(inputs);
    let text = render(&scanned.graph, &scanned.sources);
    let mut problems: Vec<String> = scanned
        .errors
        .iter()
        .map(|e| {
            let at = scanned.sources.start(e.span);
            let path = scanned.sources.get(e.span.file).path.display().to_string();
            format!("error: {path}:{}:{}: {}", at.line, at.column, e.message)
        })
        .collect();
    problems.extend(
        scanned
            .path_errors
            .iter()
            .map(|(p, m)| format!("error: {}: {m}", p.display())),
    );
    let code = if problems.is_empty() { 0 } else { 2 };
    // Warnings (a symlink out of the root) are printed too, without failing.
    problems.extend(scanned.notices.iter().map(|n| {
        let path = n.file.as_deref().unwrap_or(std::path::Path::new("cislint"));
        format!("warning[{}]: {}: {}", n.code, path.display(), n.en)
    }));
    (text, problems, code)
}

/// Whether a template value is an intrinsic function (`{"Ref": …}`, `{"Fn::If": […]}`):
/// Guard sees the function, not the value it stands for at deployment.
pub fn is_intrinsic(node: &Node) -> bool {
    match &node.value {
        Value::Map(m) if m.len() == 1 => {
            let k = &m.entries[0].0.name;
            k == "Ref" || k == "Condition" || k.starts_with("Fn::")
        }
        _ => false,
    }
}

/// Whether a template value is, or holds, an intrinsic function.
pub fn has_intrinsic(node: &Node) -> bool {
    is_intrinsic(node)
        || match &node.value {
            Value::List(items) => items.iter().any(has_intrinsic),
            Value::Map(m) => m.iter().any(|(_, v)| has_intrinsic(v)),
            _ => false,
        }
}
