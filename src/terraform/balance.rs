//! A quick lexical check that every bracket of an HCL file is closed, run before the parser.
//!
//! hcl-edit backtracks exponentially on some unclosed expressions (`a = 6 > l % {` nested a
//! few dozen times takes minutes); every such input is unbalanced, and telling that takes one
//! linear pass. Strings, `${…}`/`%{…}` interpolations, heredocs and comments are lexed just
//! enough to not count their brackets.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::template::Template;

use crate::parse::limits::MAX_DEPTH;

/// hcl-edit's `parse_body` behind the nesting and bracket checks: every HCL file of the
/// scanned code (`.tf`, `.tfvars`) goes through here. Errors are (byte offset, message).
pub fn parse_body(text: &str) -> Result<Body, (usize, String)> {
    guard(text)?;
    hcl_edit::parser::parse_body(text).map_err(|e| {
        (
            e.location().offset(),
            format!("invalid HCL: {}", e.message()),
        )
    })
}

/// hcl-edit's `parse_expr` behind the same checks (expressions written as JSON strings).
pub fn parse_expr(text: &str) -> Result<Expression, (usize, String)> {
    guard(text)?;
    hcl_edit::parser::parse_expr(text).map_err(|e| {
        (
            e.location().offset(),
            format!("invalid HCL: {}", e.message()),
        )
    })
}

