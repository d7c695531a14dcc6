//! Terraform's built-in functions. A function whose arguments are not known gives an unknown
//! result, except where Terraform itself decides early (`try`, `can`, `coalesce`, `length` of
//! a list with unknown elements, …). A call that Terraform would reject is an evaluation error
//! (which `try` and `can` catch) and gives an unknown; a function cislint does not implement
//! gives an unknown, never a guess.

use hcl_edit::expr::Expression;

use super::cidr;
use super::config::Src;
use super::encoding;
use super::eval::{Bindings, merge_refs, scalar_string, values_equal};
use super::files::Denied;
use super::scope::{Over, Refused, Scope, Size, Tree, over_size};
use super::sets::{self, ValueSet};
use crate::parse::budget::{BoundedString, TooLong};
use crate::source::Span;
use crate::value::{Key, Map, MapBuilder, Node, Ref, Value, format_number};

/// A call of a function, as budget errors name it: `` `replace()` ``.
struct Call<'a>(&'a str);

impl std::fmt::Display for Call<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}()`", self.0)
    }
}

/// Functions whose result depends on when or where they run: always unknown at plan time
/// as far as the code tells.
const APPLY_TIME: &[&str] = &[
    "timestamp",
    "plantimestamp",
    "uuid",
    "bcrypt",
    "abspath",
    "pathexpand",
    "fileset",
    "formatdate",
    "timeadd",
    "timecmp",
    "rsadecrypt",
    "base64gzip",
    "textencodebase64",
    "textdecodebase64",
    "yamlencode",
    "csvdecode",
    "uuidv5",
    "ephemeralasnull",
    "templatestring",
];

/// Evaluates a call of the built-in function `name`.
#[allow(clippy::too_many_arguments)]
pub fn call(
    scope: &Scope<'_, '_>,
    src: Src,
    name: &str,
    args: &[&Expression],
    expand_final: bool,
    b: &Bindings,
    span: Span,
    d: usize,
) -> Node {
    let tree = scope.tree;
    match name {
        "try" => {
            let before = tree.error_count();
            for a in args {
                let mark = tree.error_count();
                let v = scope.eval_hcl(src, a, b, d);
                if tree.error_count() > mark {
                    continue;
                }
                tree.reset_errors(before);
                // Whether a partly unknown value would fail later cannot be known yet.
                if v.contains_unknown() {
                    return unknown_of(&[&v], span);
                }
                return scope.relocate(v, span);
            }
            tree.reset_errors(before);
            tree.fail();
            return Node::unknown(span);
        }
        "can" => {
            let before = tree.error_count();
            let Some(a) = args.first() else {
                tree.fail();
                return Node::unknown(span);
            };
            let v = scope.eval_hcl(src, a, b, d);
            let errored = tree.error_count() > before;
            tree.reset_errors(before);
            return match (errored, v.contains_unknown()) {
                (true, _) => Node::new(Value::Bool(false), span),
                (false, true) => unknown_of(&[&v], span),
                (false, false) => Node::new(Value::Bool(true), span),
            };
        }
        _ => {}
    }
    let mut vals: Vec<Node> = args.iter().map(|a| scope.eval_hcl(src, a, b, d)).collect();
    if expand_final && let Some(last) = vals.pop() {
        match last.value {
            Value::List(items) => vals.extend(items),
            Value::Unknown => {
                return unknown_of(&vals.iter().chain([&last]).collect::<Vec<_>>(), span);
            }
            _ => {
                tree.fail();
                return Node::unknown(span);
            }
        }
    }
    // Reading the arguments costs in proportion (what the call makes is charged below).
    let cost: u64 = vals
        .iter()
        .map(|v| v.as_list().map_or(1, <[Node]>::len) as u64)
        .sum();
    if !tree.charge(cost, span) {
        return unknown_of(&vals.iter().collect::<Vec<_>>(), span);
    }
    if APPLY_TIME.contains(&name) {
        return unknown_of(&vals.iter().collect::<Vec<_>>(), span);
    }
    let all: Vec<&Node> = vals.iter().collect();
    let result = match name {
        "file" | "fileexists" | "templatefile" | "filebase64" | "filemd5" | "filesha1"
        | "filesha256" | "filesha512" | "filebase64sha256" | "filebase64sha512" => {
            file_call(scope, name, &vals, b, span, d)
        }
        "jsondecode" | "yamldecode" => {
            let Some(a) = vals.first() else {
                return fail(scope, span);
            };
            if a.contains_unknown() {
                return unknown_of(&all, span);
            }
            let Some(text) = a.as_str() else {
                return fail(scope, span);
            };
            match encoding::decode(
                tree.files.sources,
                text,
                a.origin,
                span,
                name == "yamldecode",
            ) {
                // Decoded values keep their own spans (inside the file read, if any).
                Ok(n) => {
                    let mut n = n;
                    if !within_value_size(tree, &n, name, span) {
                        return unknown_of(&all, span);
                    }
                    n.refs = merge_refs(&all);
                    return n;
                }
                Err(_) => return fail(scope, span),
            }
        }
        _ => structural(tree, name, &vals, span).or_else(|| {
            if vals.iter().any(Node::contains_unknown) {
                Some(Err(()))
            } else {
                known(tree, name, &vals, span)
            }
        }),
    };
    match result {
        Some(Ok(mut n)) => {
            // What the call made: its bytes or elements (sizes that can grow were checked
            // before the value was made).
            let made = match &n.value {
                Value::String(s) => tree.string(&Call(name), s.len(), span),
                Value::List(l) => tree.elements(&Call(name), l.len(), span),
                Value::Map(m) => tree.elements(&Call(name), m.len(), span),
                _ => true,
            };
            if !made {
                return unknown_of(&all, span);
            }
            let refs = if n.as_list().is_some() || n.as_map().is_some() {
                top_refs(&all)
            } else {
                merge_refs(&all)
            };
            for r in refs {
                if !n.refs.contains(&r) {
                    n.refs.push(r);
                }
            }
            scope.relocate(n, span)
        }
        // Unknown arguments. jsonencode keeps its structure all the same (an ARN inside is
        // unknown), so that policy statements stay readable and can be pointed at.
        Some(Err(())) => {
            let mut n = unknown_of(&all, span);
            if name == "jsonencode" {
                n.encoded = vals.first().cloned().map(std::sync::Arc::new);
            }
            n
        }
        // Terraform would reject the call.
        None if is_known_function(name) => fail(scope, span),
        // Not implemented here: unknown, never a guess.
        None => unknown_of(&all, span),
    }
}

/// Whether a value made by `name` (a decoded document) has at most `value-size` elements
/// and `value-bytes` bytes; charges its elements. An error at `span` when not.
fn within_value_size(tree: &Tree<'_>, n: &Node, name: &str, span: Span) -> bool {
    let limits = tree.budget().limits();
    let mut left = Size {
        elements: limits.value_size,
        bytes: limits.value_bytes,
    };
    let budget = tree.budget();
    let check = match over_size(n, crate::parse::limits::MAX_DEPTH, &mut left) {
        None => budget.steps(limits.value_size - left.elements),
        Some(Over::Bytes) => Err(budget.too_much_text(&Call(name))),
        Some(_) => Err(budget.too_big(&Call(name), None)),
    };
    tree.within(check, span)
}

/// Length of the string Terraform interpolates for a scalar (`None` for anything else).
fn scalar_len(n: &Node) -> Option<usize> {
    match &n.value {
        Value::String(s) => Some(s.len()),
        _ => scalar_string(n).map(|s| s.len()),
    }
}

/// Appends the string Terraform interpolates for a scalar.
fn push_scalar(out: &mut String, n: &Node) {
    match &n.value {
        Value::String(s) => out.push_str(s),
        _ => out.push_str(&scalar_string(n).unwrap_or_default()),
    }
}

fn fail(scope: &Scope<'_, '_>, span: Span) -> Node {
    scope.tree.fail();
    Node::unknown(span)
}

fn unknown_of(vals: &[&Node], span: Span) -> Node {
    let mut n = Node::unknown(span);
    n.refs = merge_refs(vals);
    n
}

fn top_refs(vals: &[&Node]) -> Vec<Ref> {
    let mut refs: Vec<Ref> = vals.iter().flat_map(|n| n.refs.iter().cloned()).collect();
    refs.sort();
    refs.dedup();
    refs
}

fn s(v: impl Into<crate::value::Str>, span: Span) -> Node {
    Node::new(Value::String(v.into()), span)
}

fn list(items: Vec<Node>, span: Span) -> Node {
    Node::new(Value::list(items), span)
}

fn num(x: f64, span: Span) -> Node {
    Node::new(Value::Number(x), span)
}

fn boolean(x: bool, span: Span) -> Node {
    Node::new(Value::Bool(x), span)
}

/// Functions that work on collections whose elements may be unknown: `Some(Err(()))` when
/// the result is unknown, `None` when the function is not one of these (or the call is
/// invalid, which `known` then reports).
fn structural(tree: &Tree<'_>, name: &str, a: &[Node], span: Span) -> Option<Result<Node, ()>> {
    let top_unknown = a.iter().any(Node::is_unknown);
    // Whether a value of `n` elements may be made (checked before it is).
    let room_for = |n: usize| tree.within(tree.budget().check_elements(&Call(name), n), span);
    let r = match name {
        "length" => {
            let v = a.first()?;
            match &v.value {
                Value::List(l) => num(l.len() as f64, span),
                Value::Map(m) => num(m.len() as f64, span),
                Value::String(x) => num(x.chars().count() as f64, span),
                Value::Unknown => return Some(Err(())),
                _ => return None,
            }
        }
        "concat" => {
            if top_unknown {
                return Some(Err(()));
            }
            let mut total = 0usize;
            for v in a {
                total = total.saturating_add(v.as_list()?.len());
            }
            if !room_for(total) {
                return Some(Err(()));
            }
            let mut out = Vec::with_capacity(total);
            for v in a {
                out.extend(v.as_list()?.iter().cloned());
            }
            list(out, span)
        }
        "merge" => {
            if top_unknown {
                return Some(Err(()));
            }
            let mut total = 0usize;
            for v in a.iter().filter(|v| !v.is_null()) {
                total = total.saturating_add(v.as_map()?.len());
            }
            if !room_for(total) {
                return Some(Err(()));
            }
            let mut m = MapBuilder::default();
            for v in a {
                if v.is_null() {
                    continue;
                }
                for (k, val) in v.as_map()?.iter() {
                    m.insert(k.clone(), val.clone());
                }
            }
            Node::new(Value::Map(m.finish()), span)
        }
        "keys" => {
            let m = match &a.first()?.value {
                Value::Map(m) => m,
                Value::Unknown => return Some(Err(())),
                _ => return None,
            };
            let mut ks: Vec<&Key> = m.iter().map(|(k, _)| k).collect();
            ks.sort_by(|x, y| x.name.cmp(&y.name));
            list(
                ks.into_iter().map(|k| s(k.name.clone(), k.span)).collect(),
                span,
            )
        }
        "values" => {
            let m = match &a.first()?.value {
                Value::Map(m) => m,
                Value::Unknown => return Some(Err(())),
                _ => return None,
            };
            let mut es: Vec<(&Key, &Node)> = m.iter().collect();
            es.sort_by(|x, y| x.0.name.cmp(&y.0.name));
            list(es.into_iter().map(|(_, v)| v.clone()).collect(), span)
        }
        "lookup" => {
            let (m, k) = (a.first()?, a.get(1)?);
            if m.is_unknown() || k.contains_unknown() {
                return Some(Err(()));
            }
            let key = scalar_string(k)?;
            match m.as_map()?.get(&key) {
                Some(v) => v.clone(),
                None => a.get(2)?.clone(),
            }
        }
        "element" => {
            let (l, i) = (a.first()?, a.get(1)?);
            if l.is_unknown() || i.contains_unknown() {
                return Some(Err(()));
            }
            let l = l.as_list()?;
            let i = i.as_f64()?;
            if l.is_empty() || i < 0.0 {
                return None;
            }
            l[(i as usize) % l.len()].clone()
        }
        "tolist" | "tomap" | "sensitive" | "nonsensitive" => {
            let v = a.first()?;
            match (&v.value, name) {
                (Value::Unknown, _) => return Some(Err(())),
                (Value::List(_) | Value::Null, "tolist") => v.clone(),
                (Value::Map(_) | Value::Null, "tomap") => v.clone(),
                (_, "sensitive" | "nonsensitive") => v.clone(),
                _ => return None,
            }
        }
        "flatten" => {
            fn flat(n: &Node, out: &mut Vec<Node>, depth: usize) -> Result<(), ()> {
                match &n.value {
                    Value::List(l) if depth < 64 => {
                        for i in l {
                            flat(i, out, depth + 1)?;
                        }
                        Ok(())
                    }
                    // An unknown element could be a list: the shape is unknown.
                    Value::Unknown => Err(()),
                    _ => {
                        out.push(n.clone());
                        Ok(())
                    }
                }
            }
            /// Elements of the flattened list, counted up to `left`.
            fn count(n: &Node, left: &mut usize, depth: usize) {
                match &n.value {
                    Value::List(l) if depth < 64 => {
                        for i in l {
                            if *left == 0 {
                                return;
                            }
                            count(i, left, depth + 1);
                        }
                    }
                    _ => *left = left.saturating_sub(1),
                }
            }
            let v = a.first()?;
            v.as_list()?;
            let limit = usize::try_from(tree.budget().limits().value_size).unwrap_or(usize::MAX);
            let mut left = limit.saturating_add(1);
            count(v, &mut left, 0);
            if !room_for(limit.saturating_add(1) - left) {
                return Some(Err(()));
            }
            let mut out = Vec::new();
            if flat(v, &mut out, 0).is_err() {
                return Some(Err(()));
            }
            list(out, span)
        }
        "slice" => {
            let (l, from, to) = (a.first()?, a.get(1)?, a.get(2)?);
            if l.is_unknown() || from.contains_unknown() || to.contains_unknown() {
                return Some(Err(()));
            }
            let l = l.as_list()?;
            let (f, t) = (from.as_f64()?, to.as_f64()?);
            if f < 0.0 || t < f || t as usize > l.len() {
                return None;
            }
            list(l[f as usize..t as usize].to_vec(), span)
        }
        "reverse" => match &a.first()?.value {
            Value::List(l) => list(l.iter().rev().cloned().collect(), span),
            Value::Unknown => return Some(Err(())),
            _ => return None,
        },
        "zipmap" => {
            let (ks, vs) = (a.first()?, a.get(1)?);
            if ks.contains_unknown() || vs.is_unknown() {
                return Some(Err(()));
            }
            let (ks, vs) = (ks.as_list()?, vs.as_list()?);
            if ks.len() != vs.len() {
                return None;
            }
            let mut m = MapBuilder::default();
            for (k, v) in ks.iter().zip(vs) {
                m.insert(
                    Key {
                        name: scalar_string(k)?,
                        span: k.span,
                    },
                    v.clone(),
                );
            }
            Node::new(Value::Map(m.finish()), span)
        }
        "coalesce" => {
            for v in a {
                if v.is_unknown() {
                    return Some(Err(()));
                }
                if !v.is_null() && v.as_str() != Some("") {
                    return Some(Ok(v.clone()));
                }
            }
            return None;
        }
        "coalescelist" => {
            for v in a {
                match &v.value {
                    Value::Unknown => return Some(Err(())),
                    Value::List(l) if !l.is_empty() => return Some(Ok(v.clone())),
                    Value::List(_) | Value::Null => {}
                    _ => return None,
                }
            }
            return None;
        }
        "one" => match &a.first()?.value {
            Value::List(l) if l.is_empty() => Node::new(Value::Null, span),
            Value::List(l) if l.len() == 1 => l[0].clone(),
            Value::Null => Node::new(Value::Null, span),
            Value::Unknown => return Some(Err(())),
            _ => return None,
        },
        _ => return None,
    };
    Some(Ok(r))
}

/// Whether `name` is a function `known` implements (so a `None` from it is an error).
fn is_known_function(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "length",
        "concat",
        "merge",
        "keys",
        "values",
        "lookup",
        "element",
        "tolist",
        "tomap",
        "flatten",
        "slice",
        "reverse",
        "zipmap",
        "coalesce",
        "coalescelist",
        "one",
        "lower",
        "upper",
        "title",
        "trimspace",
        "trim",
        "trimprefix",
        "trimsuffix",
        "chomp",
        "strrev",
        "startswith",
        "endswith",
        "strcontains",
        "substr",
        "indent",
        "tostring",
        "tonumber",
        "tobool",
        "toset",
        "compact",
        "distinct",
        "contains",
        "index",
        "join",
        "split",
        "replace",
        "regex",
        "regexall",
        "format",
        "formatlist",
        "min",
        "max",
        "sum",
        "abs",
        "ceil",
        "floor",
        "signum",
        "pow",
        "log",
        "parseint",
        "range",
        "setunion",
        "setsubtract",
        "setintersection",
        "sort",
        "alltrue",
        "anytrue",
        "chunklist",
        "transpose",
        "matchkeys",
        "jsonencode",
        "base64encode",
        "base64decode",
        "urlencode",
        "md5",
        "sha1",
        "sha256",
        "sha512",
        "base64sha256",
        "base64sha512",
        "cidrsubnet",
        "cidrhost",
        "cidrnetmask",
        "cidrsubnets",
        "basename",
        "dirname",
        "issensitive",
        "sensitive",
        "nonsensitive",
        "jsondecode",
        "yamldecode",
        "file",
        "fileexists",
        "templatefile",
    ];
    NAMES.contains(&name)
}

/// Functions over fully known arguments; `None` when Terraform would reject the call,
/// `Some(Err(()))` never (unknowns were handled before).
fn known(tree: &Tree<'_>, name: &str, a: &[Node], span: Span) -> Option<Result<Node, ()>> {
    let budget = tree.budget();
    // Whether a string of `bytes` bytes, or a value of `n` elements, may be made (checked
    // before it is; an error at the call when not).
    let room = |bytes: usize| tree.within(budget.check_string(&Call(name), bytes), span);
    let room_for = |n: usize| tree.within(budget.check_elements(&Call(name), n), span);
    // The longest string the call may make.
    let max_bytes = usize::try_from(budget.limits().value_bytes).unwrap_or(usize::MAX);
    let too_long = || {
        tree.too_long(&Call(name), span);
        Some(Err(()))
    };
    // A pattern Terraform rejects is `Err(None)`; one over the size limit, `Err(Some(..))`.
    let regex = |pattern: &str| match tree.regex(pattern, &Call(name), span) {
        Ok(re) => Ok(re),
        Err(Refused::Invalid) => Err(None),
        Err(Refused::TooBig) => Err(Some(Err(()))),
    };
    let str_arg = |i: usize| a.get(i).and_then(scalar_string);
    let num_arg = |i: usize| {
        a.get(i).and_then(|n| match &n.value {
            Value::Number(x) => Some(*x),
            Value::String(_) => n.as_f64(),
            _ => None,
        })
    };
    let r = match name {
        "lower" => s(str_arg(0)?.to_lowercase(), span),
        "upper" => s(str_arg(0)?.to_uppercase(), span),
        "title" => s(title(&str_arg(0)?), span),
        "trimspace" => s(str_arg(0)?.trim(), span),
        "trim" => {
            let cut = str_arg(1)?;
            s(str_arg(0)?.trim_matches(|c| cut.contains(c)), span)
        }
        "trimprefix" => {
            let (x, p) = (str_arg(0)?, str_arg(1)?);
            s(x.strip_prefix(p.as_str()).unwrap_or(&x), span)
        }
        "trimsuffix" => {
            let (x, p) = (str_arg(0)?, str_arg(1)?);
            s(x.strip_suffix(p.as_str()).unwrap_or(&x), span)
        }
        "chomp" => s(str_arg(0)?.trim_end_matches(['\n', '\r']), span),
        "strrev" => s(str_arg(0)?.chars().rev().collect::<String>(), span),
        "startswith" => boolean(str_arg(0)?.starts_with(&str_arg(1)?), span),
        "endswith" => boolean(str_arg(0)?.ends_with(&str_arg(1)?), span),
        "strcontains" => boolean(str_arg(0)?.contains(&str_arg(1)?), span),
        "substr" => {
            let text: Vec<char> = str_arg(0)?.chars().collect();
            let (off, len) = (num_arg(1)? as i64, num_arg(2)? as i64);
            let n = text.len() as i64;
            let start = if off < 0 {
                (n + off).max(0)
            } else {
                off.min(n)
            };
            let end = if len < 0 { n } else { (start + len).min(n) };
            s(
                text[start as usize..end as usize]
                    .iter()
                    .collect::<String>(),
                span,
            )
        }
        "indent" => {
            let n = num_arg(0)?;
            if n < 0.0 || n.fract() != 0.0 {
                return None;
            }
            let text = str_arg(1)?;
            let lines = text.matches('\n').count();
            if lines == 0 {
                return Some(Ok(s(text, span)));
            }
            if !room(
                (n as usize)
                    .saturating_mul(lines)
                    .saturating_add(text.len()),
            ) {
                return Some(Err(()));
            }
            let pad = " ".repeat(n as usize);
            s(text.replace('\n', &format!("\n{pad}")), span)
        }
        "tostring" => match &a.first()?.value {
            Value::Null => Node::new(Value::Null, span),
            Value::String(_) | Value::Number(_) | Value::Bool(_) => s(str_arg(0)?, span),
            _ => return None,
        },
        "tonumber" => match &a.first()?.value {
            Value::Null => Node::new(Value::Null, span),
            Value::Number(x) => num(*x, span),
            Value::String(x) => num(x.parse().ok()?, span),
            _ => return None,
        },
        "tobool" => match &a.first()?.value {
            Value::Null => Node::new(Value::Null, span),
            Value::Bool(x) => boolean(*x, span),
            Value::String(x) if matches!(&**x, "true" | "false") => boolean(&**x == "true", span),
            _ => return None,
        },
        "toset" => list(sets::set_of(a.first()?.as_list()?), span),
        "compact" => list(
            a.first()?
                .as_list()?
                .iter()
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
                .cloned()
                .collect(),
            span,
        ),
        "distinct" => list(sets::distinct(a.first()?.as_list()?), span),
        "contains" => {
            let needle = a.get(1)?;
            boolean(
                a.first()?
                    .as_list()?
                    .iter()
                    .any(|v| values_equal(v, needle)),
                span,
            )
        }
        "index" => {
            let needle = a.get(1)?;
            let i = a
                .first()?
                .as_list()?
                .iter()
                .position(|v| values_equal(v, needle))?;
            num(i as f64, span)
        }
        "join" => {
            let sep = str_arg(0)?;
            // Measured before anything is copied: the parts may share one long string.
            let (mut len, mut count) = (0usize, 0usize);
            for l in &a[1..] {
                for v in l.as_list()? {
                    len = len.saturating_add(scalar_len(v)?);
                    count += 1;
                }
            }
            let seps = sep.len().saturating_mul(count.saturating_sub(1));
            if !room(len.saturating_add(seps)) {
                return Some(Err(()));
            }
            let mut out = String::with_capacity(len + seps);
            for (i, v) in a[1..]
                .iter()
                .filter_map(Node::as_list)
                .flatten()
                .enumerate()
            {
                if i > 0 {
                    out.push_str(&sep);
                }
                push_scalar(&mut out, v);
            }
            s(out, span)
        }
        "split" => {
            let (sep, text) = (str_arg(0)?, str_arg(1)?);
            if text.is_empty() {
                list(Vec::new(), span)
            } else {
                if !room_for(text.split(sep.as_str()).count()) {
                    return Some(Err(()));
                }
                list(text.split(sep.as_str()).map(|p| s(p, span)).collect(), span)
            }
        }
        "replace" => {
            let (text, from, to) = (str_arg(0)?, str_arg(1)?, str_arg(2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                let re = match regex(&from[1..from.len() - 1]) {
                    Ok(re) => re,
                    Err(refused) => return refused,
                };
                match replace_regex(&re, &text, &to, max_bytes) {
                    Ok(out) => s(out, span),
                    Err(TooLong) => return too_long(),
                }
            } else {
                let matches = text.matches(from.as_str()).count();
                let len = (text.len() - matches * from.len())
                    .saturating_add(matches.saturating_mul(to.len()));
                if !room(len) {
                    return Some(Err(()));
                }
                s(text.replace(&from, &to), span)
            }
        }
        "regex" => {
            let re = match regex(&str_arg(0)?) {
                Ok(re) => re,
                Err(refused) => return refused,
            };
            let text = str_arg(1)?;
            regex_result(&re, &re.captures(&text)?, span)
        }
        "regexall" => {
            let re = match regex(&str_arg(0)?) {
                Ok(re) => re,
                Err(refused) => return refused,
            };
            let text = str_arg(1)?;
            if !room_for(re.find_iter(&text).count()) {
                return Some(Err(()));
            }
            list(
                re.captures_iter(&text)
                    .map(|c| regex_result(&re, &c, span))
                    .collect(),
                span,
            )
        }
        "format" => match format_fn(&str_arg(0)?, &a[1..], max_bytes) {
            Ok(text) => s(text?, span),
            Err(TooLong) => return too_long(),
        },
        "formatlist" => {
            let spec = str_arg(0)?;
            let rest = &a[1..];
            let n = rest
                .iter()
                .filter_map(Node::as_list)
                .map(<[Node]>::len)
                .max();
            let Some(n) = n else {
                return match format_fn(&spec, rest, max_bytes) {
                    Ok(text) => Some(Ok(list(vec![s(text?, span)], span))),
                    Err(TooLong) => too_long(),
                };
            };
            if !room_for(n) {
                return Some(Err(()));
            }
            // The rows together are one value: they share its `value-bytes`.
            let mut left = max_bytes;
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                let row: Option<Vec<Node>> = rest
                    .iter()
                    .map(|v| match v.as_list() {
                        Some(l) => l.get(i).cloned(),
                        None => Some(v.clone()),
                    })
                    .collect();
                let text = match format_fn(&spec, &row?, left) {
                    Ok(text) => text?,
                    Err(TooLong) => {
                        tree.within(Err(budget.too_much_text(&Call(name))), span);
                        return Some(Err(()));
                    }
                };
                left -= text.len();
                out.push(s(text, span));
            }
            list(out, span)
        }
        "min" | "max" => {
            let nums: Option<Vec<f64>> = (0..a.len()).map(num_arg).collect();
            let nums = nums?;
            if nums.is_empty() {
                return None;
            }
            let v = if name == "min" {
                nums.into_iter().fold(f64::INFINITY, f64::min)
            } else {
                nums.into_iter().fold(f64::NEG_INFINITY, f64::max)
            };
            num(v, span)
        }
        "sum" => {
            let items = a.first()?.as_list()?;
            if items.is_empty() {
                return None;
            }
            let nums: Option<Vec<f64>> = items.iter().map(Node::as_f64).collect();
            num(nums?.into_iter().sum(), span)
        }
        "abs" => num(num_arg(0)?.abs(), span),
        "ceil" => num(num_arg(0)?.ceil(), span),
        "floor" => num(num_arg(0)?.floor(), span),
        "signum" => {
            let x = num_arg(0)?;
            num(
                if x > 0.0 {
                    1.0
                } else if x < 0.0 {
                    -1.0
                } else {
                    0.0
                },
                span,
            )
        }
        "pow" => num(num_arg(0)?.powf(num_arg(1)?), span),
        "log" => num(num_arg(0)?.ln() / num_arg(1)?.ln(), span),
        "parseint" => {
            let (text, base) = (str_arg(0)?, num_arg(1)? as u32);
            if !(2..=62).contains(&base) || base > 36 {
                return None;
            }
            num(i64::from_str_radix(&text, base).ok()? as f64, span)
        }
        "range" => {
            let nums: Option<Vec<f64>> = (0..a.len()).map(num_arg).collect();
            let (start, end, step) = match nums?.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s0, e] => (*s0, *e, if e >= s0 { 1.0 } else { -1.0 }),
                [s0, e, st] => (*s0, *e, *st),
                _ => return None,
            };
            let count = ((end - start) / step).ceil();
            if step == 0.0 || count > 1024.0 * 1024.0 {
                return None;
            }
            if !room_for(count.max(0.0) as usize) {
                return Some(Err(()));
            }
            let mut out = Vec::with_capacity(count.max(0.0) as usize);
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(num(x, span));
                x += step;
            }
            list(out, span)
        }
        "setunion" => {
            let mut all = Vec::new();
            for v in a {
                all.extend(v.as_list()?.iter().cloned());
            }
            list(sets::set_of(&all), span)
        }
        "setintersection" => {
            let first = a.first()?.as_list()?;
            let others: Option<Vec<ValueSet>> = a[1..]
                .iter()
                .map(|o| Some(ValueSet::of(o.as_list()?)))
                .collect();
            let others = others?;
            let out: Vec<Node> = first
                .iter()
                .filter(|i| others.iter().all(|o| o.contains(i)))
                .cloned()
                .collect();
            list(sets::set_of(&out), span)
        }
        "setsubtract" => {
            let minus = ValueSet::of(a.get(1)?.as_list()?);
            let out: Vec<Node> = a
                .first()?
                .as_list()?
                .iter()
                .filter(|i| !minus.contains(i))
                .cloned()
                .collect();
            list(sets::set_of(&out), span)
        }
        "sort" => {
            let mut items: Vec<Node> = a.first()?.as_list()?.to_vec();
            let mut keys = Vec::new();
            for i in &items {
                keys.push(scalar_string(i)?);
            }
            let mut idx: Vec<usize> = (0..items.len()).collect();
            idx.sort_by(|x, y| keys[*x].cmp(&keys[*y]));
            let sorted = idx
                .into_iter()
                .map(|i| std::mem::replace(&mut items[i], Node::new(Value::Null, span)))
                .collect();
            list(sorted, span)
        }
        "alltrue" | "anytrue" => {
            let bools: Option<Vec<bool>> =
                a.first()?.as_list()?.iter().map(Node::as_bool).collect();
            let bools = bools?;
            boolean(
                if name == "alltrue" {
                    bools.iter().all(|x| *x)
                } else {
                    bools.iter().any(|x| *x)
                },
                span,
            )
        }
        "chunklist" => {
            let items = a.first()?.as_list()?;
            let size = num_arg(1)? as usize;
            if size == 0 {
                return Some(Ok(list(vec![list(items.to_vec(), span)], span)));
            }
            if !room_for(items.len().div_ceil(size).saturating_add(items.len())) {
                return Some(Err(()));
            }
            list(
                items.chunks(size).map(|c| list(c.to_vec(), span)).collect(),
                span,
            )
        }
        "transpose" => {
            let mut out: std::collections::BTreeMap<String, Vec<Node>> = Default::default();
            for (k, v) in a.first()?.as_map()?.iter() {
                for item in v.as_list()? {
                    let key = s(k.name.as_str(), k.span);
                    out.entry(scalar_string(item)?).or_default().push(key);
                }
            }
            let m: Map = out
                .into_iter()
                .map(|(k, mut v)| {
                    v.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
                    (Key { name: k, span }, list(v, span))
                })
                .collect();
            Node::new(Value::Map(m), span)
        }
        "matchkeys" => {
            let (vals, ks, search) = (
                a.first()?.as_list()?,
                a.get(1)?.as_list()?,
                a.get(2)?.as_list()?,
            );
            if vals.len() != ks.len() {
                return None;
            }
            let search = ValueSet::of(search);
            list(
                vals.iter()
                    .zip(ks)
                    .filter(|(_, k)| search.contains(k))
                    .map(|(v, _)| v.clone())
                    .collect(),
                span,
            )
        }
        "jsonencode" => {
            let v = a.first()?;
            let mut n = match encoding::json_encode_within(v, max_bytes) {
                Ok(text) => s(text?, span),
                Err(TooLong) => return too_long(),
            };
            n.encoded = Some(std::sync::Arc::new(v.clone()));
            n
        }
        "base64encode" => {
            let text = str_arg(0)?;
            if !room(text.len().div_ceil(3).saturating_mul(4)) {
                return Some(Err(()));
            }
            s(encoding::base64_encode(text.as_bytes()), span)
        }
        "base64decode" => s(encoding::base64_decode(&str_arg(0)?)?, span),
        "urlencode" => {
            let text = str_arg(0)?;
            let escaped = text.bytes().filter(|b| !unreserved(*b)).count();
            if !room(text.len().saturating_add(escaped.saturating_mul(2))) {
                return Some(Err(()));
            }
            s(urlencode(&text), span)
        }
        "md5" | "sha1" | "sha256" | "sha512" => s(
            encoding::hex(&encoding::digest(name, str_arg(0)?.as_bytes())?),
            span,
        ),
        "base64sha256" | "base64sha512" => {
            let d = encoding::digest(&name[6..], str_arg(0)?.as_bytes())?;
            s(encoding::base64_encode(&d), span)
        }
        "cidrsubnet" => s(
            cidr::subnet(&str_arg(0)?, num_arg(1)? as i64, num_arg(2)? as i64)?,
            span,
        ),
        "cidrhost" => s(cidr::host(&str_arg(0)?, num_arg(1)? as i64)?, span),
        "cidrnetmask" => s(cidr::netmask(&str_arg(0)?)?, span),
        "cidrsubnets" => {
            let bits: Option<Vec<i64>> =
                (1..a.len()).map(|i| num_arg(i).map(|x| x as i64)).collect();
            list(
                cidr::subnets(&str_arg(0)?, &bits?)?
                    .into_iter()
                    .map(|c| s(c, span))
                    .collect(),
                span,
            )
        }
        "basename" => {
            let p = str_arg(0)?;
            s(
                p.rsplit('/')
                    .find(|x| !x.is_empty())
                    .unwrap_or(if p.starts_with('/') { "/" } else { "." }),
                span,
            )
        }
        "dirname" => {
            let p = str_arg(0)?;
            let p = p.trim_end_matches('/');
            s(
                match p.rfind('/') {
                    Some(0) => "/",
                    Some(i) => &p[..i],
                    None => ".",
                },
                span,
            )
        }
        "issensitive" => boolean(false, span),
        _ => return None,
    };
    Some(Ok(r))
}

/// The result of `regex`: the match, the list of groups, or the map of named groups.
fn regex_result(re: &regex::Regex, caps: &regex::Captures<'_>, span: Span) -> Node {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let text = |i: usize| {
        caps.get(i)
            .map(|m| s(m.as_str(), span))
            .unwrap_or(Node::new(Value::Null, span))
    };
    if names.is_empty() {
        return text(0);
    }
    if names.iter().all(Option::is_some) {
        let mut m = Map::default();
        for (i, n) in names.iter().enumerate() {
            m.insert(
                Key {
                    name: n.unwrap_or_default().to_string(),
                    span,
                },
                text(i + 1),
            );
        }
        return Node::new(Value::Map(m), span);
    }
    list((1..=names.len()).map(text).collect(), span)
}

fn title(s: &str) -> String {
    let mut out = String::new();
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

/// Bytes `urlencode` keeps as they are (a space becomes `+`, the rest `%XX`).
fn unreserved(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b' ')
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b' ' => out.push('+'),
            _ if unreserved(b) => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `replace` with a regular expression: each match replaced by `to` with its `$1`/`${name}`
/// groups expanded, the text checked against `limit` before each piece is appended.
fn replace_regex(re: &regex::Regex, text: &str, to: &str, limit: usize) -> Result<String, TooLong> {
    let mut out = BoundedString::with_limit(limit);
    // A group is part of the match, so no expansion is longer than this.
    let references = to.matches('$').count();
    let mut expanded = String::new();
    let mut last = 0;
    for caps in re.captures_iter(text) {
        let Some(m) = caps.get(0) else { continue };
        out.push_str(&text[last..m.start()])?;
        let longest = references.saturating_mul(m.len()).saturating_add(to.len());
        if longest > limit - out.len() {
            return Err(TooLong);
        }
        expanded.clear();
        caps.expand(to, &mut expanded);
        out.push_str(&expanded)?;
        last = m.end();
    }
    out.push_str(&text[last..])?;
    Ok(out.into_string())
}

/// Terraform's `format`: `%%`, `%s %q %v %d %f %t %x %X %o %b %e %g` with flags, width,
/// precision and `%[n]` argument indexes. `Ok(None)` when Terraform would reject the call;
/// `Err(TooLong)` when the text would be longer than `limit` (checked before each piece is
/// appended: a width of a billion is refused, never allocated).
fn format_fn(spec: &str, args: &[Node], limit: usize) -> Result<Option<String>, TooLong> {
    let mut out = BoundedString::with_limit(limit);
    match format_into(spec, args, &mut out) {
        Some(Ok(())) => Ok(Some(out.into_string())),
        Some(Err(TooLong)) => Err(TooLong),
        None => Ok(None),
    }
}

fn format_into(spec: &str, args: &[Node], out: &mut BoundedString) -> Option<Result<(), TooLong>> {
    // Stops the format at the first piece that does not fit.
    macro_rules! put {
        ($e:expr) => {
            if let Err(e) = $e {
                return Some(Err(e));
            }
        };
    }
    let mut next = 0usize;
    let chars: Vec<char> = spec.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '%' {
            put!(out.push(c));
            continue;
        }
        if chars.get(i) == Some(&'%') {
            put!(out.push('%'));
            i += 1;
            continue;
        }
        let (mut left, mut zero, mut plus, mut space) = (false, false, false, false);
        while let Some(f) = chars.get(i) {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' => plus = true,
                ' ' => space = true,
                '#' => {}
                _ => break,
            }
            i += 1;
        }
        if chars.get(i) == Some(&'[') {
            let close = chars[i..].iter().position(|c| *c == ']')? + i;
            let n: usize = chars[i + 1..close]
                .iter()
                .collect::<String>()
                .parse()
                .ok()?;
            next = n.checked_sub(1)?;
            i = close + 1;
        }
        let mut width = String::new();
        while let Some(d) = chars.get(i).filter(|c| c.is_ascii_digit()) {
            width.push(*d);
            i += 1;
        }
        let mut precision: Option<usize> = None;
        if chars.get(i) == Some(&'.') {
            i += 1;
            let mut p = String::new();
            while let Some(d) = chars.get(i).filter(|c| c.is_ascii_digit()) {
                p.push(*d);
                i += 1;
            }
            // `%.f` is a precision of 0; one too large to read is larger than any limit.
            precision = Some(if p.is_empty() {
                0
            } else {
                p.parse().unwrap_or(usize::MAX)
            });
        }
        let verb = *chars.get(i)?;
        // A number's precision makes that many digits: they must fit before they are made.
        if matches!(verb, 'f' | 'F' | 'e') && precision.is_some_and(|p| p > out.room()) {
            return Some(Err(TooLong));
        }
        i += 1;
        let arg = args.get(next)?;
        next += 1;
        let sign = |x: f64, body: String| {
            if x < 0.0 || body.starts_with('-') {
                body
            } else if plus {
                format!("+{body}")
            } else if space {
                format!(" {body}")
            } else {
                body
            }
        };
        let body = match verb {
            's' => {
                let mut t = scalar_string(arg)?;
                if let Some(p) = precision {
                    t = t.chars().take(p).collect();
                }
                t
            }
            'v' => match &arg.value {
                Value::List(_) | Value::Map(_) => {
                    match encoding::json_encode_within(arg, out.room()) {
                        Ok(text) => text?,
                        Err(e) => return Some(Err(e)),
                    }
                }
                _ => scalar_string(arg)?,
            },
            'q' => {
                let text = s(scalar_string(arg)?, arg.span);
                match encoding::json_encode_within(&text, out.room()) {
                    Ok(text) => text?,
                    Err(e) => return Some(Err(e)),
                }
            }
            't' => arg.as_bool()?.to_string(),
            'd' => {
                let x = arg.as_f64()?;
                if x.fract() != 0.0 {
                    return None;
                }
                sign(x, format_number(x))
            }
            'f' | 'F' => {
                let x = arg.as_f64()?;
                sign(x, format!("{:.*}", precision.unwrap_or(6), x))
            }
            'e' => {
                let x = arg.as_f64()?;
                sign(x, go_exp(x, precision.unwrap_or(6)))
            }
            'g' => {
                let x = arg.as_f64()?;
                sign(x, format!("{x}"))
            }
            'x' | 'X' | 'o' | 'b' => {
                let x = arg.as_f64()?;
                if x.fract() != 0.0 {
                    return None;
                }
                let v = x.abs() as i128;
                let digits = match verb {
                    'x' => format!("{v:x}"),
                    'X' => format!("{v:X}"),
                    'o' => format!("{v:o}"),
                    _ => format!("{v:b}"),
                };
                sign(
                    x,
                    if x < 0.0 {
                        format!("-{digits}")
                    } else {
                        digits
                    },
                )
            }
            _ => return None,
        };
        // A width too large to read is larger than any limit.
        let w: usize = match width.as_str() {
            "" => 0,
            digits => digits.parse().unwrap_or(usize::MAX),
        };
        let len = body.chars().count();
        if len < w {
            let pad = w - len;
            if left {
                put!(out.push_str(&body));
                put!(out.pad(' ', pad));
            } else if zero && matches!(verb, 'd' | 'f' | 'F' | 'e' | 'x' | 'X' | 'o' | 'b') {
                let (sgn, digits) = match body.strip_prefix(['-', '+', ' ']) {
                    Some(rest) => (&body[..1], rest),
                    None => ("", body.as_str()),
                };
                put!(out.push_str(sgn));
                put!(out.pad('0', pad));
                put!(out.push_str(digits));
            } else {
                put!(out.pad(' ', pad));
                put!(out.push_str(&body));
            }
        } else {
            put!(out.push_str(&body));
        }
    }
    Some(Ok(()))
}

/// Go's `%e`: `1.500000e+00`.
fn go_exp(x: f64, precision: usize) -> String {
    let s = format!("{x:.precision$e}");
    match s.split_once('e') {
        Some((m, e)) => {
            let (sign, digits) = match e.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', e),
            };
            format!("{m}e{sign}{digits:0>2}")
        }
        None => s,
    }
}

/// `file`, `fileexists`, `templatefile` and the file hashes: confined to the scanned
/// directories; a path out of them is an input error at the call and is never read.
fn file_call(
    scope: &Scope<'_, '_>,
    name: &str,
    a: &[Node],
    b: &Bindings,
    span: Span,
    d: usize,
) -> Option<Result<Node, ()>> {
    let tree = scope.tree;
    let path_node = a.first()?;
    if path_node.contains_unknown()
        || (name == "templatefile" && a.get(1).is_some_and(Node::is_unknown))
    {
        return Some(Err(()));
    }
    let path = path_node.as_str()?;
    let (display, canonical) = match tree.files.resolve(&tree.root_dir, path) {
        Ok(p) => p,
        Err(Denied::Outside(msg)) => {
            tree.input_error(span, format!("{name}(): {msg}"));
            // Not read, and not an evaluation error: `try` must not turn it into a fallback.
            return Some(Err(()));
        }
        Err(Denied::Missing) if name == "fileexists" => return Some(Ok(boolean(false, span))),
        Err(Denied::Missing) => return None,
    };
    if name == "fileexists" {
        return Some(Ok(boolean(canonical.is_file(), span)));
    }
    if name != "file" && name != "templatefile" {
        let bytes = tree.files.read_bytes(&canonical).ok()?;
        let v = match name {
            "filebase64" => encoding::base64_encode(&bytes),
            "filebase64sha256" => encoding::base64_encode(&encoding::digest("sha256", &bytes)?),
            "filebase64sha512" => encoding::base64_encode(&encoding::digest("sha512", &bytes)?),
            _ => encoding::hex(&encoding::digest(&name[4..], &bytes)?),
        };
        return Some(Ok(s(v, span)));
    }
    let (id, text) = tree.files.read_text(&display, &canonical).ok()?;
    let whole = Span::new(id, 0, text.len());
    if name == "file" {
        let mut n = s(text.to_string(), span);
        n.origin = Some(whole);
        return Some(Ok(n));
    }
    // templatefile: the template sees only the variables given, and may not include itself
    // (Terraform rejects that too): an error at the inner call, and an unknown value.
    if tree.templates.borrow().contains(&canonical) {
        tree.input_error(
            span,
            format!(
                "templatefile: `{}` includes itself; its value is unknown",
                display.display()
            ),
        );
        return None;
    }
    let vars = match a.get(1).map(|v| &v.value) {
        Some(Value::Map(m)) => m.clone(),
        Some(Value::Null) | None => Map::default(),
        _ => return None,
    };
    let template = match super::balance::parse_template(&text) {
        Ok(t) => t,
        Err((at, message)) => {
            tree.input_error(Span::new(id, at, (at + 1).min(text.len()).max(at)), message);
            return None;
        }
    };
    let mut bindings = Bindings::isolated();
    for (k, v) in vars.iter() {
        bindings = bindings.with(&k.name, v.clone());
    }
    let _ = b;
    tree.templates.borrow_mut().push(canonical.clone());
    let before = tree.error_count();
    let elements: Vec<&hcl_edit::template::Element> = template.iter().collect();
    let mut n = scope.eval_template(
        Src::file(id),
        &elements,
        &bindings,
        d + 1,
        span,
        (false, false),
    );
    tree.templates.borrow_mut().retain(|p| p != &canonical);
    if tree.error_count() > before {
        return None;
    }
    if n.is_unknown() {
        return Some(Err(()));
    }
    n.origin = Some(whole);
    n.span = span;
    Some(Ok(n))
}
