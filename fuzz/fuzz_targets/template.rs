#![no_main]
//! Template files (`templatefile()`) and `.tf.json` files: their `"${…}"` strings are
//! templates too, and the JSON front end of the Terraform evaluator.
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = cislint::terraform::balance::parse_template(text);
    common::with_graph("main.tf.json", text, |id, graph, unit| {
        let path = std::path::Path::new("main.tf.json");
        if let Ok(parsed) = cislint::terraform::parse_any(path, id, text) {
            cislint::terraform::load_module(std::slice::from_ref(&parsed), graph, unit, &[]);
        }
    });
});
