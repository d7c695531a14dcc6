//! A quick lexical check that every bracket of an HCL file is closed, run before the parser.
//!
//! hcl-edit backtracks exponentially on some unclosed expressions (`a = 6 > l % {` nested a
//! few dozen times takes minutes); every such input is unbalanced, and telling that takes one
//! linear pass. Strings, `${…}`/`%{…}` interpolations, heredocs and comments are lexed just
//! enough to not count their brackets.

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
}

/// The byte offset and description of the first bracket left open or closed wrongly, and
/// the deepest nesting seen; `Ok(depth)` when balanced.
pub fn check(text: &str) -> Result<usize, (usize, String)> {
    let b = text.as_bytes();
    let mut stack: Vec<(Open, usize)> = Vec::new();
    let mut deepest = 0;
    let mut i = 0;
    while i < b.len() {
        let in_string = matches!(stack.last(), Some((Open::Str, _)));
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => {
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
                    i = end?;
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
    match stack.last() {
        None => Ok(deepest),
        Some((open, at)) => {
            let what = match open {
                Open::Brace => "`{`",
                Open::Bracket => "`[`",
                Open::Paren => "`(`",
                Open::Str => "string",
                Open::Interp => "`${`",
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

/// At `<<` (or `<<-`) followed by an identifier and a line break: the offset just after the
/// closing marker line. `None` when this `<<` is not a heredoc.
#[allow(clippy::type_complexity)]
fn heredoc_end(text: &str, at: usize) -> Option<Result<usize, (usize, String)>> {
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
    let mut offset = text.len() - body_start.len();
    for line in body_start.split_inclusive('\n') {
        if line.trim() == ident {
            return Some(Ok(offset + line.trim_end_matches(['\n', '\r']).len()));
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
    }
}
