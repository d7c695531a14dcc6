//! Policies written as strings, turned into JSON-shaped nodes whose spans point into the
//! source, so that a finding on a statement lands on that statement:
//!
//! 1. `jsonencode(x)`: the evaluator keeps `x` (`Node::encoded`) with its own spans;
//! 2. `file("p.json")`: the string's `origin` is the file's text, byte for byte, so an offset
//!    in the string is an offset in that file;
//! 3. a heredoc or YAML block scalar: the string's lines are the source's lines after the
//!    opening line (with the indentation removed), so an offset maps to a line and, when
//!    the line is unchanged by interpolation, to its column;
//! 4. a heredoc that is unknown because of an interpolation (`"${aws_s3_bucket.b.arn}/*"`):
//!    its template is read from the source with every `${…}` masked by a placeholder of the
//!    same length, so the statements stay known where they are literal;
//! 5. anything else (a one-line quoted string with escapes, a string inside plan JSON): the
//!    whole string.

use std::ops::Range;
use std::sync::Arc;

use crate::parse::json;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::value::{Map, Node, Value};

/// Stands for an interpolation whose value is unknown (DEL is allowed inside JSON strings
/// and never written in a policy).
pub const MASK: char = '\u{7f}';

/// The JSON-shaped node of a value that holds a policy document, with source spans;
/// `None` when the value is not a JSON document or is only known at apply time.
pub fn json_node(node: &Node, sources: &SourceMap) -> Option<Node> {
    if let Some(encoded) = &node.encoded {
        return Some((**encoded).clone());
    }
    match &node.value {
        Value::String(s) => {
            let parsed = json::parse(node.span.file, s).ok()?;
            let mapper = Mapper::for_string(node, s, sources);
            Some(remap(parsed, &mapper))
        }
        Value::Unknown => masked_heredoc(node.span, sources),
        // Already structured: a CloudFormation map, a plan's decoded object.
        Value::Map(_) => Some(node.clone()),
        _ => None,
    }
}

/// The source span of bytes `range` of the string value `node` (for pointing inside user
/// data or a policy string).
pub fn span_in_string(node: &Node, s: &str, range: Range<usize>, sources: &SourceMap) -> Span {
    let m = Mapper::for_string(node, s, sources);
    m.span(Span::new(node.span.file, range.start, range.end))
}

/// A value masked by [`MASK`]: `None` when the unknown parts may make it anything that
/// matters (only wildcards and colons are literal), else the string with each unknown run
/// written `${…}`.
pub fn unmask(s: &str) -> Option<String> {
    if !s.contains(MASK) {
        return Some(s.to_string());
    }
    if s.chars()
        .filter(|c| *c != MASK)
        .all(|c| c == '*' || c == ':')
    {
        return None;
    }
    let mut out = String::new();
    let mut in_mask = false;
    for c in s.chars() {
        if c == MASK {
            if !in_mask {
                out.push_str("${…}");
            }
            in_mask = true;
        } else {
            in_mask = false;
            out.push(c);
        }
    }
    Some(out)
}

/// How offsets inside a string map to the source.
enum Mapper {
    /// The string is the source text from `base` on.
    Offset { file: FileId, base: usize },
    /// String line `k` is source line `first_line + k`, less its indentation.
    Lines {
        file: Arc<SourceFile>,
        id: FileId,
        first_line: usize,
        last_line: usize,
        line_starts: Vec<usize>,
        text: String,
        whole: Span,
    },
    /// Everything maps to the whole string.
    Whole(Span),
}

impl Mapper {
    fn for_string(node: &Node, s: &str, sources: &SourceMap) -> Mapper {
        let regions: Vec<Span> = node.origin.iter().copied().chain([node.span]).collect();
        for r in &regions {
            let file = sources.get(r.file);
            if file.text.get(r.range()) == Some(s) {
                return Mapper::Offset {
                    file: r.file,
                    base: r.start as usize,
                };
            }
        }
        // `file()` marks its result with the file's span; trust it when the length agrees
        // even if the text was not registered as expected.
        if let Some(o) = node.origin
            && o.range().len() == s.len()
        {
            return Mapper::Offset {
                file: o.file,
                base: o.start as usize,
            };
        }
        for r in regions {
            if let Some(m) = Mapper::lines(r, s, sources) {
                return m;
            }
        }
        Mapper::Whole(node.span)
    }

    fn lines(region: Span, s: &str, sources: &SourceMap) -> Option<Mapper> {
        let file = sources.get(region.file);
        let first = file.line_col(region.start as usize).line;
        let last = file.line_col(region.end as usize).line;
        if first == last || !s.contains('\n') {
            return None;
        }
        let mut line_starts = vec![0];
        line_starts.extend(s.match_indices('\n').map(|(i, _)| i + 1));
        let lines: Vec<&str> = s.split('\n').collect();
        let k0 = lines.iter().position(|l| !l.trim().is_empty())?;
        let want = lines[k0].trim_end_matches('\r').trim_end();
        // The content starts on the opening line (a block scalar whose span starts at its
        // text) or on the line after it (a heredoc, `|` in YAML).
        let matches = |c: usize| {
            let range = file.line_range(c + k0);
            file.text[range].trim_end().ends_with(want) && c + k0 <= last
        };
        // When interpolation changed the first line, trust an opening marker alone.
        let opener = {
            let line = file.line_range(first);
            let head = file.text[region.start as usize..line.end.max(region.start as usize)].trim();
            head.starts_with("<<") || head.ends_with(['|', '>', '-', '+'])
        };
        let first_line = [first, first + 1]
            .into_iter()
            .find(|&c| matches(c))
            .or(opener.then_some(first + 1))?;
        Some(Mapper::Lines {
            id: region.file,
            file,
            first_line,
            last_line: last,
            line_starts,
            text: s.to_string(),
            whole: region,
        })
    }

