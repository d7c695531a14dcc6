#![no_main]
//! The IAM policy-document parser on a JSON string, with span mapping.
use std::path::PathBuf;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

use cislint::source::{SourceMap, Span};
use cislint::value::{Node, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sources = SourceMap::default();
    let quoted = format!("{text:?}");
    let id = sources.add(PathBuf::from("policy.tf"), Arc::from(quoted.as_str()));
    let node = Node::new(Value::String(text.into()), Span::new(id, 0, quoted.len()));
    if let Some(json) = cislint::policy::locate::json_node(&node, &sources) {
        let policy = cislint::policy::document::from_node(&json, &sources);
        for s in &policy.statements {
            let _ = s.grants_full_admin();
            let _ = s.allows_public();
        }
    }
});
