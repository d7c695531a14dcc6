#![no_main]
//! The HCL front end and the Terraform evaluator, then every control.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    common::with_graph("main.tf", text, |id, graph, unit| {
        if let Ok(parsed) = cislint::terraform::parse_file(id, text) {
            cislint::terraform::load_module(std::slice::from_ref(&parsed), graph, unit, &[]);
        }
    });
});