    fn offset(&self, off: usize) -> (FileId, usize) {
        match self {
            Mapper::Offset { file, base } => (*file, base + off),
            Mapper::Whole(span) => (span.file, span.start as usize),
            Mapper::Lines {
                file,
                id,
                first_line,
                last_line,
                line_starts,
                text,
                whole,
            } => {
                let k = match line_starts.binary_search(&off) {
                    Ok(k) => k,
                    Err(k) => k.saturating_sub(1),
                };
                let line = first_line + k;
                if line > *last_line {
                    return (*id, whole.start as usize);
                }
                let start = line_starts[k];
                let end = line_starts.get(k + 1).map(|e| e - 1).unwrap_or(text.len());
                let string_line = text[start..end].trim_end_matches('\r');
                let col = off.saturating_sub(start).min(string_line.len());
                let range = file.line_range(line);
                let src = file.text[range.clone()].trim_end_matches('\r');
                if !string_line.is_empty() && src.ends_with(string_line) {
                    (*id, range.start + src.len() - string_line.len() + col)
                } else {
                    // Interpolation changed the line: its first non-blank character.
                    let indent = src.len() - src.trim_start().len();
                    (*id, range.start + indent)
                }
            }
        }
    }

    fn span(&self, s: Span) -> Span {
        if let Mapper::Whole(span) = self {
            return *span;
        }
        let (file, start) = self.offset(s.start as usize);
        let (_, end) = self.offset(s.end as usize);
        Span::new(file, start, end.max(start))
    }
}

/// Rewrites every span of a parsed string into the source.
fn remap(mut node: Node, m: &Mapper) -> Node {
    node.span = m.span(node.span);
    node.value = match node.value {
        Value::List(items) => Value::List(items.into_iter().map(|i| remap(i, m)).collect()),
        Value::Map(map) => {
            let mut out = Map::default();
            for (mut k, v) in map.entries {
                k.span = m.span(k.span);
                out.entries_mut().push((k, remap(v, m)));
            }
            Value::Map(out)
        }
        v => v,
    };
    node
}

/// The JSON document of a heredoc whose value is unknown, read from its template with
/// every interpolation masked.
fn masked_heredoc(span: Span, sources: &SourceMap) -> Option<Node> {
    let file = sources.get(span.file);
    let text = file.text.get(span.range())?;
    if !text.starts_with("<<") {
        return None;
    }
    let body_start = text.find('\n')? + 1;
    let body_end = text.trim_end().rfind('\n')? + 1;
    if body_end <= body_start {
        return None;
    }
    let masked = mask_template(&text[body_start..body_end])?;
    let parsed = json::parse(span.file, &masked).ok()?;
    let m = Mapper::Offset {
        file: span.file,
        base: span.start as usize + body_start,
    };
    Some(remap(parsed, &m))
}

/// Replaces each `${…}` of an HCL template by [`MASK`]s of the same byte length (inside a
/// JSON string) or by a string literal of masks (outside one); `None` for templates with
/// `%{…}` directives, whose output cannot be read off the source.
pub fn mask_template(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        let c = b[i];
        let opens = |marker: u8| {
            c == marker && b.get(i + 1) == Some(&b'{') && (i == 0 || b[i - 1] != marker)
        };
        if opens(b'%') {
            return None;
        }
        if opens(b'$') {
            let end = interpolation_end(b, i + 2)?;
            out.push_str(&t[copied..i]);
            // Same byte length, so offsets in the masked text are offsets in the source.
            let n = end - i;
            if in_string {
                out.extend(std::iter::repeat_n(MASK, n));
            } else {
                out.push('"');
                out.extend(std::iter::repeat_n(MASK, n.saturating_sub(2)));
                out.push('"');
            }
            i = end;
            copied = end;
            continue;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if c == b'"' {
            in_string = true;
        }
        i += 1;
    }
    out.push_str(&t[copied..]);
    Some(out)
}

/// Replaces each `${…}` of a template string by [`MASK`]s (`$${` is a literal).
pub fn mask_string(t: &str) -> String {
    let b = t.as_bytes();
    let mut out = String::with_capacity(t.len());
    let mut i = 0;
    let mut copied = 0;
    while i + 1 < b.len() {
        if b[i] == b'$' && b[i + 1] == b'{' && (i == 0 || b[i - 1] != b'$') {
            let Some(end) = interpolation_end(b, i + 2) else {
                break;
            };
            out.push_str(&t[copied..i]);
            out.push(MASK);
            i = end;
            copied = end;
            continue;
        }
        i += 1;
    }
    out.push_str(&t[copied..]);
    out
}

/// Byte offset just after the `}` that closes an interpolation whose expression starts at
/// `from`, skipping braces inside quoted strings.
fn interpolation_end(b: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for (j, &c) in b.iter().enumerate().skip(from) {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(j + 1);
                }
            }
            _ => {}
        }
    }
    None
}
