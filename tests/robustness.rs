//! No input makes cislint panic: random bytes and random mutations of real fixtures go
//! through every front end and every control.

use std::path::PathBuf;
use std::sync::Arc;

use proptest::prelude::*;

use cislint::graph::{Graph, InputKind, Unit};
use cislint::parse::{cloudformation, json, plan, yaml};
use cislint::source::{SourceMap, Span};

/// Runs one text through the front end of `kind` and all controls; must not panic.
fn run(kind: &str, text: &str) {
    let sources = SourceMap::default();
    let id = sources.add(PathBuf::from(format!("input.{kind}")), Arc::from(text));
    let mut graph = Graph::default();
    let unit = graph.add_unit(Unit {
        kind: InputKind::CloudFormation,
        anchor: Span::new(id, 0, 0),
        name: "input".into(),
    });
    match kind {
        "tf" => {
            if let Ok(parsed) = cislint::terraform::parse_file(id, text) {
                cislint::terraform::load_module(
                    std::slice::from_ref(&parsed),
                    &mut graph,
                    unit,
                    &[],
                );
            }
        }
        "json" | "yaml" => {
            let root = if kind == "json" {
                json::parse(id, text)
            } else {
                yaml::parse(id, text)
            };
            if let Ok(root) = root {
                if plan::is_plan(&root) {
                    plan::load(&root, &mut graph, unit);
                } else {
                    let _ = cloudformation::load(&root, &mut graph, unit);
                }
            }
        }
        _ => unreachable!(),
    }
    let outcome = cislint::engine::run(&graph, &sources, &|_| true);
    for f in outcome.findings.iter().chain(&outcome.undetermined) {
        let _ = sources.start(f.span);
        let _ = f.message(cislint::catalog::Lang::Ja);
    }
}

fn fixtures() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let kind = match p.extension().and_then(|x| x.to_str()) {
                Some("tf") => "tf",
                Some("json") => "json",
                Some("yaml") | Some("yml") => "yaml",
                _ => continue,
            };
            out.push((kind.to_string(), std::fs::read_to_string(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// Applies byte-level mutations (delete, insert, replace), keeping UTF-8 valid.
fn mutate(text: &str, edits: &[(usize, u8, u8)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(pos, op, byte) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let i = pos % bytes.len();
        const ALPHABET: &[u8] = b"{}[]()\"'$:!*&|#\n -=,.0aZ\\";
        let b = ALPHABET[byte as usize % ALPHABET.len()];
        match op % 3 {
            0 => {
                bytes.remove(i);
            }
            1 => bytes.insert(i, b),
            _ => bytes[i] = b,
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in ".{0,400}", kind in prop::sample::select(vec!["tf", "json", "yaml"])) {
        run(kind, &text);
    }

    #[test]
    fn mutated_fixtures_never_panic(
        index in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12),
    ) {
        let all = fixtures();
        let (kind, text) = index.get(&all);
        run(kind, &mutate(text, &edits));
    }
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    run("json", &"[".repeat(100_000));
    run("yaml", &"- ".repeat(50_000));
    run("yaml", &"{a: ".repeat(50_000));
    run("tf", &format!("locals {{ x = {} }}", "[".repeat(50_000)));
    run(
        "tf",
        &format!(
            "locals {{ x = {}1{} }}",
            "(".repeat(10_000),
            ")".repeat(10_000)
        ),
    );
}
