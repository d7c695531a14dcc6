//! Terraform's built-in functions, evaluated on known values; any unknown argument makes the
//! result unknown, except where Terraform short-circuits (`try`, `can`, `coalesce`).

use hcl_edit::expr::Expression;

use super::eval::{Bindings, Scope, merge_refs, scalar_string, values_equal};
use crate::source::{FileId, Span};
use crate::value::{Key, Map, Node, Value, format_number};

/// Evaluates a call of the built-in function `name`.
#[allow(clippy::too_many_arguments)]
pub fn call(
    scope: &Scope<'_>,
    file: FileId,
    name: &str,
    args: &[&Expression],
    expand_final: bool,
    b: &Bindings,
    span: Span,
    _depth: usize,
) -> Node {
    // Functions that must see their arguments unevaluated or may ignore unknowns.
    match name {
        "try" => {
            for a in args {
                let v = scope.eval(file, a, b);
                if !v.is_unknown() || v.refs.is_empty() {
                    if v.is_unknown() {
                        continue;
                    }
                    return with_span(v, span);
                }
                // A value unknown because of a reference: Terraform cannot decide yet.
                return with_span(v, span);
            }
            return Node::unknown(span);
        }
        "can" => {
            let v = args.first().map(|a| scope.eval(file, a, b));
            return match v {
                Some(v) if v.is_unknown() && !v.refs.is_empty() => Node::unknown(span),
                Some(v) if v.is_unknown() => Node::new(Value::Bool(false), span),
                Some(_) => Node::new(Value::Bool(true), span),
                None => Node::unknown(span),
            };
        }
        _ => {}
    }
    let mut vals: Vec<Node> = args.iter().map(|a| scope.eval(file, a, b)).collect();
    if expand_final && let Some(last) = vals.pop() {
        match last.value {
            Value::List(items) => vals.extend(items),
            _ => return unknown_from(&vals, span),
        }
    }
    match name {
        "coalesce" => {
            for v in &vals {
                if v.is_unknown() {
                    return unknown_from(&vals, span);
                }
                if !v.is_null() && v.as_str() != Some("") {
                    return with_span(v.clone(), span);
                }
            }
            return Node::unknown(span);
        }
        "timestamp" | "uuid" | "plantimestamp" | "bcrypt" | "uuidv5" => {
            return Node::unknown(span);
        }
        _ => {}
    }
    if vals.iter().any(Node::contains_unknown) {
        let mut n = unknown_from(&vals, span);
        // jsonencode keeps its structure even when a value inside is unknown (an ARN), so
        // that policy statements stay readable and can be pointed at.
        if name == "jsonencode" {
            n.encoded = vals.first().cloned().map(Box::new);
        }
        return n;
    }
    let result = known_call(name, &vals, span);
    match result {
        Some(mut n) => {
            n.span = span;
            n
        }
        None => unknown_from(&vals, span),
    }
}

fn with_span(mut n: Node, span: Span) -> Node {
    if n.origin.is_none() {
        n.origin = Some(n.span);
    }
    n.span = span;
    n
}

fn unknown_from(vals: &[Node], span: Span) -> Node {
    let mut n = Node::unknown(span);
    n.refs = merge_refs(&vals.iter().collect::<Vec<_>>());
    n
}

fn s(v: &str, span: Span) -> Node {
    Node::new(Value::String(v.to_string()), span)
}

fn list(items: Vec<Node>, span: Span) -> Node {
    Node::new(Value::List(items), span)
}

fn num(x: f64, span: Span) -> Node {
    Node::new(Value::Number(x), span)
}

