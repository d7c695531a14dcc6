//! Escaping of text that comes from the scanned tree, one function per output context.
//!
//! File and directory names, logical ids, values, suppression reasons and the parsers' error
//! messages come from the pull request being checked. A line break in a directory name must
//! not start a workflow command (`::error::…`) or a fake diagnostic line, an ESC must not
//! drive the reader's terminal, a bidirectional override must not reorder what a reviewer
//! sees ("Trojan Source"), and a `](http://…)` must not become a link. Each renderer passes
//! such text through the function of its context where it writes it. Paths stay raw
//! everywhere else, so that files can still be read.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// Whether `c` may not reach the output as it is: the C0 and C1 control characters and DEL
/// (`char::is_control`), the line and paragraph separators, and the invisible bidirectional
/// formatting characters (CVE-2021-42574).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// The visible, unambiguous escape of an unsafe character, as Rust writes it:
/// `\n`, `\r`, `\t`, else `\u{1b}`.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Replaces every character `escape` picks (it writes the replacement and returns true);
/// the text is borrowed when there is none.
fn replace_each(s: &str, escape: impl Fn(char, &mut String) -> bool) -> Cow<'_, str> {
    // The first pass only looks for a character to replace: what it writes is dropped.
    let mut probe = String::new();
    if !s.chars().any(|c| escape(c, &mut probe)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !escape(c, &mut out) {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text on one line (text, gcc, and inside every other format): each unsafe character
/// becomes its escape (`\n`, `\u{1b}`), so one message stays one line.
pub fn line(s: &str) -> Cow<'_, str> {
    replace_each(s, |c, out| {
        is_unsafe(c) && {
            push_escape(out, c);
            true
        }
    })
}

/// A path for display: as [`line`], and each byte that is not UTF-8 (Linux allows any byte
/// but `/` and NUL in a name) as `\xff`.
pub fn path(p: &Path) -> String {
    path_bytes(p.as_os_str().as_encoded_bytes())
}

/// [`path`] of a path's bytes.
pub fn path_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(&line(chunk.valid()));
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Source lines of a snippet with each unsafe character replaced by one visible character,
/// so that carets under the line still line up; [`Pictured::offset`] maps byte offsets of
/// the original text into it.
#[derive(Debug)]
pub struct Pictured {
    pub text: String,
    /// Each replaced character: its byte range in the original and in `text`.
    moves: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
}

impl Pictured {
    /// Where byte `offset` of the original text is in [`Pictured::text`]; an offset inside a
    /// replaced character maps to the start of its replacement.
    pub fn offset(&self, offset: usize) -> usize {
        let i = self.moves.partition_point(|(old, _)| old.start <= offset);
        let Some((old, new)) = i.checked_sub(1).map(|i| &self.moves[i]) else {
            return offset;
        };
        if offset < old.end {
            new.start
        } else {
            new.end + (offset - old.end)
        }
    }
}

/// The one-column picture of an unsafe character: its Control Picture (`␛` for ESC, `␡` for
/// DEL), or `�` for the C1 controls and bidirectional formatting characters, which have none.
fn picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f => char::from_u32(0x2400 + n).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        _ => '\u{fffd}',
    }
}

/// Source text for a snippet (`text`, `html`): line feeds and tabs stay (snippet renderers
/// lay them out), a CR that ends a line is dropped, and every other unsafe character becomes
/// its [`picture`].
pub fn snippet(s: &str) -> Pictured {
    let mut text = String::with_capacity(s.len());
    let mut moves = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '\n' | '\t') || !is_unsafe(c) {
            text.push(c);
            continue;
        }
        let start = text.len();
        let line_end = c == '\r' && matches!(chars.peek(), None | Some((_, '\n')));
        if !line_end {
            text.push(picture(c));
        }
        moves.push((i..i + c.len_utf8(), start..text.len()));
    }
    Pictured { text, moves }
}

/// Text for XML (JUnit) and HTML content and attribute values: the markup characters as
/// entities, and every unsafe character except the line feeds and tabs of cislint's own
/// multi-line texts as in [`line`] (XML 1.0 forbids most controls even as references).
/// Text from the scanned tree goes through [`line`] first, so it stays on its line.
pub fn xml(s: &str) -> Cow<'_, str> {
    replace_each(s, |c, out| {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => return false,
            '\u{FFFE}' | '\u{FFFF}' => push_escape(out, c),
            c if is_unsafe(c) => push_escape(out, c),
            _ => return false,
        }
        true
    })
}

/// A workflow command's message (`github`), as the Actions toolkit escapes it (`%`, CR, LF);
/// other unsafe characters as in [`line`].
pub fn workflow_message(s: &str) -> Cow<'_, str> {
    replace_each(s, |c, out| {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if is_unsafe(c) => push_escape(out, c),
            _ => return false,
        }
        true
    })
}

/// A workflow command's property value (`file=…`, `title=…`): as [`workflow_message`], and
/// `:` and `,`, which would end the property.
pub fn workflow_property(s: &str) -> String {
    let s = workflow_message(s);
    s.replace(':', "%3A").replace(',', "%2C")
}

/// Serialized JSON (`json`, `sarif`) with the unsafe characters serde_json writes raw (DEL,
/// C1, separators, bidi) as `\u` escapes: outside strings JSON is ASCII, so each such
/// character is inside a string, where the escape stands for the same character.
pub fn json(s: String) -> String {
    // serde_json escapes every C0 control inside strings: a raw one is layout (a line feed).
    match replace_each(&s, |c, out| {
        is_unsafe(c) && c >= '\u{7f}' && {
            let _ = write!(out, "\\u{:04x}", c as u32);
            true
        }
    }) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    }
}

