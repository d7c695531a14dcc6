// Shared by the targets: run one text through a front end and every control.
use std::path::PathBuf;
use std::sync::Arc;

use cislint::graph::{Graph, InputKind, Unit};
use cislint::source::{FileId, SourceMap, Span};

pub fn with_graph(name: &str, text: &str, load: impl FnOnce(FileId, &mut Graph, cislint::graph::UnitId)) {
    let sources = SourceMap::default();
    let id = sources.add(PathBuf::from(name), Arc::from(text));
    let mut graph = Graph::default();
    let unit = graph.add_unit(Unit {
        kind: InputKind::CloudFormation,
        anchor: Span::new(id, 0, 0),
        name: name.into(),
    });
    load(id, &mut graph, unit);
    let outcome = cislint::engine::run(&graph, &sources, &|_| true);
    for f in outcome.findings.iter().chain(&outcome.undetermined) {
        let _ = sources.start(f.span);
        let _ = sources.end(f.span);
    }
}