/// Functions over fully known arguments; `None` for an unsupported function or bad arguments.
fn known_call(name: &str, a: &[Node], span: Span) -> Option<Node> {
    let str_arg = |i: usize| a.get(i).and_then(scalar_string);
    Some(match name {
        "lower" => s(&str_arg(0)?.to_lowercase(), span),
        "upper" => s(&str_arg(0)?.to_uppercase(), span),
        "trimspace" => s(str_arg(0)?.trim(), span),
        "tostring" => match &a.first()?.value {
            Value::Null => Node::new(Value::Null, span),
            _ => s(&str_arg(0)?, span),
        },
        "tonumber" => match &a.first()?.value {
            Value::Null => Node::new(Value::Null, span),
            _ => num(str_arg(0)?.parse().ok()?, span),
        },
        "tobool" => match &a.first()?.value {
            Value::Null => Node::new(Value::Null, span),
            _ => Node::new(Value::Bool(a[0].as_bool()?), span),
        },
        "tolist" | "toset" => {
            let items = a.first()?.as_list()?.to_vec();
            if name == "toset" {
                let mut out: Vec<Node> = Vec::new();
                for i in items {
                    if !out.iter().any(|o| values_equal(o, &i)) {
                        out.push(i);
                    }
                }
                list(out, span)
            } else {
                list(items, span)
            }
        }
        "tomap" => a.first()?.clone(),
        "length" => match &a.first()?.value {
            Value::List(l) => num(l.len() as f64, span),
            Value::Map(m) => num(m.len() as f64, span),
            Value::String(x) => num(x.chars().count() as f64, span),
            _ => return None,
        },
        "concat" => list(
            a.iter()
                .flat_map(|v| v.as_list().map(|l| l.to_vec()).unwrap_or_default())
                .collect(),
            span,
        ),
        "flatten" => {
            fn flat(n: &Node, out: &mut Vec<Node>) {
                match &n.value {
                    Value::List(l) => l.iter().for_each(|i| flat(i, out)),
                    _ => out.push(n.clone()),
                }
            }
            let mut out = Vec::new();
            flat(a.first()?, &mut out);
            list(out, span)
        }
        "compact" => list(
            a.first()?
                .as_list()?
                .iter()
                .filter(|v| !v.is_null() && v.as_str() != Some(""))
                .cloned()
                .collect(),
            span,
        ),
        "distinct" => {
            let mut out: Vec<Node> = Vec::new();
            for i in a.first()?.as_list()? {
                if !out.iter().any(|o| values_equal(o, i)) {
                    out.push(i.clone());
                }
            }
            list(out, span)
        }
        "contains" => {
            let needle = a.get(1)?;
            Node::new(
                Value::Bool(
                    a.first()?
                        .as_list()?
                        .iter()
                        .any(|v| values_equal(v, needle)),
                ),
                span,
            )
        }
        "keys" => list(
            a.first()?
                .as_map()?
                .iter()
                .map(|(k, _)| s(&k.name, k.span))
                .collect(),
            span,
        ),
        "values" => list(
            a.first()?
                .as_map()?
                .iter()
                .map(|(_, v)| v.clone())
                .collect(),
            span,
        ),
        "merge" => {
            let mut m = Map::default();
            for v in a {
                if v.is_null() {
                    continue;
                }
                for (k, val) in v.as_map()?.iter() {
                    m.insert(k.clone(), val.clone());
                }
            }
            Node::new(Value::Map(m), span)
        }
        "lookup" => {
            let m = a.first()?.as_map()?;
            match m.get(&str_arg(1)?) {
                Some(v) => v.clone(),
                None => a.get(2)?.clone(),
            }
        }
        "element" => {
            let l = a.first()?.as_list()?;
            let i = a.get(1)?.as_f64()? as usize;
            if l.is_empty() {
                return None;
            }
            l[i % l.len()].clone()
        }
        "join" => {
            let sep = str_arg(0)?;
            let mut parts = Vec::new();
            for l in &a[1..] {
                for v in l.as_list()? {
                    parts.push(scalar_string(v)?);
                }
            }
            s(&parts.join(&sep), span)
        }
        "split" => {
            let sep = str_arg(0)?;
            let text = str_arg(1)?;
            list(text.split(sep.as_str()).map(|p| s(p, span)).collect(), span)
        }
        "replace" => {
            let (text, from, to) = (str_arg(0)?, str_arg(1)?, str_arg(2)?);
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return None; // regular-expression replace: not evaluated
            }
            s(&text.replace(&from, &to), span)
        }
        "format" => s(&format_fn(&str_arg(0)?, &a[1..])?, span),
        "min" | "max" => {
            let nums: Option<Vec<f64>> = a.iter().map(Node::as_f64).collect();
            let nums = nums?;
            let v = if name == "min" {
                nums.into_iter().fold(f64::INFINITY, f64::min)
            } else {
                nums.into_iter().fold(f64::NEG_INFINITY, f64::max)
            };
            num(v, span)
        }
        "abs" => num(a.first()?.as_f64()?.abs(), span),
        "ceil" => num(a.first()?.as_f64()?.ceil(), span),
        "floor" => num(a.first()?.as_f64()?.floor(), span),
        "range" => {
            let nums: Option<Vec<f64>> = a.iter().map(Node::as_f64).collect();
            let nums = nums?;
            let (start, end, step) = match nums.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s0, e] => (*s0, *e, if e >= s0 { 1.0 } else { -1.0 }),
                [s0, e, st] => (*s0, *e, *st),
                _ => return None,
            };
            if step == 0.0 || ((end - start) / step) > 1024.0 * 1024.0 {
                return None;
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(num(x, span));
                x += step;
            }
            list(out, span)
        }
        "zipmap" => {
            let (ks, vs) = (a.first()?.as_list()?, a.get(1)?.as_list()?);
            let mut m = Map::default();
            for (k, v) in ks.iter().zip(vs) {
                m.insert(
                    Key {
                        name: scalar_string(k)?,
                        span: k.span,
                    },
                    v.clone(),
                );
            }
            Node::new(Value::Map(m), span)
        }
        "jsonencode" => {
            let mut n = s(&a.first()?.to_json().to_string(), span);
            n.encoded = Some(Box::new(a.first()?.clone()));
            n
        }
        _ => return None,
    })
}

/// A subset of Terraform's `format`: `%s`, `%d`, `%v`, `%%`.
fn format_fn(spec: &str, args: &[Node]) -> Option<String> {
    let mut out = String::new();
    let mut it = args.iter();
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' | 'v' => out.push_str(&scalar_string(it.next()?)?),
            'd' => out.push_str(&format_number(it.next()?.as_f64()?.trunc())),
            _ => return None,
        }
    }
    Some(out)
}
