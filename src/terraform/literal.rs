//! Literal expressions, as Terraform accepts them in `.tfvars` files, `-var` values and
//! variable defaults: no references and no function calls.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::template::Element;

use super::config::Src;
use crate::parse::limits::MAX_DEPTH;
use crate::value::{Key, MapBuilder, Node, Value};

/// Evaluates a literal expression; anything else (a reference, a call) is unknown.
pub fn eval(src: Src, expr: &Expression) -> Node {
    eval_depth(src, expr, 0)
}

fn eval_depth(src: Src, expr: &Expression, depth: usize) -> Node {
    let span = src.span(expr.span());
    if depth > MAX_DEPTH {
        return Node::unknown(span);
    }
    let value = match expr {
        Expression::Null(_) => Value::Null,
        Expression::Bool(b) => Value::Bool(*b.value()),
        Expression::Number(n) => match n.value().as_f64() {
            Some(x) => Value::Number(x),
            None => Value::Unknown,
        },
        Expression::String(s) => Value::String(s.value().as_str().into()),
        Expression::Array(a) => {
            Value::List(a.iter().map(|e| eval_depth(src, e, depth + 1)).collect())
        }
        Expression::Object(o) => {
            let mut map = MapBuilder::default();
            for (k, v) in o.iter() {
                let name = match k {
                    ObjectKey::Ident(id) => Some(id.as_str().to_string()),
                    ObjectKey::Expression(e) => {
                        eval_depth(src, e, depth + 1).as_str().map(str::to_string)
                    }
                };
                let Some(name) = name else {
                    return Node::unknown(span);
                };
                map.insert(
                    Key {
                        name,
                        span: src.span(k.span()),
                    },
                    eval_depth(src, v.expr(), depth + 1),
                );
            }
            Value::Map(map.finish())
        }
        Expression::StringTemplate(t) => literal_template(t.iter()),
        Expression::HeredocTemplate(h) => literal_template(h.template.iter()),
        Expression::Parenthesis(p) => return eval_depth(src, p.inner(), depth + 1).respan(span),
        Expression::UnaryOp(op) if *op.operator.value() == UnaryOperator::Neg => {
            match eval_depth(src, &op.expr, depth + 1).value {
                Value::Number(n) => Value::Number(-n),
                _ => Value::Unknown,
            }
        }
        _ => Value::Unknown,
    };
    Node::new(value, span)
}

fn literal_template<'e>(elements: impl Iterator<Item = &'e Element>) -> Value {
    let mut out = String::new();
    for el in elements {
        match el {
            Element::Literal(l) => out.push_str(l.value()),
            _ => return Value::Unknown,
        }
    }
    Value::String(out.into())
}

/// Small helpers on nodes used across the evaluator.
pub trait NodeExt {
    /// The node with its span replaced.
    fn respan(self, span: crate::source::Span) -> Node;
}

impl NodeExt for Node {
    fn respan(mut self, span: crate::source::Span) -> Node {
        self.span = span;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn lit(text: &str) -> Node {
        let e = hcl_edit::parser::parse_expr(text).unwrap();
        eval(Src::file(FileId(0)), &e)
    }

    #[test]
    fn literals() {
        assert_eq!(lit("22").value, Value::Number(22.0));
        assert_eq!(lit("-1").value, Value::Number(-1.0));
        assert_eq!(lit("\"a\"").value, Value::String("a".into()));
        assert_eq!(lit("[1, \"x\"]").as_list().unwrap().len(), 2);
        assert_eq!(lit("{a = 1, \"b\" = 2}").as_map().unwrap().len(), 2);
        assert!(lit("var.x").is_unknown());
        assert!(lit("\"${var.x}\"").is_unknown());
    }
}
