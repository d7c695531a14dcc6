//! Limits that keep a scan bounded on hostile input.

/// Deepest nesting of arrays/objects/mappings accepted in JSON, YAML and HCL values.
pub const MAX_DEPTH: usize = 256;

/// Largest number of nodes aliases may copy into a YAML document (alias bombs).
pub const MAX_YAML_ALIAS_NODES: usize = 1_000_000;

/// Largest number of nodes of one YAML document, aliases included.
pub const MAX_YAML_NODES: usize = 20_000_000;

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

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
