#![no_main]
//! Plan JSON reading, then every control.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    common::with_graph("tfplan.json", text, |id, graph, unit| {
        if let Ok(root) = cislint::parse::json::parse(id, text) {
            cislint::parse::plan::load(&root, graph, unit);
        }
    });
});
