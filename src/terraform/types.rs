//! Type constraints of input variables (`list(string)`, `object({ a = optional(number, 1) })`)
//! and the conversions Terraform applies when it binds a value to a variable.

use hcl_edit::expr::{Expression, ObjectKey};

use super::config::{Expr, Src};
use super::eval::scalar_string;
use super::literal;
use super::tfjson::JExpr;
use crate::parse::limits::MAX_DEPTH;
use crate::value::{Key, MapBuilder, Node, Value};

/// A type constraint.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Any,
    String,
    Number,
    Bool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(Vec<ObjAttr>),
}

/// One attribute of an object type.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjAttr {
    pub name: String,
    pub ty: Ty,
    /// `optional(…)`: absent or null takes `default` (or null).
    pub optional: bool,
    pub default: Option<Node>,
}

impl Ty {
    /// Reads a type expression; `any` when it is not one.
    pub fn parse(expr: Expr<'_>) -> Ty {
        match expr {
            Expr::Hcl(e, src) => parse_hcl(e, src, 0),
            Expr::Json(JExpr::Parsed(e, src, _)) => parse_hcl(e, *src, 0),
            Expr::Json(JExpr::Literal(n)) => match n.as_str().map(super::balance::parse_expr) {
                Some(Ok(e)) => parse_hcl(&e, Src::file(n.span.file), 0),
                _ => Ty::Any,
            },
            Expr::Json(_) => Ty::Any,
        }
    }

    /// Whether values given on the command line or in `TF_VAR_` are taken as literal strings
    /// (primitive types and `any`) rather than parsed as HCL.
    pub fn takes_literal_string(&self) -> bool {
        matches!(self, Ty::Any | Ty::String | Ty::Number | Ty::Bool)
    }
}

fn parse_hcl(e: &Expression, src: Src, depth: usize) -> Ty {
    if depth > MAX_DEPTH {
        return Ty::Any;
    }
    let d = depth + 1;
    match e {
        Expression::Variable(v) => match v.as_str() {
            "string" => Ty::String,
            "number" => Ty::Number,
            "bool" => Ty::Bool,
            _ => Ty::Any,
        },
        Expression::Parenthesis(p) => parse_hcl(p.inner(), src, d),
        Expression::FuncCall(c) => {
            let args: Vec<&Expression> = c.args.iter().collect();
            let first = || {
                args.first()
                    .map(|a| parse_hcl(a, src, d))
                    .unwrap_or(Ty::Any)
            };
            match c.name.name.as_str() {
                "list" => Ty::List(Box::new(first())),
                "set" => Ty::Set(Box::new(first())),
                "map" => Ty::Map(Box::new(first())),
                "tuple" => match args.first() {
                    Some(Expression::Array(a)) => {
                        Ty::Tuple(a.iter().map(|x| parse_hcl(x, src, d)).collect())
                    }
                    _ => Ty::Any,
                },
                "object" => match args.first() {
                    Some(Expression::Object(o)) => {
                        let mut attrs = Vec::new();
                        for (k, v) in o.iter() {
                            let name = match k {
                                ObjectKey::Ident(id) => id.as_str().to_string(),
                                ObjectKey::Expression(Expression::String(s)) => {
                                    s.value().to_string()
                                }
                                ObjectKey::Expression(Expression::Variable(v)) => {
                                    v.as_str().to_string()
                                }
                                _ => continue,
                            };
                            attrs.push(object_attr(name, v.expr(), src, d));
                        }
                        Ty::Object(attrs)
                    }
                    _ => Ty::Any,
                },
                _ => Ty::Any,
            }
        }
        _ => Ty::Any,
    }
}

fn object_attr(name: String, e: &Expression, src: Src, d: usize) -> ObjAttr {
    if let Expression::FuncCall(c) = e
        && c.name.name.as_str() == "optional"
    {
        let args: Vec<&Expression> = c.args.iter().collect();
        let ty = args
            .first()
            .map(|a| parse_hcl(a, src, d))
            .unwrap_or(Ty::Any);
        let default = args.get(1).map(|a| {
            let n = literal::eval(src, a);
            convert(&n, &ty).unwrap_or(n)
        });
        return ObjAttr {
            name,
            ty,
            optional: true,
            default,
        };
    }
    ObjAttr {
        name,
        ty: parse_hcl(e, src, d),
        optional: false,
        default: None,
    }
}

/// Converts a value to a type as Terraform does when binding a variable; `Err` when
/// Terraform would reject the value. Unknown and null values convert to anything.
pub fn convert(n: &Node, ty: &Ty) -> Result<Node, String> {
    convert_depth(n, ty, 0)
}

