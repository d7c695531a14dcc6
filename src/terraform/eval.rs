//! Expression evaluation as Terraform does it at plan time, as far as the code alone allows:
//! whatever depends on apply-time values is `Unknown`, and unknowns propagate.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use hcl_edit::Span as _;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::Body;
use hcl_edit::template::{Directive, Element, Template};

use super::config::ModuleConfig;
use super::functions;
use crate::source::{FileId, Span};
use crate::value::{Key, Map, Node, Ref, Value, format_number};

/// Deepest expression recursion (locals referring to locals, nested calls).
const MAX_EVAL_DEPTH: usize = 128;

/// Evaluation context of one module instance.
pub struct Scope<'a> {
    pub config: &'a ModuleConfig<'a>,
    /// Address prefix of the module instance (`module.net.`); empty for the root.
    pub prefix: String,
    /// Values bound to input variables (from defaults, tfvars or the module call).
    pub vars: HashMap<String, Node>,
    locals: RefCell<HashMap<String, Node>>,
    in_progress: RefCell<HashSet<String>>,
}

/// Local names bound inside an expression (`for` variables, `each`, `count`, iterators).
#[derive(Clone, Default)]
pub struct Bindings {
    vars: Vec<(String, Node)>,
}

impl Bindings {
    /// Adds a binding that shadows earlier ones with the same name.
    pub fn with(&self, name: &str, value: Node) -> Bindings {
        let mut b = self.clone();
        b.vars.push((name.to_string(), value));
        b
    }

    fn get(&self, name: &str) -> Option<&Node> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

impl<'a> Scope<'a> {
    /// A scope for a module instance with its variables bound.
    pub fn new(config: &'a ModuleConfig<'a>, prefix: String, vars: HashMap<String, Node>) -> Self {
        Scope {
            config,
            prefix,
            vars,
            locals: RefCell::default(),
            in_progress: RefCell::default(),
        }
    }

    /// Evaluates a body (resource or nested block) into a map: attributes by name, nested
    /// blocks as lists of maps under their type; meta-arguments are left out.
    pub fn eval_body(&self, file: FileId, body: &Body, b: &Bindings) -> Map {
        let mut map = Map::default();
        for attr in body.attributes() {
            let name = attr.key.as_str();
            if matches!(name, "count" | "for_each" | "provider" | "depends_on") {
                continue;
            }
            let key = Key {
                name: name.to_string(),
                span: span_of(file, attr.key.span()),
            };
            map.insert(key, self.eval(file, &attr.value, b));
        }
        for block in body.blocks() {
            let ident = block.ident.as_str();
            if matches!(ident, "lifecycle" | "provisioner" | "connection") {
                continue;
            }
            let span = span_of(file, block.span());
            if ident == "dynamic" {
                self.expand_dynamic(file, block, b, &mut map);
                continue;
            }
            let inner = Node::new(Value::Map(self.eval_body(file, &block.body, b)), span);
            push_block(&mut map, ident, span_of(file, block.ident.span()), inner);
        }
        map
    }