/// Percent-encodes a path for a URI (RFC 3986 unreserved characters and `/` kept), byte by
/// byte, so that a name that is not UTF-8 still points at its file.
pub fn uri_path(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// Text in a Markdown table cell or list item (`markdown`). cislint's messages quote names in
/// code spans, so the code spans stay: the text is split where CommonMark would split it
/// (a backtick string up to the next one of the same length), the code spans keep their text
/// (only `|`, which would end the table cell, is escaped, as GFM allows there), and outside
/// them every character that could start markup (links, images, HTML, emphasis, an unpaired
/// backtick) is escaped. Unsafe characters are escaped first, as in [`line`].
pub fn markdown(s: &str) -> String {
    let s = line(s);
    let mut out = String::with_capacity(s.len() + 16);
    let mut at = 0;
    for span in code_spans(&s) {
        markdown_text(&s[at..span.start], &mut out);
        out.push_str(&s[span.clone()].replace('|', "\\|"));
        at = span.end;
    }
    markdown_text(&s[at..], &mut out);
    out
}

/// Text as one Markdown code span, whatever backticks it holds.
pub fn markdown_code(s: &str) -> String {
    let s = line(s);
    let fence = "`".repeat(backtick_runs(&s).map(|r| r.len()).max().unwrap_or(0) + 1);
    let pad = if s.contains('`') { " " } else { "" };
    format!("{fence}{pad}{}{pad}{fence}", s.replace('|', "\\|"))
}

fn markdown_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '!' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

fn backtick_runs(s: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes[i] != b'`' {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b'`' {
            i += 1;
        }
        (start < i).then_some(start..i)
    })
}

/// The code spans of `s` as CommonMark finds them, delimiters included.
fn code_spans(s: &str) -> Vec<std::ops::Range<usize>> {
    let runs: Vec<_> = backtick_runs(s).collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let open = &runs[i];
        match (i + 1..runs.len()).find(|&j| runs[j].len() == open.len()) {
            Some(j) => {
                spans.push(open.start..runs[j].end);
                i = j + 1;
            }
            None => i += 1,
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_with_visible_escapes() {
        assert_eq!(
            line("a\nb\r\t\u{1b}[2J\u{9b}\u{202e}é"),
            "a\\nb\\r\\t\\u{1b}[2J\\u{9b}\\u{202e}é"
        );
        assert!(matches!(line("plain ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn paths_that_are_not_utf8_show_their_bytes() {
        assert_eq!(path_bytes(b"d\xffir/\x1bx.tf"), "d\\xffir/\\u{1b}x.tf");
    }

    #[test]
    fn snippets_keep_their_columns() {
        let p = snippet("a\u{1b}b\u{9b}c\r\nd\r");
        assert_eq!(p.text, "a␛b�c\nd");
        // Every character of the original is one character of the picture.
        assert_eq!(&p.text[p.offset(2)..p.offset(3)], "b");
        assert_eq!(&p.text[p.offset(1)..p.offset(2)], "␛");
        assert_eq!(&p.text[p.offset(5)..p.offset(6)], "c");
        assert_eq!(&p.text[p.offset(8)..p.offset(9)], "d");
        assert_eq!(p.offset(10), p.text.len());
    }

    #[test]
    fn xml_replaces_what_xml_forbids() {
        assert_eq!(
            xml("a<b & \"c\" 'd'>\u{1}\n\u{1b}\u{ffff}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\\u{1}\n\\u{1b}\\u{ffff}"
        );
    }

    #[test]
    fn workflow_commands_follow_the_actions_toolkit() {
        assert_eq!(
            workflow_message("50% a\r\nb: c, d\u{1b}"),
            "50%25 a%0D%0Ab: c, d\\u{1b}"
        );
        assert_eq!(workflow_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn json_escapes_what_serde_writes_raw() {
        let s =
            serde_json::to_string_pretty(&serde_json::json!({"k": "\u{1b}\u{9b}\u{202e}\u{7f}"}))
                .unwrap();
        let escaped = json(s);
        assert_eq!(escaped, "{\n  \"k\": \"\\u001b\\u009b\\u202e\\u007f\"\n}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["k"], "\u{1b}\u{9b}\u{202e}\u{7f}");
    }

    #[test]
    fn uris_encode_every_other_byte() {
        assert_eq!(uri_path("a b/ç#1.tf".as_bytes()), "a%20b/%C3%A7%231.tf");
        assert_eq!(uri_path(b"x\xff)"), "x%FF%29");
    }

    #[test]
    fn markdown_keeps_code_spans_and_neutralises_markup() {
        assert_eq!(markdown("a|b\nc <d> \\"), "a\\|b\\\\nc &lt;d&gt; \\\\");
        assert_eq!(
            markdown("`aws_x.y[\"a|b\"]` admits *x*"),
            "`aws_x.y[\"a\\|b\"]` admits \\*x\\*"
        );
        // A backtick in a value cannot open a link outside the code span.
        assert_eq!(
            markdown("`a` [x](http://evil) ` b"),
            "`a` \\[x\\](http://evil) \\` b"
        );
        // `b` is between two code spans; the second one holds the brackets.
        assert_eq!(markdown("`a`b` [x](y)`"), "`a`b` [x](y)`");
        assert_eq!(markdown_code("aws_x.y"), "`aws_x.y`");
        assert_eq!(markdown_code("a`b|c"), "`` a`b\\|c ``");
        assert_eq!(markdown_code("a``b"), "``` a``b ```");
    }
}
