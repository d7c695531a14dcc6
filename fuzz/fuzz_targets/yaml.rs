#![no_main]
//! The YAML front end and CloudFormation resolution, then every control.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    common::with_graph("template.yaml", text, |id, graph, unit| {
        if let Ok(root) = cislint::parse::yaml::parse(id, text) {
            let _ = cislint::parse::cloudformation::load(&root, graph, unit);
        }
    });
});