    /// Expands a `dynamic "name" { for_each = …; iterator = …; content { … } }` block.
    fn expand_dynamic(
        &self,
        file: FileId,
        block: &hcl_edit::structure::Block,
        b: &Bindings,
        map: &mut Map,
    ) {
        let Some(label) = block.labels.first() else {
            return;
        };
        let name = label.as_str();
        let key_span = span_of(file, label.span());
        let block_span = span_of(file, block.span());
        let iterator = block
            .body
            .get_attribute("iterator")
            .and_then(|a| traversal_root(&a.value))
            .unwrap_or(name)
            .to_string();
        let Some(content) = block.body.get_blocks("content").next() else {
            return;
        };
        let Some(for_each) = block.body.get_attribute("for_each") else {
            return;
        };
        let collection = self.eval(file, &for_each.value, b);
        let items: Vec<(Node, Node)> = match &collection.value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(Value::Number(i as f64), v.span), v.clone()))
                .collect(),
            Value::Map(m) => m
                .iter()
                .map(|(k, v)| (Node::new(Value::String(k.name.clone()), k.span), v.clone()))
                .collect(),
            _ => {
                // Unknown collection: the blocks exist but nothing about them is known.
                let mut n = Node::unknown(block_span);
                n.refs = collection.refs.clone();
                push_block(map, name, key_span, n);
                return;
            }
        };
        for (k, v) in items {
            let mut it = Map::default();
            it.insert(key("key", k.span), k);
            it.insert(key("value", v.span), v.clone());
            let it = Node::new(Value::Map(it), v.span);
            let inner = self.eval_body(file, &content.body, &b.with(&iterator, it));
            push_block(
                map,
                name,
                key_span,
                Node::new(Value::Map(inner), block_span),
            );
        }
    }

    /// Evaluates one expression.
    pub fn eval(&self, file: FileId, expr: &Expression, b: &Bindings) -> Node {
        self.eval_depth(file, expr, b, 0)
    }

    fn eval_depth(&self, file: FileId, expr: &Expression, b: &Bindings, depth: usize) -> Node {
        let span = span_of(file, expr.span());
        if depth > MAX_EVAL_DEPTH {
            return Node::unknown(span);
        }
        let d = depth + 1;
        match expr {
            Expression::Null(_) => Node::new(Value::Null, span),
            Expression::Bool(v) => Node::new(Value::Bool(*v.value()), span),
            Expression::Number(n) => {
                Node::new(Value::Number(n.value().as_f64().unwrap_or(f64::NAN)), span)
            }
            Expression::String(s) => Node::new(Value::String(s.value().to_string()), span),
            Expression::Array(a) => Node::new(
                Value::List(a.iter().map(|e| self.eval_depth(file, e, b, d)).collect()),
                span,
            ),
            Expression::Object(o) => {
                let mut map = Map::default();
                let mut refs = Vec::new();
                for (k, v) in o.iter() {
                    let (name, kspan) = match k {
                        ObjectKey::Ident(id) => (Some(id.as_str().to_string()), id.span()),
                        ObjectKey::Expression(e) => {
                            let kn = self.eval_depth(file, e, b, d);
                            refs.extend(kn.refs.iter().cloned());
                            (scalar_string(&kn), e.span())
                        }
                    };
                    let Some(name) = name else {
                        // A key only known at apply time makes the whole object unknown.
                        let mut n = Node::unknown(span);
                        n.refs = refs;
                        return n;
                    };
                    map.insert(
                        Key {
                            name,
                            span: span_of(file, kspan),
                        },
                        self.eval_depth(file, v.expr(), b, d),
                    );
                }
                Node::new(Value::Map(map), span)
            }
            Expression::StringTemplate(t) => {
                let mut n = self.eval_template(file, t, b, d);
                n.span = span;
                n
            }
            Expression::HeredocTemplate(h) => {
                // The parser has already removed a `<<-` heredoc's indentation.
                let mut n = self.eval_template(file, &h.template, b, d);
                n.span = span;
                n
            }
            Expression::Parenthesis(p) => {
                let mut n = self.eval_depth(file, p.inner(), b, d);
                n.span = span;
                n
            }
            Expression::Variable(v) => self.variable(v.as_str(), span, b),
            Expression::Conditional(c) => {
                let cond = self.eval_depth(file, &c.cond_expr, b, d);
                match cond.as_bool() {
                    Some(true) => self.eval_depth(file, &c.true_expr, b, d),
                    Some(false) => self.eval_depth(file, &c.false_expr, b, d),
                    None => {
                        let t = self.eval_depth(file, &c.true_expr, b, d);
                        let f = self.eval_depth(file, &c.false_expr, b, d);
                        // Both branches equal: the condition does not matter.
                        if !t.contains_unknown() && t.value == f.value {
                            return t;
                        }
                        let mut n = Node::unknown(span);
                        n.refs = merge_refs(&[&cond, &t, &f]);
                        n
                    }
                }
            }
            Expression::FuncCall(call) => {
                let name = call.name.name.as_str();
                let args: Vec<&Expression> = call.args.iter().collect();
                functions::call(
                    self,
                    file,
                    name,
                    &args,
                    call.args.expand_final(),
                    b,
                    span,
                    d,
                )
            }
            Expression::Traversal(t) => self.traversal(file, &t.expr, &t.operators, b, span, d),
            Expression::UnaryOp(op) => {
                let v = self.eval_depth(file, &op.expr, b, d);
                let value = match (op.operator.value(), &v.value) {
                    (UnaryOperator::Neg, Value::Number(n)) => Value::Number(-n),
                    (UnaryOperator::Not, _) if v.as_bool().is_some() => {
                        Value::Bool(!v.as_bool().unwrap_or_default())
                    }
                    _ => Value::Unknown,
                };
                let mut n = Node::new(value, span);
                n.refs = v.refs;
                n
            }
            Expression::BinaryOp(op) => {
                let l = self.eval_depth(file, &op.lhs_expr, b, d);
                // `&&`/`||` short-circuit on a known left side, as Terraform's unknown handling does.
                match (op.operator.value(), l.as_bool()) {
                    (BinaryOperator::And, Some(false)) => {
                        return Node::new(Value::Bool(false), span);
                    }
                    (BinaryOperator::Or, Some(true)) => return Node::new(Value::Bool(true), span),
                    _ => {}
                }
                let r = self.eval_depth(file, &op.rhs_expr, b, d);
                binary(*op.operator.value(), &l, &r, span)
            }
            Expression::ForExpr(f) => self.for_expr(file, f, b, span, d),
        }
    }

    fn variable(&self, name: &str, span: Span, b: &Bindings) -> Node {
        if let Some(v) = b.get(name) {
            let mut n = v.clone();
            n.origin = n.origin.or(Some(v.span));
            n.span = span;
            return n;
        }
        Node::unknown(span)
    }

    fn traversal(
        &self,
        file: FileId,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Node {
        let attr_names: Vec<Option<&str>> = ops
            .iter()
            .map(|o| match o.value() {
                TraversalOperator::GetAttr(id) => Some(id.as_str()),
                _ => None,
            })
            .collect();
        let (mut cur, consumed) = match root {
            Expression::Variable(v) if b.get(v.as_str()).is_none() => {
                match self.named_root(file, v.as_str(), &attr_names, ops, b, span, d) {
                    Some(x) => x,
                    None => return Node::unknown(span),
                }
            }
            _ => (self.eval_depth(file, root, b, d), 0),
        };
        let mut i = consumed;
        while i < ops.len() {
            cur = match ops[i].value() {
                TraversalOperator::GetAttr(id) => get_attr(&cur, id.as_str(), span),
                TraversalOperator::Index(e) => {
                    let k = self.eval_depth(file, e, b, d);
                    index(&cur, &k, span)
                }
                TraversalOperator::LegacyIndex(n) => index(
                    &cur,
                    &Node::new(Value::Number(*n.value() as f64), span),
                    span,
                ),
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    // Apply the rest of the traversal to every element.
                    let rest = &ops[i + 1..];
                    return splat(
                        cur,
                        rest,
                        |item, rest| {
                            let mut node = item.clone();
                            for op in rest {
                                node = match op.value() {
                                    TraversalOperator::GetAttr(id) => {
                                        get_attr(&node, id.as_str(), span)
                                    }
                                    TraversalOperator::Index(e) => {
                                        let k = self.eval_depth(file, e, b, d);
                                        index(&node, &k, span)
                                    }
                                    TraversalOperator::LegacyIndex(n) => index(
                                        &node,
                                        &Node::new(Value::Number(*n.value() as f64), span),
                                        span,
                                    ),
                                    _ => Node::unknown(span),
                                };
                            }
                            node
                        },
                        span,
                    );
                }
            };
            i += 1;
        }
        cur.span = span;
        cur
    }

    /// Resolves `var.x`, `local.x`, `module.m.out`, `data.t.n.attr`, `aws_t.n.attr`;
    /// returns the value and how many traversal operators it consumed.
    #[allow(clippy::too_many_arguments)]
    fn named_root(
        &self,
        file: FileId,
        root: &str,
        names: &[Option<&str>],
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Option<(Node, usize)> {
        let _ = (file, b);
        let first = names.first().copied().flatten();
        Some(match root {
            "var" => {
                let name = first?;
                let mut n = match self.vars.get(name) {
                    Some(v) => {
                        let mut n = v.clone();
                        n.origin = Some(n.origin.unwrap_or(v.span));
                        n
                    }
                    None => Node::unknown(span),
                };
                n.span = span;
                (n, 1)
            }
            "local" => (self.local(first?, span, d), 1),
            "path" | "terraform" => (Node::unknown(span), 1),
            "count" | "each" | "self" => (Node::unknown(span), 1),
            "module" => {
                let mut n = Node::unknown(span);
                n.refs.push(Ref {
                    address: format!("{}module.{}", self.prefix, first?),
                    attr: names
                        .get(1)
                        .copied()
                        .flatten()
                        .unwrap_or_default()
                        .to_string(),
                });
                (n, names.len().min(2))
            }
            "data" => {
                let (t, name) = (first?, names.get(1).copied().flatten()?);
                let mut n = Node::unknown(span);
                let (address, used) =
                    instance_address(&format!("{}data.{t}.{name}", self.prefix), &ops[2..]);
                n.refs.push(Ref {
                    address,
                    attr: names
                        .get(2 + used)
                        .copied()
                        .flatten()
                        .unwrap_or_default()
                        .to_string(),
                });
                (
                    n,
                    2 + used + usize::from(names.get(2 + used).copied().flatten().is_some()),
                )
            }
            rtype => {
                let name = first?;
                let mut n = Node::unknown(span);
                let (address, used) =
                    instance_address(&format!("{}{rtype}.{name}", self.prefix), &ops[1..]);
                let attr = names.get(1 + used).copied().flatten();
                n.refs.push(Ref {
                    address,
                    attr: attr.unwrap_or_default().to_string(),
                });
                (n, 1 + used + usize::from(attr.is_some()))
            }
        })
    }

    fn local(&self, name: &str, span: Span, d: usize) -> Node {
        if let Some(v) = self.locals.borrow().get(name) {
            let mut n = v.clone();
            n.origin = Some(n.origin.unwrap_or(v.span));
            n.span = span;
            return n;
        }
        let Some((file, expr)) = self.config.locals.get(name) else {
            return Node::unknown(span);
        };
        if !self.in_progress.borrow_mut().insert(name.to_string()) {
            return Node::unknown(span); // a cycle: Terraform rejects it, we just stop
        }
        let v = self.eval_depth(*file, expr, &Bindings::default(), d);
        self.in_progress.borrow_mut().remove(name);
        self.locals.borrow_mut().insert(name.to_string(), v.clone());
        let mut n = v;
        n.origin = Some(n.origin.unwrap_or(n.span));
        n.span = span;
        n
    }

    fn eval_template(&self, file: FileId, t: &Template, b: &Bindings, d: usize) -> Node {
        let mut out = String::new();
        let mut known = true;
        let mut refs = Vec::new();
        let mut single: Option<Node> = None;
        let elements: Vec<&Element> = t.iter().collect();
        for el in &elements {
            match el {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval_depth(file, &i.expr, b, d);
                    if elements.len() == 1 {
                        // "${x}" alone keeps x's type, as in Terraform.
                        single = Some(v.clone());
                    }
                    refs.extend(v.refs.iter().cloned());
                    match scalar_string(&v) {
                        Some(s) => out.push_str(&s),
                        None => known = false,
                    }
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.eval_depth(file, &ifd.if_expr.cond_expr, b, d);
                        let branch = match c.as_bool() {
                            Some(true) => Some(&ifd.if_expr.template),
                            Some(false) => ifd.else_expr.as_ref().map(|e| &e.template),
                            None => {
                                known = false;
                                refs.extend(c.refs.iter().cloned());
                                None
                            }
                        };
                        if let Some(t) = branch {
                            let v = self.eval_template(file, t, b, d);
                            refs.extend(v.refs.iter().cloned());
                            match v.as_str() {
                                Some(s) => out.push_str(s),
                                None => known = false,
                            }
                        }
                    }
                    Directive::For(ford) => {
                        let f = &ford.for_expr;
                        let coll = self.eval_depth(file, &f.collection_expr, b, d);
                        let pairs = match iterate(&coll) {
                            Some(p) => p,
                            None => {
                                known = false;
                                refs.extend(coll.refs.iter().cloned());
                                continue;
                            }
                        };
                        for (k, v) in pairs {
                            let mut bb = b.with(f.value_var.as_str(), v);
                            if let Some(kv) = &f.key_var {
                                bb = bb.with(kv.as_str(), k);
                            }
                            let v = self.eval_template(file, &f.template, &bb, d);
                            match v.as_str() {
                                Some(s) => out.push_str(s),
                                None => known = false,
                            }
                        }
                    }
                },
            }
        }
        if let Some(s) = single {
            return s;
        }
        let mut n = if known {
            Node::new(Value::String(out), Span::default())
        } else {
            Node::unknown(Span::default())
        };
        refs.dedup();
        n.refs = refs;
        n
    }

    fn for_expr(
        &self,
        file: FileId,
        f: &hcl_edit::expr::ForExpr,
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Node {
        let coll = self.eval_depth(file, &f.intro.collection_expr, b, d);
        let Some(pairs) = iterate(&coll) else {
            let mut n = Node::unknown(span);
            n.refs = coll.refs.clone();
            return n;
        };
        let mut list = Vec::new();
        let mut map = Map::default();
        for (k, v) in pairs {
            let mut bb = b.with(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                bb = bb.with(kv.as_str(), k);
            }
            if let Some(cond) = &f.cond {
                let c = self.eval_depth(file, &cond.expr, &bb, d);
                match c.as_bool() {
                    Some(true) => {}
                    Some(false) => continue,
                    None => {
                        let mut n = Node::unknown(span);
                        n.refs = c.refs;
                        return n;
                    }
                }
            }
            let value = self.eval_depth(file, &f.value_expr, &bb, d);
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let kn = self.eval_depth(file, ke, &bb, d);
                    let Some(name) = scalar_string(&kn) else {
                        return Node::unknown(span);
                    };
                    let k = Key {
                        name,
                        span: kn.span,
                    };
                    if f.grouping {
                        let existing = map.get(&k.name).cloned();
                        let mut items = match existing.map(|e| e.value) {
                            Some(Value::List(l)) => l,
                            _ => Vec::new(),
                        };
                        items.push(value);
                        map.insert(k, Node::new(Value::List(items), span));
                    } else {
                        map.insert(k, value);
                    }
                }
            }
        }
        if f.key_expr.is_some() {
            Node::new(Value::Map(map), span)
        } else {
            Node::new(Value::List(list), span)
        }
    }
}

