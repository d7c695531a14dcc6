//! Lines that CloudFormation (like PyYAML and cfn-lint) accepts but saphyr rejects as
//! indented too little: a line inside a flow collection (`[`…`]`, `{`…`}`), its closing
//! bracket included, or a continuation line of a quoted scalar, at or left of the
//! indentation of the block around it. Indentation means nothing there (leading spaces of
//! such a line are separation or folded away), so after such an error the offending lines
//! are re-indented with spaces and the document parsed again; [`Padding`] maps every
//! position back to the original text, so spans stay exact.
//!
//! Only saphyr's own errors choose the lines, so a line in block context is never touched:
//! the flow errors can only arise inside a flow collection, the tab one only on a line that
//! continues a quoted scalar, and the quoted one names the scalar, whose end is found from
//! its quotes alone.
//!
//! Each pass fixes one line (or one quoted scalar) and parses the whole text again, so the
//! passes are bounded in bytes; real templates have a few such lines.

use saphyr_parser::ScanError;

/// Bytes that re-parses of one document may read in all: each pass fixes one line or
/// quoted scalar, so a hostile file with many such lines stops here.
pub(super) const MAX_REPARSE_BYTES: usize = 32 << 20;

/// Spaces that may be inserted into one document: as many as it has bytes, or this many.
pub(super) const MIN_PADDING_BUDGET: usize = 1 << 20;

/// Spaces inserted at line starts of the text handed to the parser.
#[derive(Default)]
pub(super) struct Padding {
    /// The spaces of the text last built by [`Padding::apply`], by offset.
    runs: Vec<Run>,
    /// (original line start, spaces) added since, for the next [`Padding::apply`].
    pending: Vec<(usize, usize)>,
    /// Sum of the spaces, pending ones included.
    total: usize,
}

/// Spaces inserted at one line start.
#[derive(Clone, Copy)]
struct Run {
    /// Byte offset of the line start in the original text.
    at: usize,
    /// Byte offset where the spaces begin in the padded text.
    padded: usize,
    len: usize,
}

impl Padding {
    /// Sum of the spaces inserted.
    pub(super) fn total(&self) -> usize {
        self.total
    }

    /// Inserts `len` more spaces at the line start `at` of the original text (from the next
    /// [`Padding::apply`] on).
    fn add(&mut self, at: usize, len: usize) {
        self.pending.push((at, len));
        self.total += len;
    }

    /// The original text with every space added so far inserted; [`Padding::original`] maps
    /// positions in it from now on.
    pub(super) fn apply(&mut self, text: &str) -> String {
        let mut all: Vec<(usize, usize)> = self.runs.iter().map(|r| (r.at, r.len)).collect();
        all.append(&mut self.pending);
        all.sort_unstable();
        self.runs.clear();
        let mut shift = 0;
        for (at, len) in all {
            match self.runs.last_mut() {
                Some(last) if last.at == at => last.len += len,
                _ => self.runs.push(Run {
                    at,
                    padded: at + shift,
                    len,
                }),
            }
            shift += len;
        }
        let mut out = String::with_capacity(text.len() + shift);
        let mut from = 0;
        for run in &self.runs {
            out.push_str(&text[from..run.at]);
            out.extend(std::iter::repeat_n(' ', run.len));
            from = run.at;
        }
        out.push_str(&text[from..]);
        out
    }

    /// The original byte offset of byte `padded` of the text last built; an inserted space
    /// maps to the start of its line.
    pub(super) fn original(&self, padded: usize) -> usize {
        let i = self.runs.partition_point(|r| r.padded <= padded);
        let Some(run) = i.checked_sub(1).map(|i| self.runs[i]) else {
            return padded;
        };
        if padded < run.padded + run.len {
            run.at
        } else {
            // The run starts `run.padded - run.at` bytes late, and adds `run.len` more.
            padded - (run.padded - run.at) - run.len
        }
    }
}

/// Which of saphyr's errors a re-indented line can fix.
enum Kind {
    /// The line of the error, inside a flow collection or quoted scalar, starts left of the
    /// block indentation.
    Line,
    /// A continuation line of the quoted scalar that starts at the error does.
    Quoted,
}

fn kind(error: &ScanError) -> Option<Kind> {
    match error.info() {
        // Raised only within a flow collection: outside one the scanner first closes every
        // block deeper than the token.
        "invalid indentation" | "invalid indentation in flow construct" => Some(Kind::Line),
        // Raised only on a continuation line of a quoted scalar.
        "tab cannot be used as indentation" => Some(Kind::Line),
        "invalid indentation in quoted scalar" => Some(Kind::Quoted),
        _ => None,
    }
}

/// Adds to `padding` the spaces that fix `error`, raised at byte `at` of `padded` (the
/// original text with `padding` applied), where `block_col` is the greatest column of a
/// block collection open there. False when the error is not one of these, or spaces would
/// not fix it.
pub(super) fn repair(
    padding: &mut Padding,
    padded: &str,
    error: &ScanError,
    at: usize,
    block_col: Option<usize>,
) -> bool {
    let col = error.marker().col();
    match kind(error) {
        Some(Kind::Line) => {
            // saphyr wants the line right of the block holding it: the block's column, plus
            // one for the entry or value indicator, plus one.
            let Some(needed) = block_col.map(|c| c + 2) else {
                return false;
            };
            if col >= needed {
                return false;
            }
            let start = line_start(padded, at);
            padding.add(padding.original(start), needed - col);
            true
        }
        Some(Kind::Quoted) => {
            let Some(lines) = continuation_lines(padded, at) else {
                return false;
            };
            // Every continuation line must reach the column of the opening quote, which the
            // scanner accepted against the same indentation.
            let mut added = false;
            for start in lines {
                let spaces = padded[start..].bytes().take_while(|&b| b == b' ').count();
                if spaces < col {
                    padding.add(padding.original(start), col - spaces);
                    added = true;
                }
            }
            added
        }
        None => false,
    }
}

/// Byte offset of the start of the line holding byte `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1)
}

/// Byte offsets of the line starts inside the quoted scalar opening at byte `at`; None if it
/// is not a quoted scalar or is never closed.
fn continuation_lines(text: &str, at: usize) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    let quote = *bytes.get(at)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let mut lines = Vec::new();
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            // An escape; an escaped line break still starts a line (below).
            b'\\' if quote == b'"' && !matches!(bytes.get(i + 1), Some(b'\n' | b'\r')) => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == quote => return Some(lines),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
            b'\n' | b'\r' => lines.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_maps_back_to_the_original() {
        let text = "a\nb\nc\n";
        let mut p = Padding::default();
        p.add(4, 1);
        p.add(2, 2);
        assert_eq!(p.apply(text), "a\n  b\n c\n");
        p.add(2, 1);
        let padded = p.apply(text);
        assert_eq!(padded, "a\n   b\n c\n");
        let back: Vec<usize> = (0..padded.len()).map(|i| p.original(i)).collect();
        assert_eq!(back, [0, 1, 2, 2, 2, 2, 3, 4, 4, 5]);
    }

    #[test]
    fn quoted_scalar_lines_follow_the_quotes() {
        let text = "x: 'it''s\n  a' \"\nb\"\n";
        assert_eq!(continuation_lines(text, 3), Some(vec![10]));
        let text = "\"a\\\"\nb\\\n c\"";
        assert_eq!(continuation_lines(text, 0), Some(vec![5, 8]));
        assert_eq!(continuation_lines("'open\n", 0), None);
        assert_eq!(continuation_lines("plain", 0), None);
    }
}