/// hcl-edit's `parse_template` behind the template form of the checks (`templatefile()`
/// files, `"${…}"` strings of `.tf.json`).
pub fn parse_template(text: &str) -> Result<Template, (usize, String)> {
    let depth = check_template(text).map_err(|(at, m)| (at, format!("invalid template: {m}")))?;
    if depth > MAX_DEPTH {
        return Err((0, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    hcl_edit::parser::parse_template(text).map_err(|e| {
        (
            e.location().offset(),
            format!("invalid template: {}", e.message()),
        )
    })
}

/// Too deep or unbalanced HCL never reaches the parser: its recursion and backtracking
/// are what these checks bound.
fn guard(text: &str) -> Result<(), (usize, String)> {
    if let Some(at) = crate::parse::limits::excessive_nesting(text) {
        return Err((at, format!("nesting deeper than {MAX_DEPTH} levels")));
    }
    check(text).map_err(|(at, message)| (at, format!("invalid HCL: {message}")))?;
    Ok(())
}

/// An opener waiting for its closer.
#[derive(Clone, Copy, PartialEq)]
enum Open {
    Brace,
    Bracket,
    Paren,
    /// A `"…"` string.
    Str,
    /// A `${` or `%{` inside a string.
    Interp,
    /// Template text: a template file, or a heredoc's body. Quotes are literal in it.
    Template,
}

/// The byte offset and description of the first bracket left open or closed wrongly, and
/// the deepest nesting seen; `Ok(depth)` when balanced.
pub fn check(text: &str) -> Result<usize, (usize, String)> {
    scan(text, Vec::new())
}

/// [`check`] for a template (a `templatefile()` file, a heredoc's body): text in which only
/// the `${…}` and `%{…}` interpolations hold expressions.
pub fn check_template(text: &str) -> Result<usize, (usize, String)> {
    scan(text, vec![(Open::Template, 0)]).map(|d| d.saturating_sub(1))
}

fn scan(text: &str, mut stack: Vec<(Open, usize)>) -> Result<usize, (usize, String)> {
    let b = text.as_bytes();
    let bottom = stack.len();
    let mut deepest = bottom;
    let mut i = 0;
    while i < b.len() {
        let top = stack.last().map(|(o, _)| *o);
        let in_string = matches!(top, Some(Open::Str | Open::Template));
        let c = b[i];
        if in_string {
            match c {
                b'\\' if top == Some(Open::Str) => i += 1,
                b'"' if top == Some(Open::Str) => {
                    stack.pop();
                }
                b'$' | b'%' if b.get(i + 1) == Some(&c) => i += 1, // `$${`, `%%{`: literal
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push((Open::Interp, i));
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => match find(b, i + 2, b"*/") {
                Some(end) => i = end + 1,
                None => return Err((i, "unclosed `/*` comment".into())),
            },
            b'<' if b.get(i + 1) == Some(&b'<') => {
                if let Some(end) = heredoc_end(text, i) {
                    let (body, end) = end?;
                    // The body's interpolations are expressions the parser backtracks on too.
                    if let Err((at, message)) = check_template(&text[body.clone()]) {
                        return Err((body.start + at, message));
                    }
                    i = end;
                    continue;
                }
                i += 1;
            }
            b'"' => stack.push((Open::Str, i)),
            b'{' => stack.push((Open::Brace, i)),
            b'[' => stack.push((Open::Bracket, i)),
            b'(' => stack.push((Open::Paren, i)),
            b'}' | b']' | b')' => {
                let want = match c {
                    b'}' => [Open::Brace, Open::Interp],
                    b']' => [Open::Bracket, Open::Bracket],
                    _ => [Open::Paren, Open::Paren],
                };
                match stack.pop() {
                    Some((open, _)) if want.contains(&open) => {}
                    _ => return Err((i, format!("unexpected `{}`", c as char))),
                }
            }
            _ => {}
        }
        deepest = deepest.max(stack.len());
        i += 1;
    }
    match stack.get(bottom..).and_then(|s| s.last()) {
        None => Ok(deepest),
        Some((open, at)) => {
            let what = match open {
                Open::Brace => "`{`",
                Open::Bracket => "`[`",
                Open::Paren => "`(`",
                Open::Str => "string",
                Open::Interp => "`${`",
                Open::Template => "template",
            };
            Err((*at, format!("unclosed {what}")))
        }
    }
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| i + p)
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// At `<<` (or `<<-`) followed by an identifier and a line break: the body's range and the
/// offset just after the closing marker line. `None` when this `<<` is not a heredoc.
#[allow(clippy::type_complexity)]
fn heredoc_end(
    text: &str,
    at: usize,
) -> Option<Result<(std::ops::Range<usize>, usize), (usize, String)>> {
    let rest = &text[at + 2..];
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let ident_len = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        .count();
    if ident_len == 0 {
        return None;
    }
    let ident = &rest[..ident_len];
    let after = &rest[ident_len..];
    let body_start = after
        .strip_prefix("\r\n")
        .or_else(|| after.strip_prefix('\n'))?;
    let start = text.len() - body_start.len();
    let mut offset = start;
    for line in body_start.split_inclusive('\n') {
        if line.trim() == ident {
            let end = offset + line.trim_end_matches(['\n', '\r']).len();
            return Some(Ok((start..offset, end)));
        }
        offset += line.len();
    }
    Some(Err((at, format!("heredoc `{ident}` is never closed"))))
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn balanced_hcl_passes() {
        let text = r#"
resource "x" "y" {
  a = "${var.x}-}{"  # } in a comment
  b = [for k, v in { a = 1 } : "%{ if v > 0 }${k}%{ endif }"]
  c = <<-EOT
    } ] ) unbalanced in a heredoc ${ "fine" }
  EOT
  /* { */ d = "\"}" // {
  e = "$${not an interpolation"
}
"#;
        assert_eq!(check(text), Ok(4));
    }

    #[test]
    fn unclosed_brackets_are_found() {
        assert_eq!(check("x {\n a = [1,\n").unwrap_err().0, 9);
        assert_eq!(check("x {\n P=6>l%{\n").unwrap_err().0, 11);
        assert!(check("a = \"${b\"\n").is_err());
        assert!(check("a = <<EOT\nno end\n").unwrap_err().1.contains("EOT"));
        assert!(check("a = ]").unwrap_err().1.contains("unexpected"));
        // In a heredoc's interpolation.
        assert_eq!(check("a = <<EOT\n\"${6>l%{\nEOT\n").unwrap_err().0, 17);
    }

    #[test]
    fn templates_are_text_with_interpolations() {
        let tpl = "He said \"}\" {[( %{ if x } ${ \"}\" } %{ endif } $${ %%{";
        assert_eq!(super::check_template(tpl), Ok(2));
        assert_eq!(super::check_template("a ${6>l%{6>l%{").unwrap_err().0, 13);
        assert!(super::check_template("${ [1, 2 }").is_err());
    }
}