/// Address of a resource instance: `aws_x.y` plus an `[index]` when the traversal has one.
fn instance_address(base: &str, ops: &[hcl_edit::Decorated<TraversalOperator>]) -> (String, usize) {
    match ops.first().map(|o| o.value()) {
        Some(TraversalOperator::LegacyIndex(n)) => (format!("{base}[{}]", n.value()), 1),
        Some(TraversalOperator::Index(Expression::Number(n))) => {
            (format!("{base}[{}]", n.value()), 1)
        }
        Some(TraversalOperator::Index(Expression::String(s))) => {
            (format!("{base}[{:?}]", s.value()), 1)
        }
        _ => (base.to_string(), 0),
    }
}

fn traversal_root(expr: &Expression) -> Option<&str> {
    match expr {
        Expression::Variable(v) => Some(v.as_str()),
        _ => None,
    }
}

/// A byte range from hcl-edit as a span of `file`.
pub fn span_of(file: FileId, r: Option<std::ops::Range<usize>>) -> Span {
    let r = r.unwrap_or(0..0);
    Span::new(file, r.start, r.end)
}

fn key(name: &str, span: Span) -> Key {
    Key {
        name: name.to_string(),
        span,
    }
}

fn push_block(map: &mut Map, ident: &str, key_span: Span, inner: Node) {
    if let Some(slot) = map.entries.iter_mut().find(|(k, _)| k.name == ident)
        && let Value::List(items) = &mut slot.1.value
    {
        items.push(inner);
        return;
    }
    let span = inner.span;
    map.insert(
        Key {
            name: ident.to_string(),
            span: key_span,
        },
        Node::new(Value::List(vec![inner]), span),
    );
}

