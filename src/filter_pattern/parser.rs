//! Recursive-descent parser for CloudWatch Logs JSON filter patterns.
//!
//! Grammar (whitespace allowed between tokens):
//!
//! ```text
//! pattern  := ws* ( "{" or "}" )? ws*          -- empty text matches every event
//! or       := and ( "||" and )*
//! and      := primary ( "&&" primary )*
//! primary  := "(" or ")" | atom
//! atom     := selector ( cmp value | "NOT" "EXISTS" | "IS" ("TRUE"|"FALSE"|"NULL") )
//! selector := "$" ( "." name | "[" digits "]" )+      -- first step must be "." name
//! cmp      := "=" | "!=" | "<" | "<=" | ">" | ">="
//! value    := "\"" chars "\"" | "\\\"" chars "\\\"" | "\"\"" chars "\"\"" | bare
//! bare     := run of non-space chars other than ) } & |
//! ```

use super::ParseError;
use super::ast::{Atom, Expr, Num, Segment, Selector, Test, Value};

/// Maximum parenthesis nesting depth.
pub(crate) const MAX_DEPTH: usize = 256;

/// True if `s` has the shape of a JSON number (`-12`, `3.5`, `1e3`).
pub(crate) fn looks_numeric(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

fn parse_number(s: &str) -> Option<Num> {
    if !looks_numeric(s) {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Num::new)
}

/// Characters allowed in a selector's field name.
fn name_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '.' | '['
                | ']'
                | '='
                | '!'
                | '<'
                | '>'
                | '('
                | ')'
                | '{'
                | '}'
                | '&'
                | '|'
                | '"'
                | '\\'
        )
}