fn convert_depth(n: &Node, ty: &Ty, depth: usize) -> Result<Node, String> {
    if depth > MAX_DEPTH {
        return Err("type nesting too deep".into());
    }
    let d = depth + 1;
    if matches!(n.value, Value::Unknown | Value::Null) || *ty == Ty::Any {
        return Ok(n.clone());
    }
    let with = |value: Value| {
        let mut out = n.clone();
        out.value = value;
        out
    };
    match ty {
        Ty::Any => Ok(n.clone()),
        Ty::String => match &n.value {
            Value::String(_) => Ok(n.clone()),
            Value::Number(_) | Value::Bool(_) => Ok(with(Value::String(
                scalar_string(n).unwrap_or_default().into(),
            ))),
            _ => Err("a string is required".into()),
        },
        Ty::Number => match &n.value {
            Value::Number(_) => Ok(n.clone()),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && s.trim() == &**s)
                .map(|x| with(Value::Number(x)))
                .ok_or_else(|| format!("`{s}` is not a number")),
            _ => Err("a number is required".into()),
        },
        Ty::Bool => match &n.value {
            Value::Bool(_) => Ok(n.clone()),
            Value::String(s) if matches!(&**s, "true" | "false") => {
                Ok(with(Value::Bool(&**s == "true")))
            }
            _ => Err("a bool is required".into()),
        },
        Ty::List(t) | Ty::Set(t) => {
            let items = match &n.value {
                Value::List(items) => items,
                _ => return Err("a list is required".into()),
            };
            let mut out = Vec::with_capacity(items.len());
            for i in items {
                out.push(convert_depth(i, t, d)?);
            }
            if matches!(ty, Ty::Set(_)) {
                out = super::sets::set_of(&out);
            }
            Ok(with(Value::list(out)))
        }
        Ty::Tuple(ts) => {
            let items = match &n.value {
                Value::List(items) if items.len() == ts.len() => items,
                _ => return Err(format!("a tuple of {} elements is required", ts.len())),
            };
            let out: Result<Vec<Node>, String> = items
                .iter()
                .zip(ts)
                .map(|(i, t)| convert_depth(i, t, d))
                .collect();
            Ok(with(Value::list(out?)))
        }
        Ty::Map(t) => {
            let m = match &n.value {
                Value::Map(m) => m,
                _ => return Err("a map is required".into()),
            };
            let mut out = MapBuilder::default();
            for (k, v) in m.iter() {
                out.insert(k.clone(), convert_depth(v, t, d)?);
            }
            Ok(with(Value::Map(out.finish())))
        }
        Ty::Object(attrs) => {
            let m = match &n.value {
                Value::Map(m) => m,
                _ => return Err("an object is required".into()),
            };
            let mut out = MapBuilder::default();
            for a in attrs {
                let present = m.entry(&a.name).filter(|(_, v)| !v.is_null());
                match present {
                    Some((k, v)) => out.insert(k.clone(), convert_depth(v, &a.ty, d)?),
                    None if a.optional => {
                        let key = m.entry(&a.name).map(|(k, _)| k.clone()).unwrap_or(Key {
                            name: a.name.clone(),
                            span: n.span,
                        });
                        let value = match &a.default {
                            Some(def) => def.clone(),
                            None => Node::new(Value::Null, n.span),
                        };
                        out.insert(key, value);
                    }
                    None => match m.entry(&a.name) {
                        // A required attribute set to null stays null.
                        Some((k, v)) => out.insert(k.clone(), v.clone()),
                        None => return Err(format!("attribute `{}` is required", a.name)),
                    },
                }
            }
            Ok(with(Value::Map(out.finish())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn ty(text: &str) -> Ty {
        let e = hcl_edit::parser::parse_expr(text).unwrap();
        Ty::parse(Expr::Hcl(&e, Src::file(FileId(0))))
    }

    fn lit(text: &str) -> Node {
        let e = hcl_edit::parser::parse_expr(text).unwrap();
        literal::eval(Src::file(FileId(0)), &e)
    }

    #[test]
    fn converts_primitives() {
        assert_eq!(
            convert(&lit("\"22\""), &ty("number")).unwrap().value,
            Value::Number(22.0)
        );
        assert_eq!(
            convert(&lit("22"), &ty("string")).unwrap().value,
            Value::String("22".into())
        );
        assert_eq!(
            convert(&lit("\"true\""), &ty("bool")).unwrap().value,
            Value::Bool(true)
        );
        assert!(convert(&lit("\"x\""), &ty("number")).is_err());
    }

    #[test]
    fn converts_collections_and_objects() {
        let l = convert(&lit("[1, 2]"), &ty("list(string)")).unwrap();
        assert_eq!(l.as_list().unwrap()[0].value, Value::String("1".into()));
        let s = convert(&lit("[\"b\", \"a\", \"b\"]"), &ty("set(string)")).unwrap();
        let names: Vec<_> = s
            .as_list()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, ["a", "b"]);
        let t = ty(
            "object({ port = number, cidr = optional(string, \"10.0.0.0/8\"), x = optional(bool) })",
        );
        let o = convert(&lit("{ port = \"22\", extra = 1 }"), &t).unwrap();
        let m = o.as_map().unwrap();
        assert_eq!(m.get("port").unwrap().value, Value::Number(22.0));
        assert_eq!(m.get("cidr").unwrap().as_str(), Some("10.0.0.0/8"));
        assert!(m.get("x").unwrap().is_null());
        assert!(m.get("extra").is_none());
        assert!(convert(&lit("{ cidr = \"x\" }"), &t).is_err());
    }
}
