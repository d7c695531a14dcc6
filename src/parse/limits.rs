//! Limits that keep a scan bounded on hostile input.
//!
//! The nesting depth is fixed: recursive parsers and walks rely on it to stay within their
//! stacks. The other limits are budgets of time and memory, [`Limits`], which `[limits]`
//! in `cislint.toml` may raise or lower for a run.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Deepest nesting of arrays/objects/mappings accepted in JSON, YAML and HCL values.
pub const MAX_DEPTH: usize = 256;

/// The time and memory budgets of a scan (`[limits]` in `cislint.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Limits {
    /// Largest file read, in bytes.
    pub file_size: u64,
    /// Largest number of nodes aliases may copy into a YAML document (alias bombs); a string
    /// counts one node more for every 64 bytes.
    pub yaml_alias_nodes: usize,
    /// Largest number of nodes of one YAML document, aliases included.
    pub yaml_nodes: usize,
    /// Largest number of instances one `count`/`for_each` may expand to.
    pub instances: usize,
    /// Deepest module nesting (a module that calls itself stops here with an error).
    pub module_depth: usize,
    /// Largest number of module instances one root module may expand to.
    pub module_instances: usize,
    /// Steps of work one root module (with its modules) or one template may spend: an
    /// expression evaluated, an element produced or copied, 64 bytes of string produced.
    pub eval_steps: u64,
    /// Largest value one expression may make, in elements (list and map entries at any
    /// depth); larger is an error at the expression, and unknown.
    pub value_size: u64,
    /// Largest value one expression may make, in bytes of its strings; larger is an error at
    /// the expression, and unknown.
    pub value_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_size: 64 * 1024 * 1024,
            yaml_alias_nodes: 1_000_000,
            yaml_nodes: 20_000_000,
            instances: 10_000,
            module_depth: 32,
            module_instances: 5_000,
            eval_steps: 5_000_000,
            value_size: 1_000_000,
            value_bytes: 16 * 1024 * 1024,
        }
    }
}

static CURRENT: OnceLock<Limits> = OnceLock::new();

/// The limits of this process: those given to [`set`], else the defaults.
pub fn get() -> Limits {
    CURRENT.get().copied().unwrap_or_default()
}

/// Sets the limits of this process, once, before scanning (later calls are ignored: a
/// scan must not see its budgets change half-way).
pub fn set(limits: Limits) {
    let _ = CURRENT.set(limits);
}

/// Returns the offset where bracket nesting first exceeds `MAX_DEPTH`, counting `[`/`{`
/// outside of double-quoted strings. Cheap pre-check before recursive parsers run.
pub fn excessive_nesting(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A byte count for messages: whole MiB when it is one, bytes otherwise.
pub fn bytes_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}
