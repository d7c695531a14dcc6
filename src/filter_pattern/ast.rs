//! AST of a JSON filter pattern, its normalization and its display.

use std::cmp::Ordering;
use std::fmt;

/// A number in a numeric comparison. Ordered totally (no NaN can be parsed),
/// with `-0` folded into `0`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(pub(crate) f64);

impl Num {
    pub(crate) fn new(v: f64) -> Num {
        Num(if v == 0.0 { 0.0 } else { v })
    }
}

impl PartialEq for Num {
    fn eq(&self, other: &Num) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Num {}
impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Num {
    fn cmp(&self, other: &Num) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}
impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One step of a property selector: `.name` or `[n]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Segment {
    Field(String),
    Index(u64),
}

/// A property selector such as `$.userIdentity.type` or `$.items[0].id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Selector(pub(crate) Vec<Segment>);

impl Selector {
    /// `a` is a strict prefix of `self` (e.g. `$.a` of `$.a.b`).
    pub(crate) fn has_strict_prefix(&self, a: &Selector) -> bool {
        a.0.len() < self.0.len() && self.0[..a.0.len()] == a.0[..]
    }
}

impl fmt::Display for Selector {
    /// Displays the path without the leading `$` (e.g. `.a.b[0]` → `a.b[0]`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Segment::Field(name) if i == 0 => write!(f, "{name}")?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// The value of an `=` / `!=` comparison.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Value {
    /// A string, quoted or not; `*` is a wildcard.
    Str(String),
    /// An unquoted number: a numeric comparison.
    Num(Num),
    /// Unquoted `true` / `false`.
    Bool(bool),
}

impl std::hash::Hash for Num {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

/// The test an atom applies to its selector.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Test {
    Eq(Value),
    Ne(Value),
    Lt(Num),
    Le(Num),
    Gt(Num),
    Ge(Num),
    NotExists,
    IsTrue,
    IsFalse,
    IsNull,
}

/// An atomic condition: selector plus test.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Atom {
    pub(crate) sel: Selector,
    pub(crate) test: Test,
}

/// A boolean expression of atoms.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Expr {
    /// The empty pattern: matches every event.
    True,
    Atom(Atom),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

impl Expr {
    /// Flattens nested `&&`/`||` of the same operator, sorts and dedups the
    /// operands and unwraps single-operand lists. Both operators are
    /// commutative, associative and idempotent, so matching is unchanged.
    pub(crate) fn normalize(self) -> Expr {
        match self {
            Expr::And(children) => Expr::rebuild(children, true),
            Expr::Or(children) => Expr::rebuild(children, false),
            other => other,
        }
    }

    fn rebuild(children: Vec<Expr>, is_and: bool) -> Expr {
        let mut flat = Vec::with_capacity(children.len());
        for child in children {
            match (child.normalize(), is_and) {
                (Expr::And(inner), true) | (Expr::Or(inner), false) => flat.extend(inner),
                (Expr::True, true) => {}
                (Expr::True, false) => return Expr::True,
                (other, _) => flat.push(other),
            }
        }
        flat.sort();
        flat.dedup();
        match flat.len() {
            0 => Expr::True,
            1 => flat.pop().expect("one operand"),
            _ if is_and => Expr::And(flat),
            _ => Expr::Or(flat),
        }
    }
}

/// Characters a string value may contain and still be written unquoted in
/// normalized output (a conservative subset of what the parser accepts).
fn plain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// Renders a string value, quoting it only when needed.
pub(crate) fn render_str(s: &str) -> String {
    let needs_quotes = s.is_empty()
        || !s.chars().all(plain_char)
        || super::parser::looks_numeric(s)
        || s == "true"
        || s == "false";
    if needs_quotes {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('"');
        for c in s.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
        out
    } else {
        s.to_string()
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(&render_str(s)),
            Value::Num(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl Atom {
    /// Renders the atom; `dollar` chooses between `$.a = b` and `a = b`.
    pub(crate) fn render(&self, dollar: bool) -> String {
        let sel = if dollar {
            match self.sel.0.first() {
                Some(Segment::Index(_)) => format!("${}", self.sel),
                _ => format!("$.{}", self.sel),
            }
        } else {
            self.sel.to_string()
        };
        match &self.test {
            Test::Eq(v) => format!("{sel} = {v}"),
            Test::Ne(v) => format!("{sel} != {v}"),
            Test::Lt(n) => format!("{sel} < {n}"),
            Test::Le(n) => format!("{sel} <= {n}"),
            Test::Gt(n) => format!("{sel} > {n}"),
            Test::Ge(n) => format!("{sel} >= {n}"),
            Test::NotExists => format!("{sel} NOT EXISTS"),
            Test::IsTrue => format!("{sel} IS TRUE"),
            Test::IsFalse => format!("{sel} IS FALSE"),
            Test::IsNull => format!("{sel} IS NULL"),
        }
    }
}

impl fmt::Display for Expr {
    /// Renders without braces; `||` inside `&&` is parenthesized, nothing
    /// else is (since `&&` binds tighter than `||`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::True => Ok(()),
            Expr::Atom(a) => f.write_str(&a.render(true)),
            Expr::Or(children) => {
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" || ")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
            Expr::And(children) => {
                for (i, c) in children.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" && ")?;
                    }
                    if matches!(c, Expr::Or(_)) {
                        write!(f, "({c})")?;
                    } else {
                        write!(f, "{c}")?;
                    }
                }
                Ok(())
            }
        }
    }
}