/// Characters that end an unquoted value.
fn bare_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, ')' | '}' | '&' | '|')
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        offset,
        message: message.into(),
    })
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.src.len() - trimmed.len();
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    /// Describes what is at the current position, for error messages.
    fn found(&self) -> String {
        match self.peek() {
            None => "end of pattern".to_string(),
            Some(c) => format!("`{c}`"),
        }
    }

    fn parse_or(&mut self) -> Result<Expr, ParseError> {
        let mut items = vec![self.parse_and()?];
        loop {
            self.skip_ws();
            if self.eat("||") {
                items.push(self.parse_and()?);
            } else {
                break;
            }
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one operand")
        } else {
            Expr::Or(items)
        })
    }

    fn parse_and(&mut self) -> Result<Expr, ParseError> {
        let mut items = vec![self.parse_primary()?];
        loop {
            self.skip_ws();
            if self.eat("&&") {
                items.push(self.parse_primary()?);
            } else {
                break;
            }
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one operand")
        } else {
            Expr::And(items)
        })
    }

    fn parse_primary(&mut self) -> Result<Expr, ParseError> {
        self.skip_ws();
        let start = self.pos;
        match self.peek() {
            Some('(') => {
                if self.depth >= MAX_DEPTH {
                    return err(
                        start,
                        format!("parentheses nested deeper than {MAX_DEPTH} levels"),
                    );
                }
                self.pos += 1;
                self.depth += 1;
                let inner = self.parse_or()?;
                self.depth -= 1;
                self.skip_ws();
                if !self.eat(")") {
                    return err(
                        self.pos,
                        format!(
                            "expected `)` to close the `(` at offset {start}, found {}",
                            self.found()
                        ),
                    );
                }
                Ok(inner)
            }
            Some('$') => Ok(Expr::Atom(self.parse_atom()?)),
            _ => err(
                start,
                format!(
                    "expected a condition such as `$.field = value` or `(`, found {}",
                    self.found()
                ),
            ),
        }
    }

    fn parse_name(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        let len: usize = self
            .rest()
            .chars()
            .take_while(|&c| name_char(c))
            .map(char::len_utf8)
            .sum();
        if len == 0 {
            return err(
                start,
                format!("expected a field name after `.`, found {}", self.found()),
            );
        }
        self.pos += len;
        Ok(self.src[start..self.pos].to_string())
    }

    fn parse_selector(&mut self) -> Result<Selector, ParseError> {
        // At `$`.
        self.pos += 1;
        if self.peek() != Some('.') {
            return err(
                self.pos,
                format!(
                    "expected `.` after `$` (selectors look like `$.field`), found {}",
                    self.found()
                ),
            );
        }
        let mut segs = Vec::new();
        loop {
            match self.peek() {
                Some('.') => {
                    self.pos += 1;
                    segs.push(Segment::Field(self.parse_name()?));
                }
                Some('[') => {
                    let open = self.pos;
                    self.pos += 1;
                    let len = self.rest().bytes().take_while(u8::is_ascii_digit).count();
                    let digits = &self.src[self.pos..self.pos + len];
                    let Ok(n) = digits.parse::<u64>() else {
                        return err(
                            self.pos,
                            format!("expected an array index after `[`, found {}", self.found()),
                        );
                    };
                    self.pos += len;
                    if !self.eat("]") {
                        return err(
                            self.pos,
                            format!(
                                "expected `]` to close the `[` at offset {open}, found {}",
                                self.found()
                            ),
                        );
                    }
                    segs.push(Segment::Index(n));
                }
                _ => break,
            }
        }
        Ok(Selector(segs))
    }

    /// Reads a keyword (ASCII letters), case-insensitively; returns it upper-cased.
    fn keyword(&mut self) -> Option<(usize, String)> {
        self.skip_ws();
        let start = self.pos;
        let len = self
            .rest()
            .bytes()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        if len == 0 {
            return None;
        }
        self.pos += len;
        Some((start, self.src[start..self.pos].to_ascii_uppercase()))
    }

    fn parse_atom(&mut self) -> Result<Atom, ParseError> {
        let sel = self.parse_selector()?;
        let after_sel = self.pos;
        self.skip_ws();
        let op_pos = self.pos;
        let test = if self.eat("!=") {
            Test::Ne(self.parse_value()?)
        } else if self.eat("<=") {
            Test::Le(self.parse_number_operand("<=")?)
        } else if self.eat(">=") {
            Test::Ge(self.parse_number_operand(">=")?)
        } else if self.eat("<") {
            Test::Lt(self.parse_number_operand("<")?)
        } else if self.eat(">") {
            Test::Gt(self.parse_number_operand(">")?)
        } else if self.eat("=") {
            Test::Eq(self.parse_value()?)
        } else {
            let whitespace_before = op_pos > after_sel;
            match self.keyword() {
                Some((_, kw)) if kw == "NOT" && whitespace_before => match self.keyword() {
                    Some((_, kw2)) if kw2 == "EXISTS" => Test::NotExists,
                    _ => {
                        return err(op_pos, "expected `NOT EXISTS`");
                    }
                },
                Some((_, kw)) if kw == "IS" && whitespace_before => match self.keyword() {
                    Some((_, kw2)) if kw2 == "TRUE" => Test::IsTrue,
                    Some((_, kw2)) if kw2 == "FALSE" => Test::IsFalse,
                    Some((_, kw2)) if kw2 == "NULL" => Test::IsNull,
                    Some((p, kw2)) if kw2 == "NOT" => {
                        return err(p, "`IS NOT` is not supported in filter patterns");
                    }
                    _ => {
                        return err(op_pos, "expected `IS TRUE`, `IS FALSE` or `IS NULL`");
                    }
                },
                Some((_, kw)) if kw == "EXISTS" && whitespace_before => {
                    return err(
                        op_pos,
                        "`EXISTS` is not supported in filter patterns (only `NOT EXISTS`)",
                    );
                }
                _ => {
                    self.pos = op_pos;
                    return err(
                        op_pos,
                        format!(
                            "expected a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`, `NOT EXISTS`, `IS ...`) after the selector, found {}",
                            self.found()
                        ),
                    );
                }
            }
        };
        // A keyword test must not run straight into more text.
        if matches!(
            test,
            Test::NotExists | Test::IsTrue | Test::IsFalse | Test::IsNull
        ) && self.peek().is_some_and(|c| !bare_end(c))
        {
            return err(
                self.pos,
                format!("unexpected {} after keyword", self.found()),
            );
        }
        Ok(Atom { sel, test })
    }

    fn parse_number_operand(&mut self, op: &str) -> Result<Num, ParseError> {
        self.skip_ws();
        let start = self.pos;
        let len: usize = self
            .rest()
            .chars()
            .take_while(|&c| !bare_end(c))
            .map(char::len_utf8)
            .sum();
        let text = &self.src[start..start + len];
        match parse_number(text) {
            Some(n) => {
                self.pos += len;
                Ok(n)
            }
            None if len == 0 => err(
                start,
                format!("expected a number after `{op}`, found {}", self.found()),
            ),
            None => err(start, format!("`{op}` needs a number, found `{text}`")),
        }
    }

    /// Reads the value of an `=` or `!=` comparison.
    fn parse_value(&mut self) -> Result<Value, ParseError> {
        self.skip_ws();
        let start = self.pos;
        if self.eat("\\\"") {
            // Copied from a JSON/HCL string: `\"value\"`.
            return match self.rest().find("\\\"") {
                Some(end) => {
                    let s = self.rest()[..end].to_string();
                    self.pos += end + 2;
                    Ok(Value::Str(s))
                }
                None => err(start, "unterminated `\\\"` string"),
            };
        }
        if self.rest().starts_with("\"\"") {
            let after = self.rest()[2..].chars().next();
            if after.is_some_and(|c| !bare_end(c) && c != '"') {
                // CIS v1.1.0 3.6 remediation quirk: `""value""`.
                self.pos += 2;
                return match self.rest().find("\"\"") {
                    Some(end) => {
                        let s = self.rest()[..end].to_string();
                        self.pos += end + 2;
                        Ok(Value::Str(s))
                    }
                    None => err(start, "unterminated `\"\"` string"),
                };
            }
        }
        if self.eat("\"") {
            let mut s = String::new();
            let mut chars = self.rest().char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.pos += i + 1;
                        return Ok(Value::Str(s));
                    }
                    '\\' => match chars.next() {
                        Some((_, e @ ('"' | '\\'))) => s.push(e),
                        Some((_, e)) => {
                            s.push('\\');
                            s.push(e);
                        }
                        None => s.push('\\'),
                    },
                    _ => s.push(c),
                }
            }
            return err(start, "unterminated string: missing closing `\"`");
        }
        let len: usize = self
            .rest()
            .chars()
            .take_while(|&c| !bare_end(c))
            .map(char::len_utf8)
            .sum();
        if len == 0 {
            return err(start, format!("expected a value, found {}", self.found()));
        }
        let text = &self.src[start..start + len];
        self.pos += len;
        Ok(match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => match parse_number(text) {
                Some(n) => Value::Num(n),
                None => Value::Str(text.to_string()),
            },
        })
    }
}

/// Parses a whole pattern text into an (unnormalized) expression.
pub(crate) fn parse_expr(text: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        src: text,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    if p.peek().is_none() {
        return Ok(Expr::True);
    }
    if !p.eat("{") {
        return err(
            p.pos,
            format!(
                "expected `{{` (only JSON filter patterns `{{ ... }}` are supported), found {}",
                p.found()
            ),
        );
    }
    let expr = p.parse_or()?;
    p.skip_ws();
    match p.peek() {
        Some('}') => p.pos += 1,
        Some('&' | '|') => {
            return err(
                p.pos,
                "expected `&&` or `||` (a single `&` or `|` is not an operator)",
            );
        }
        Some(')') => return err(p.pos, "unbalanced `)`"),
        _ => {
            return err(
                p.pos,
                format!("expected `}}` or an operator, found {}", p.found()),
            );
        }
    }
    p.skip_ws();
    if p.peek().is_some() {
        return err(
            p.pos,
            format!(
                "unexpected {} after the closing `}}` of the pattern",
                p.found()
            ),
        );
    }
    Ok(expr)
}