/// Pairs of (key, value) to iterate over; `None` when the collection is unknown.
pub fn iterate(coll: &Node) -> Option<Vec<(Node, Node)>> {
    match &coll.value {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(Value::Number(i as f64), v.span), v.clone()))
                .collect(),
        ),
        Value::Map(m) => Some(
            m.iter()
                .map(|(k, v)| (Node::new(Value::String(k.name.clone()), k.span), v.clone()))
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

fn get_attr(cur: &Node, name: &str, span: Span) -> Node {
    match &cur.value {
        Value::Map(m) => match m.get(name) {
            Some(v) => v.clone(),
            None => Node::unknown(span),
        },
        _ => {
            let mut n = Node::unknown(span);
            n.refs = cur
                .refs
                .iter()
                .map(|r| Ref {
                    address: r.address.clone(),
                    attr: if r.attr.is_empty() {
                        name.to_string()
                    } else {
                        format!("{}.{name}", r.attr)
                    },
                })
                .collect();
            n
        }
    }
}

fn index(cur: &Node, k: &Node, span: Span) -> Node {
    match (&cur.value, &k.value) {
        (Value::List(items), Value::Number(i)) if *i >= 0.0 && (*i as usize) < items.len() => {
            items[*i as usize].clone()
        }
        (Value::Map(m), _) => match scalar_string(k).and_then(|s| m.get(&s)) {
            Some(v) => v.clone(),
            None => Node::unknown(span),
        },
        _ => {
            let mut n = Node::unknown(span);
            n.refs = cur.refs.clone();
            n
        }
    }
}

fn splat<F>(cur: Node, rest: &[hcl_edit::Decorated<TraversalOperator>], f: F, span: Span) -> Node
where
    F: Fn(&Node, &[hcl_edit::Decorated<TraversalOperator>]) -> Node,
{
    match &cur.value {
        Value::List(items) => Node::new(
            Value::List(items.iter().map(|i| f(i, rest)).collect()),
            span,
        ),
        Value::Null => Node::new(Value::List(Vec::new()), span),
        Value::Unknown => {
            let mut n = f(&cur, rest);
            n.span = span;
            n.value = Value::Unknown;
            n
        }
        _ => Node::new(Value::List(vec![f(&cur, rest)]), span),
    }
}

/// The string Terraform would interpolate for a scalar; `None` for unknowns and collections.
pub fn scalar_string(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.clone()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// All references of several nodes, deduplicated.
pub fn merge_refs(nodes: &[&Node]) -> Vec<Ref> {
    let mut refs: Vec<Ref> = nodes
        .iter()
        .flat_map(|n| n.all_refs().into_iter().cloned())
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

fn binary(op: BinaryOperator, l: &Node, r: &Node, span: Span) -> Node {
    use BinaryOperator::*;
    let value = match op {
        Eq | NotEq => {
            if l.contains_unknown() || r.contains_unknown() {
                Value::Unknown
            } else {
                let eq = values_equal(l, r);
                Value::Bool(if op == Eq { eq } else { !eq })
            }
        }
        And | Or => match (l.as_bool(), r.as_bool()) {
            (Some(a), Some(b)) => Value::Bool(if op == And { a && b } else { a || b }),
            (_, Some(false)) if op == And => Value::Bool(false),
            (_, Some(true)) if op == Or => Value::Bool(true),
            _ => Value::Unknown,
        },
        _ => match (l.as_f64(), r.as_f64()) {
            (Some(a), Some(b)) if !l.is_unknown() && !r.is_unknown() => match op {
                Plus => Value::Number(a + b),
                Minus => Value::Number(a - b),
                Mul => Value::Number(a * b),
                Div if b != 0.0 => Value::Number(a / b),
                Mod if b != 0.0 => Value::Number(a % b),
                Less => Value::Bool(a < b),
                LessEq => Value::Bool(a <= b),
                Greater => Value::Bool(a > b),
                GreaterEq => Value::Bool(a >= b),
                _ => Value::Unknown,
            },
            _ => Value::Unknown,
        },
    };
    let mut n = Node::new(value, span);
    n.refs = merge_refs(&[l, r]);
    n
}

/// Terraform equality: numbers and numeric strings are not equal (types differ),
/// collections compare element-wise.
pub fn values_equal(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| values_equal(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(&k.name).is_some_and(|w| values_equal(v, w)))
        }
        (x, y) => x == y,
    }
}
