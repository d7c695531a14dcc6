//! Expression evaluation as Terraform does it at plan time, as far as the code alone allows:
//! whatever depends on apply-time values is `Unknown`, and unknowns propagate.
//!
//! Spans: a value reached through a name (variable, local, output, another resource's
//! attribute, a `for`/`each`/iterator binding) is *relocated* to where it is used, and keeps
//! where it was written as its `origin`, so that a finding points at the line in the resource
//! and can name the variable default or tfvars entry the value came from.

use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element};

use super::config::{BlockRef, BodyRef, Expr, Src};
use super::literal;
use super::scope::{BLOCK_STEPS, Over, Scope, Size, over_size};
use super::tfjson::JExpr;
use super::undeclared::{Kind, unmodelled_root};
use crate::parse::budget::{BYTES_PER_STEP, Exceeded};
use crate::parse::limits::MAX_DEPTH;
use crate::source::Span;
use crate::value::{Key, Map, MapBuilder, Node, Ref, Value, format_number};

/// Deepest evaluation recursion (nested expressions, locals referring to locals, module
/// outputs through variables): deeper is unknown.
pub const MAX_EVAL_DEPTH: usize = 200;

/// Local names bound inside an expression (`for` variables, `each`, `count`, iterators).
#[derive(Clone, Default)]
pub struct Bindings {
    vars: Vec<(String, Node)>,
    /// Only these names exist (a `templatefile` template): no `var.`, `local.`, resources.
    pub isolated: bool,
}

impl Bindings {
    /// Bindings of a `templatefile` template: nothing but these names exists.
    pub fn isolated() -> Bindings {
        Bindings {
            vars: Vec::new(),
            isolated: true,
        }
    }

    /// Adds a binding that shadows earlier ones with the same name.
    pub fn with(&self, name: &str, value: Node) -> Bindings {
        let mut b = self.clone();
        b.vars.push((name.to_string(), value));
        b
    }

    /// The value bound to `name`.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

impl<'t, 'a> Scope<'t, 'a> {
    /// Evaluates one expression.
    pub fn eval(&self, expr: Expr<'a>, b: &Bindings) -> Node {
        self.eval_d(expr, b, 0)
    }

    /// Evaluates one expression at recursion depth `d`.
    pub fn eval_d(&self, expr: Expr<'_>, b: &Bindings, d: usize) -> Node {
        match expr {
            Expr::Hcl(e, src) => self.eval_hcl(src, e, b, d),
            Expr::Json(j) => self.eval_json(j, b, d),
        }
    }

    /// Evaluates a variable default: a literal (Terraform allows nothing else there).
    pub fn eval_literal(&self, expr: Expr<'_>) -> Node {
        match expr {
            Expr::Hcl(e, src) => literal::eval(src, e),
            Expr::Json(JExpr::Literal(n)) => n.clone(),
            Expr::Json(j) => self.eval_json(j, &Bindings::default(), 0),
        }
    }

    fn eval_json(&self, j: &JExpr, b: &Bindings, d: usize) -> Node {
        if d > MAX_EVAL_DEPTH {
            self.too_deep(j.span());
            return Node::unknown(j.span());
        }
        match j {
            JExpr::Literal(n) => n.clone(),
            JExpr::Template(t, src, span) => {
                let elements: Vec<&Element> = t.iter().collect();
                let mut n = self.eval_template(*src, &elements, b, d + 1, *span, (false, false));
                n.span = *span;
                n
            }
            JExpr::Parsed(e, src, span) => {
                let mut n = self.eval_hcl(*src, e, b, d + 1);
                n.span = *span;
                n
            }
            JExpr::List(items, span) => Node::new(
                Value::List(items.iter().map(|i| self.eval_json(i, b, d + 1)).collect()),
                *span,
            ),
            JExpr::Object(entries, span) => {
                let mut m = MapBuilder::default();
                for (k, v) in entries {
                    m.insert(k.clone(), self.eval_json(v, b, d + 1));
                }
                Node::new(Value::Map(m.finish()), *span)
            }
        }
    }

    /// Evaluates a body (resource or nested block) into a map: attributes by name, nested
    /// blocks as lists of maps under their type; meta-arguments are left out.
    pub fn eval_body(&self, body: BodyRef<'_>, b: &Bindings, d: usize) -> Map {
        let mut map = MapBuilder::default();
        for attr in body.attributes() {
            if matches!(
                attr.name,
                "count"
                    | "for_each"
                    | "provider"
                    | "depends_on"
                    | "providers"
                    | "source"
                    | "version"
            ) {
                continue;
            }
            let key = Key {
                name: attr.name.to_string(),
                span: attr.key_span,
            };
            map.insert(key, self.eval_d(attr.expr, b, d + 1));
        }
        for block in body.blocks() {
            if matches!(block.ident, "lifecycle" | "provisioner" | "connection") {
                continue;
            }
            if block.ident == "dynamic" {
                self.expand_dynamic(&block, b, &mut map, d + 1);
                continue;
            }
            // A block is kept with its resource however few its attributes. With the budget
            // gone it is still there, unknown: a dropped `ingress` would read as no ingress.
            if !self.tree.charge(BLOCK_STEPS, block.span) {
                push_block(
                    &mut map,
                    block.ident,
                    block.ident_span,
                    Node::unknown(block.span),
                );
                continue;
            }
            let inner = Node::new(Value::Map(self.eval_body(block.body, b, d + 1)), block.span);
            push_block(&mut map, block.ident, block.ident_span, inner);
        }
        map.finish()
    }

    /// Expands a `dynamic "name" { for_each = …; iterator = …; content { … } }` block.
    fn expand_dynamic(&self, block: &BlockRef<'_>, b: &Bindings, map: &mut MapBuilder, d: usize) {
        let Some(&(name, key_span)) = block.labels.first() else {
            return;
        };
        let iterator = block
            .body
            .attr("iterator")
            .and_then(|e| e.ident().map(str::to_string))
            .unwrap_or_else(|| name.to_string());
        let Some(content) = block
            .body
            .blocks()
            .into_iter()
            .find(|c| c.ident == "content")
        else {
            return;
        };
        let Some(for_each) = block.body.attr("for_each") else {
            return;
        };
        let collection = self.eval_d(for_each, b, d);
        let Some(items) = iterate(&collection) else {
            // Unknown collection: the blocks exist but nothing about them is known.
            let mut n = Node::unknown(block.span);
            n.refs = collection.all_refs().into_iter().cloned().collect();
            push_block(map, name, key_span, n);
            return;
        };
        for (k, v) in items {
            if !self.tree.charge(BLOCK_STEPS, block.span) {
                // The blocks not made are unknown, not absent.
                push_block(map, name, key_span, Node::unknown(block.span));
                break;
            }
            let mut it = Map::default();
            it.insert(key("key", k.span), k);
            it.insert(key("value", v.span), v.clone());
            let it = Node::new(Value::Map(it), v.span);
            let inner = self.eval_body(content.body, &b.with(&iterator, it), d);
            push_block(
                map,
                name,
                key_span,
                Node::new(Value::Map(inner), content.span),
            );
        }
    }

    /// Evaluates one hcl-edit expression.
    pub fn eval_hcl(&self, src: Src, expr: &Expression, b: &Bindings, depth: usize) -> Node {
        let span = src.span(expr.span());
        if depth > MAX_EVAL_DEPTH {
            self.too_deep(span);
            return Node::unknown(span);
        }
        if !self.tree.charge(1, span) {
            return Node::unknown(span);
        }
        let d = depth + 1;
        match expr {
            Expression::Null(_) => Node::new(Value::Null, span),
            Expression::Bool(v) => Node::new(Value::Bool(*v.value()), span),
            Expression::Number(n) => match n.value().as_f64() {
                Some(x) => Node::new(Value::Number(x), span),
                None => Node::unknown(span),
            },
            Expression::String(s) => {
                // A long literal is copied each time it is evaluated (in a loop, say).
                let text = s.value().as_str();
                if !self.tree.charge((text.len() / BYTES_PER_STEP) as u64, span) {
                    return Node::unknown(span);
                }
                Node::new(Value::String(text.into()), span)
            }
            Expression::Array(a) => Node::new(
                Value::List(a.iter().map(|e| self.eval_hcl(src, e, b, d)).collect()),
                span,
            ),
            Expression::Object(o) => {
                let mut map = MapBuilder::default();
                let mut refs = Vec::new();
                for (k, v) in o.iter() {
                    let (name, kspan) = match k {
                        ObjectKey::Ident(id) => (Some(id.as_str().to_string()), id.span()),
                        ObjectKey::Expression(e) => {
                            let kn = match e {
                                // `{ (var.x) = 1 }` and `{ "a" = 1 }`; a bare name is a string.
                                Expression::Variable(v) => {
                                    Node::new(Value::String(v.as_str().into()), span)
                                }
                                _ => self.eval_hcl(src, e, b, d),
                            };
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
                            span: src.span(kspan),
                        },
                        self.eval_hcl(src, v.expr(), b, d),
                    );
                }
                Node::new(Value::Map(map.finish()), span)
            }
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                let mut n = self.eval_template(src, &elements, b, d, span, (false, false));
                n.span = span;
                n
            }
            Expression::HeredocTemplate(h) => {
                // The parser has already removed a `<<-` heredoc's indentation. Terraform applies
                // `~` strip markers to the lines before removing it, with results that differ;
                // cislint does not guess those.
                if h.indent().is_some_and(|i| i > 0) && has_strip_marker(h.template.iter()) {
                    return Node::unknown(span);
                }
                let elements: Vec<&Element> = h.template.iter().collect();
                let mut n = self.eval_template(src, &elements, b, d, span, (false, false));
                n.span = span;
                n
            }
            Expression::Parenthesis(p) => {
                let mut n = self.eval_hcl(src, p.inner(), b, d);
                n.span = span;
                n
            }
            Expression::Variable(v) => match b.get(v.as_str()) {
                Some(val) => self.relocate(val.clone(), span),
                None => {
                    // A bare name that is not bound (`each` outside for_each, a typo).
                    self.tree.fail();
                    Node::unknown(span)
                }
            },
            Expression::Conditional(c) => {
                let cond = self.eval_hcl(src, &c.cond_expr, b, d);
                match (&cond.value, cond.as_bool()) {
                    (Value::Unknown, _) | (_, None) => {
                        if !cond.is_unknown() {
                            self.tree.fail();
                        }
                        let t = self.eval_hcl(src, &c.true_expr, b, d);
                        let f = self.eval_hcl(src, &c.false_expr, b, d);
                        // Both branches equal: the condition does not matter.
                        if cond.is_unknown() && !t.contains_unknown() && values_equal(&t, &f) {
                            let mut t = t;
                            t.refs = merge_refs(&[&cond, &t]);
                            return t;
                        }
                        let mut n = Node::unknown(span);
                        n.refs = merge_refs(&[&cond, &t, &f]);
                        n
                    }
                    (_, Some(true)) => self.eval_hcl(src, &c.true_expr, b, d),
                    (_, Some(false)) => self.eval_hcl(src, &c.false_expr, b, d),
                }
            }
            Expression::FuncCall(call) => {
                let args: Vec<&Expression> = call.args.iter().collect();
                let name = if call.name.namespace.is_empty() {
                    call.name.name.as_str().to_string()
                } else {
                    // Provider-defined functions (`provider::aws::arn_parse`) run in the provider.
                    return Node::unknown(span);
                };
                super::functions::call(
                    self,
                    src,
                    &name,
                    &args,
                    call.args.expand_final(),
                    b,
                    span,
                    d,
                )
            }
            Expression::Traversal(t) => self.traversal(src, &t.expr, &t.operators, b, span, d),
            Expression::UnaryOp(op) => {
                let v = self.eval_hcl(src, &op.expr, b, d);
                let value = match (op.operator.value(), &v.value) {
                    (_, Value::Unknown) => Value::Unknown,
                    (UnaryOperator::Neg, _) if v.as_f64().is_some() => {
                        Value::Number(-v.as_f64().unwrap_or_default())
                    }
                    (UnaryOperator::Not, _) if v.as_bool().is_some() => {
                        Value::Bool(!v.as_bool().unwrap_or_default())
                    }
                    _ => {
                        self.tree.fail();
                        Value::Unknown
                    }
                };
                let mut n = Node::new(value, span);
                n.refs = merge_refs(&[&v]);
                n
            }
            Expression::BinaryOp(op) => {
                let l = self.eval_hcl(src, &op.lhs_expr, b, d);
                // `&&`/`||` decided by a known left side.
                match (op.operator.value(), l.as_bool(), l.is_unknown()) {
                    (BinaryOperator::And, Some(false), false) => {
                        let mut n = Node::new(Value::Bool(false), span);
                        n.refs = merge_refs(&[&l]);
                        return n;
                    }
                    (BinaryOperator::Or, Some(true), false) => {
                        let mut n = Node::new(Value::Bool(true), span);
                        n.refs = merge_refs(&[&l]);
                        return n;
                    }
                    _ => {}
                }
                let r = self.eval_hcl(src, &op.rhs_expr, b, d);
                let n = binary(*op.operator.value(), &l, &r, span);
                if n.is_unknown() && !l.contains_unknown() && !r.contains_unknown() {
                    self.tree.fail();
                }
                n
            }
            Expression::ForExpr(f) => self.for_expr(src, f, b, span, d),
        }
    }

    fn traversal(
        &self,
        src: Src,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Node {
        let (mut cur, consumed) = match root {
            Expression::Variable(v) if b.get(v.as_str()).is_none() => {
                match self.named_root(src, v.as_str(), ops, b, span, d) {
                    Some(x) => x,
                    None => {
                        self.tree.fail();
                        return Node::unknown(span);
                    }
                }
            }
            _ => (self.eval_hcl(src, root, b, d), 0),
        };
        let mut i = consumed;
        while i < ops.len() {
            match ops[i].value() {
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    let n = self.splat(cur, rest, src, b, span, d);
                    return self.relocate(n, span);
                }
                op => cur = self.step(cur, op, src, b, span, d),
            }
            i += 1;
        }
        self.relocate(cur, span)
    }

    /// Applies one attribute access or index.
    fn step(
        &self,
        cur: Node,
        op: &TraversalOperator,
        src: Src,
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Node {
        match op {
            TraversalOperator::GetAttr(id) => self.get_attr(&cur, id.as_str(), span),
            TraversalOperator::Index(e) => {
                let k = self.eval_hcl(src, e, b, d);
                self.index(&cur, &k, span)
            }
            TraversalOperator::LegacyIndex(n) => self.index(
                &cur,
                &Node::new(Value::Number(*n.value() as f64), span),
                span,
            ),
            // A splat after a splat applies to each element of the result.
            _ => cur,
        }
    }

    fn splat(
        &self,
        cur: Node,
        rest: &[hcl_edit::Decorated<TraversalOperator>],
        src: Src,
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Node {
        let apply = |item: &Node| {
            let mut node = item.clone();
            for op in rest {
                node = self.step(node, op.value(), src, b, span, d);
            }
            node
        };
        match &cur.value {
            Value::List(items) => {
                if !self.tree.elements(&"this splat", items.len(), span) {
                    return Node::unknown(span);
                }
                let mut n = Node::new(Value::List(items.iter().map(apply).collect()), span);
                n.refs = cur.refs.clone();
                n
            }
            Value::Null => Node::new(Value::List(Default::default()), span),
            Value::Unknown => {
                let mut n = apply(&cur);
                n.span = span;
                n.value = Value::Unknown;
                n
            }
            _ => Node::new(Value::list(vec![apply(&cur)]), span),
        }
    }

    /// Resolves `var.x`, `local.x`, `module.m.out`, `data.t.n`, `aws_t.n`, `path.module`;
    /// returns the value and how many traversal operators it consumed.
    fn named_root(
        &self,
        src: Src,
        root: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        b: &Bindings,
        span: Span,
        d: usize,
    ) -> Option<(Node, usize)> {
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(id)) => Some(id.as_str()),
            _ => None,
        };
        if b.isolated {
            return None;
        }
        let data = self.data();
        let undeclared =
            |kind, written: String| self.tree.undeclared(span, kind, &written, &data.prefix);
        Some(match root {
            "var" => match attr(0)? {
                x if data.config.variables.contains_key(x) => (self.var(x, span, d), 1),
                x => (undeclared(Kind::Variable, format!("var.{x}")), 1),
            },
            "local" => match attr(0)? {
                x if data.config.locals.contains_key(x) => (self.local(x, span, d), 1),
                x => (undeclared(Kind::Local, format!("local.{x}")), 1),
            },
            "path" => {
                let v = match attr(0)? {
                    "module" => Value::String(data.rel_dir.as_str().into()),
                    "root" => Value::String(".".into()),
                    _ => Value::Unknown,
                };
                (Node::new(v, span), 1)
            }
            "terraform" => match attr(0)? {
                "workspace" => (Node::new(Value::String("default".into()), span), 1),
                _ => (Node::unknown(span), 1),
            },
            "self" | "count" | "each" => return None,
            "module" => {
                let name = attr(0)?;
                let Some(&idx) = data.config.module_index.get(name) else {
                    return Some((undeclared(Kind::ModuleCall, format!("module.{name}")), 1));
                };
                if let Some(out) = attr(1) {
                    if self.module_lacks_output(idx, out, d) {
                        let written = format!("module.{name}.{out}");
                        return Some((undeclared(Kind::ModuleOutput, written), 2));
                    }
                    if let Some(n) = self.module_output(idx, out, span, d) {
                        return Some((n, 2));
                    }
                }
                (self.module_value(idx, span, d), 1)
            }
            "data" => {
                let (t, name) = (attr(0)?, attr(1)?);
                if data.config.resource_index.get(true, t, name).is_none() {
                    return Some((undeclared(Kind::DataSource, format!("data.{t}.{name}")), 2));
                }
                // Data sources are read at apply time as far as the code alone can tell.
                let mut address = format!("{}data.{t}.{name}", data.prefix);
                let mut used = 2;
                if let Some(k) = ops
                    .get(2)
                    .and_then(|o| self.literal_index(o.value(), src, b, d))
                {
                    address.push_str(&k);
                    used = 3;
                }
                let mut n = Node::unknown(span);
                n.refs.push(Ref::new(address, ""));
                (n, used)
            }
            rtype => {
                let name = attr(0)?;
                match data.config.resource_index.get(false, rtype, name) {
                    Some(idx) => (self.resource_value(idx, span, d), 1),
                    None if unmodelled_root(rtype) => return None,
                    None => (undeclared(Kind::Resource, format!("{rtype}.{name}")), 1),
                }
            }
        })
    }

    /// `[0]` or `["k"]` for a known index operator.
    fn literal_index(
        &self,
        op: &TraversalOperator,
        src: Src,
        b: &Bindings,
        d: usize,
    ) -> Option<String> {
        match op {
            TraversalOperator::LegacyIndex(n) => Some(format!("[{}]", n.value())),
            TraversalOperator::Index(e) => {
                let k = self.eval_hcl(src, e, b, d);
                match &k.value {
                    Value::Number(x) => Some(format!("[{}]", format_number(*x))),
                    Value::String(s) => Some(format!("[{}]", super::scope::quote_key(s))),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// `cur.name`: a missing attribute is an error, except on values read from a resource,
    /// where it is an attribute computed at apply time.
    pub fn get_attr(&self, cur: &Node, name: &str, span: Span) -> Node {
        let derived = || -> Vec<Ref> { cur.refs.iter().map(|r| r.then_attr(name)).collect() };
        match &cur.value {
            Value::Map(m) => match m.get(name) {
                Some(v) => {
                    let mut v = v.clone();
                    if v.refs.is_empty() {
                        v.refs = derived();
                    }
                    v
                }
                None => {
                    if cur.refs.is_empty() {
                        self.tree.fail();
                    }
                    let mut n = Node::unknown(span);
                    n.refs = derived();
                    n
                }
            },
            Value::Unknown => {
                let mut n = Node::unknown(span);
                n.refs = derived();
                n
            }
            _ => {
                self.tree.fail();
                let mut n = Node::unknown(span);
                n.refs = derived();
                n
            }
        }
    }

    /// `cur[k]`.
    pub fn index(&self, cur: &Node, k: &Node, span: Span) -> Node {
        let inherit = |mut v: Node| {
            if v.refs.is_empty() {
                v.refs = cur.refs.clone();
            }
            v
        };
        let unknown = || {
            let mut n = Node::unknown(span);
            n.refs = merge_refs(&[cur, k]);
            n
        };
        match (&cur.value, &k.value) {
            (_, Value::Unknown) | (Value::Unknown, _) => unknown(),
            (Value::List(items), _) => match k.as_f64() {
                Some(i) if i >= 0.0 && i.fract() == 0.0 && (i as usize) < items.len() => {
                    inherit(items[i as usize].clone())
                }
                _ => {
                    self.tree.fail();
                    unknown()
                }
            },
            (Value::Map(m), _) => match scalar_string(k).and_then(|s| m.get(&s).cloned()) {
                Some(v) => inherit(v),
                None => {
                    if cur.refs.is_empty() {
                        self.tree.fail();
                    }
                    unknown()
                }
            },
            _ => {
                self.tree.fail();
                unknown()
            }
        }
    }

    /// Evaluates template elements written at `span`; `strip` (lead, trail) comes from `~`
    /// markers of the directive around this template. The text is checked against
    /// `value-bytes` before each piece is appended.
    pub fn eval_template(
        &self,
        src: Src,
        elements: &[&Element],
        b: &Bindings,
        d: usize,
        span: Span,
        strip: (bool, bool),
    ) -> Node {
        let (strip_lead, strip_trail) = strip;
        let mut out = self.tree.budget().string_builder();
        let mut too_long = false;
        let mut known = true;
        let mut refs = Vec::new();
        if d > MAX_EVAL_DEPTH {
            self.too_deep(span);
            return Node::unknown(Span::default());
        }
        // "${x}" alone keeps x's type, as in Terraform.
        if let [Element::Interpolation(i)] = elements {
            return self.eval_hcl(src, &i.expr, b, d + 1);
        }
        for (idx, el) in elements.iter().enumerate() {
            if too_long {
                break;
            }
            match el {
                Element::Literal(s) => {
                    let mut text: &str = s.value();
                    let lead = if idx == 0 {
                        strip_lead
                    } else {
                        strips_after(elements[idx - 1])
                    };
                    let trail = match elements.get(idx + 1) {
                        None => strip_trail,
                        Some(next) => strips_before(next),
                    };
                    if lead {
                        text = text.trim_start();
                    }
                    if trail {
                        text = text.trim_end();
                    }
                    too_long |= out.push_str(text).is_err();
                }
                Element::Interpolation(i) => {
                    let v = self.eval_hcl(src, &i.expr, b, d + 1);
                    refs.extend(v.all_refs().into_iter().cloned());
                    let pushed = match &v.value {
                        Value::String(s) => Some(out.push_str(s)),
                        _ => scalar_string(&v).map(|s| out.push_str(&s)),
                    };
                    match pushed {
                        Some(result) => too_long |= result.is_err(),
                        None => {
                            if !v.is_unknown() {
                                // A collection or null cannot be interpolated.
                                self.tree.fail();
                            }
                            known = false;
                        }
                    }
                }
                Element::Directive(dir) => match dir.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.eval_hcl(src, &ifd.if_expr.cond_expr, b, d + 1);
                        refs.extend(c.all_refs().into_iter().cloned());
                        let (branch, lead, trail) = match (c.is_unknown(), c.as_bool()) {
                            (false, Some(true)) => (
                                Some(&ifd.if_expr.template),
                                ifd.if_expr.strip.strip_end(),
                                ifd.else_expr
                                    .as_ref()
                                    .map(|e| e.strip.strip_start())
                                    .unwrap_or(ifd.endif_expr.strip.strip_start()),
                            ),
                            (false, Some(false)) => (
                                ifd.else_expr.as_ref().map(|e| &e.template),
                                ifd.else_expr.as_ref().is_some_and(|e| e.strip.strip_end()),
                                ifd.endif_expr.strip.strip_start(),
                            ),
                            _ => {
                                known = false;
                                (None, false, false)
                            }
                        };
                        if let Some(t) = branch {
                            let inner: Vec<&Element> = t.iter().collect();
                            let v = self.eval_template(src, &inner, b, d + 1, span, (lead, trail));
                            refs.extend(v.refs.iter().cloned());
                            match v.as_str() {
                                Some(s) => too_long |= out.push_str(s).is_err(),
                                None => known = false,
                            }
                        }
                    }
                    Directive::For(ford) => {
                        let f = &ford.for_expr;
                        let coll = self.eval_hcl(src, &f.collection_expr, b, d + 1);
                        let Some(pairs) = iterate(&coll) else {
                            known = false;
                            refs.extend(coll.all_refs().into_iter().cloned());
                            continue;
                        };
                        let inner: Vec<&Element> = f.template.iter().collect();
                        for (k, v) in pairs {
                            let mut bb = b.with(f.value_var.as_str(), v);
                            if let Some(kv) = &f.key_var {
                                bb = bb.with(kv.as_str(), k);
                            }
                            let v = self.eval_template(
                                src,
                                &inner,
                                &bb,
                                d + 1,
                                span,
                                (f.strip.strip_end(), ford.endfor_expr.strip.strip_start()),
                            );
                            refs.extend(v.refs.iter().cloned());
                            match v.as_str() {
                                Some(s) => too_long |= out.push_str(s).is_err(),
                                None => known = false,
                            }
                            if too_long {
                                break;
                            }
                        }
                    }
                },
            }
        }
        if too_long {
            self.tree.too_long(&"this template", span);
            known = false;
        }
        let mut n = if known && self.tree.string(&"this template", out.len(), span) {
            Node::new(Value::String(out.into_string().into()), Span::default())
        } else {
            Node::unknown(Span::default())
        };
        refs.sort();
        refs.dedup();
        n.refs = refs;
        n
    }

    fn for_expr(&self, src: Src, f: &ForExpr, b: &Bindings, span: Span, d: usize) -> Node {
        let coll = self.eval_hcl(src, &f.intro.collection_expr, b, d);
        let Some(pairs) = iterate(&coll) else {
            if !coll.is_unknown() {
                self.tree.fail();
            }
            let mut n = Node::unknown(span);
            n.refs = coll.all_refs().into_iter().cloned().collect();
            return n;
        };
        let mut list = Vec::new();
        let mut map = MapBuilder::default();
        let mut unknown_key = false;
        let mut refs = Vec::new();
        // What the result holds, checked as it grows: elements at any depth, string bytes.
        let limits = *self.tree.budget().limits();
        let mut left = Size {
            elements: limits.value_size,
            bytes: limits.value_bytes,
        };
        for (k, v) in pairs {
            let mut bb = b.with(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                bb = bb.with(kv.as_str(), k);
            }
            if let Some(cond) = &f.cond {
                let c = self.eval_hcl(src, &cond.expr, &bb, d);
                match (c.is_unknown(), c.as_bool()) {
                    (false, Some(true)) => {}
                    (false, Some(false)) => continue,
                    _ => {
                        // Whether this element is in the result is unknown: so is the result.
                        let mut n = Node::unknown(span);
                        n.refs = merge_refs(&[&coll, &c]);
                        return n;
                    }
                }
            }
            let value = self.eval_hcl(src, &f.value_expr, &bb, d);
            let over = match left.elements.checked_sub(1) {
                Some(l) => {
                    left.elements = l;
                    over_size(&value, MAX_DEPTH - 1, &mut left)
                }
                None => Some(Over::Elements),
            };
            if let Some(over) = over {
                let budget = self.tree.budget();
                let what = "this `for` expression";
                let e = match over {
                    Over::Bytes => budget.too_much_text(&what),
                    _ => budget.too_big(&what, None),
                };
                self.tree.within(Err(e), span);
                let mut n = Node::unknown(span);
                n.refs = coll.refs.clone();
                return n;
            }
            if !self.tree.charge(1, span) {
                return Node::unknown(span);
            }
            match &f.key_expr {
                None => list.push(value),
                Some(ke) => {
                    let kn = self.eval_hcl(src, ke, &bb, d);
                    let Some(name) = scalar_string(&kn) else {
                        unknown_key = true;
                        refs.extend(kn.all_refs().into_iter().cloned());
                        continue;
                    };
                    let k = Key {
                        name,
                        span: kn.span,
                    };
                    if f.grouping {
                        // Taken out, not cloned: a shared list would be copied at each push.
                        let taken = map
                            .get_mut(&k.name)
                            .map(|e| std::mem::replace(&mut e.value, Value::Null));
                        let mut items = match taken {
                            Some(Value::List(l)) => l,
                            _ => Default::default(),
                        };
                        items.to_mut().push(value);
                        map.insert(k, Node::new(Value::List(items), span));
                    } else {
                        map.insert(k, value);
                    }
                }
            }
        }
        if unknown_key {
            let mut n = Node::unknown(span);
            refs.sort();
            refs.dedup();
            n.refs = refs;
            return n;
        }
        if f.key_expr.is_some() {
            Node::new(Value::Map(map.finish()), span)
        } else {
            Node::new(Value::list(list), span)
        }
    }
}

/// Whether a template uses a `~` strip marker anywhere.
fn has_strip_marker<'e>(elements: impl Iterator<Item = &'e Element>) -> bool {
    elements.into_iter().any(|el| match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip != Default::default(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => {
                i.if_expr.strip != Default::default()
                    || i.endif_expr.strip != Default::default()
                    || i.else_expr
                        .as_ref()
                        .is_some_and(|e| e.strip != Default::default())
                    || has_strip_marker(i.if_expr.template.iter())
                    || i.else_expr
                        .as_ref()
                        .is_some_and(|e| has_strip_marker(e.template.iter()))
            }
            Directive::For(f) => {
                f.for_expr.strip != Default::default()
                    || f.endfor_expr.strip != Default::default()
                    || has_strip_marker(f.for_expr.template.iter())
            }
        },
    })
}

/// Whether a template element strips whitespace from the literal after it (`~}`).
fn strips_after(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => i.endif_expr.strip.strip_end(),
            Directive::For(f) => f.endfor_expr.strip.strip_end(),
        },
    }
}

/// Whether a template element strips whitespace from the literal before it (`{~`).
fn strips_before(el: &Element) -> bool {
    match el {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => i.if_expr.strip.strip_start(),
            Directive::For(f) => f.for_expr.strip.strip_start(),
        },
    }
}

fn key(name: &str, span: Span) -> Key {
    Key {
        name: name.to_string(),
        span,
    }
}

fn push_block(map: &mut MapBuilder, ident: &str, key_span: Span, inner: Node) {
    if let Some(slot) = map.get_mut(ident)
        && let Value::List(items) = &mut slot.value
    {
        items.to_mut().push(inner);
        return;
    }
    let span = inner.span;
    map.insert(
        Key {
            name: ident.to_string(),
            span: key_span,
        },
        Node::new(Value::list(vec![inner]), span),
    );
}

impl Scope<'_, '_> {
    /// Records that evaluation nests deeper than [`MAX_EVAL_DEPTH`] at `span` (locals that
    /// refer to locals a few hundred times over, say): the value there is unknown.
    fn too_deep(&self, span: Span) {
        let message = format!(
            "evaluation nests deeper than {MAX_EVAL_DEPTH} levels here (names that refer to \
             names that refer to names…); the value is unknown"
        );
        self.tree.within(Err(Exceeded(Some(message))), span);
    }

    /// A value moved to where it is used: every node of it gets `span`, and keeps where it
    /// was written as `origin` (unless it already came from elsewhere). `encoded` structures
    /// keep their spans: a policy parser points inside them. Each node copied costs a step,
    /// and its string one per [`BYTES_PER_STEP`] bytes (whoever reads the value next may
    /// scan it); a value of more than `value-size` elements is not copied: an error at
    /// `span`, and unknown.
    pub fn relocate(&self, n: Node, span: Span) -> Node {
        let limit = self.tree.budget().limits().value_size;
        // The value itself and its elements.
        let mut copy = Copy {
            left: limit.saturating_add(1),
            bytes: 0,
        };
        match relocate_within(n, span, 0, &mut copy) {
            Some(n) => {
                let copied = limit.saturating_add(1) - copy.left;
                let cost = copied.saturating_add(copy.bytes / BYTES_PER_STEP as u64);
                if self.tree.charge(cost, span) {
                    n
                } else {
                    Node::unknown(span)
                }
            }
            None => {
                let over = self.tree.budget().too_big(&"this expression", None);
                self.tree.within(Err(over), span);
                Node::unknown(span)
            }
        }
    }
}

/// What a relocation may still copy, and the string bytes it copied.
struct Copy {
    left: u64,
    bytes: u64,
}

/// See [`Scope::relocate`]: `None` once more than `copy.left` nodes would be copied.
fn relocate_within(mut n: Node, span: Span, depth: usize, copy: &mut Copy) -> Option<Node> {
    if n.span == span && n.origin.is_none() {
        return Some(n);
    }
    copy.left = copy.left.checked_sub(1)?;
    if n.origin.is_none() && n.span != Span::default() {
        n.origin = Some(n.span);
    }
    n.span = span;
    if depth > MAX_DEPTH {
        return Some(n);
    }
    n.value = match n.value {
        Value::List(items) => Value::List(
            items
                .into_iter()
                .map(|i| relocate_within(i, span, depth + 1, copy))
                .collect::<Option<_>>()?,
        ),
        Value::Map(m) => {
            let mut over = false;
            let m = m.map_entries(|(k, v)| match relocate_within(v, span, depth + 1, copy) {
                Some(v) => (k, v),
                None => {
                    over = true;
                    (k, Node::unknown(span))
                }
            });
            if over {
                return None;
            }
            Value::Map(m)
        }
        Value::String(s) => {
            copy.bytes = copy.bytes.saturating_add(s.len() as u64);
            Value::String(s)
        }
        v => v,
    };
    Some(n)
}

/// Pairs of (key, value) to iterate over, in Terraform's order (maps by key); `None` when the
/// collection is unknown or not a collection.
pub fn iterate(coll: &Node) -> Option<Vec<(Node, Node)>> {
    match &coll.value {
        Value::List(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (Node::new(Value::Number(i as f64), v.span), v.clone()))
                .collect(),
        ),
        Value::Map(m) => {
            let mut entries: Vec<(&Key, &Node)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            Some(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            Node::new(Value::String(k.name.as_str().into()), k.span),
                            v.clone(),
                        )
                    })
                    .collect(),
            )
        }
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// The string Terraform would interpolate for a scalar; `None` for unknowns and collections.
pub fn scalar_string(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
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
                let eq = values_equal(l, r) && same_kind(l, r);
                Value::Bool(if op == Eq { eq } else { !eq })
            }
        }
        And | Or => match (l.is_unknown(), l.as_bool(), r.is_unknown(), r.as_bool()) {
            (false, Some(a), false, Some(b)) => {
                Value::Bool(if op == And { a && b } else { a || b })
            }
            (_, _, false, Some(false)) if op == And => Value::Bool(false),
            (_, _, false, Some(true)) if op == Or => Value::Bool(true),
            _ => Value::Unknown,
        },
        _ => match (l.as_f64(), r.as_f64()) {
            (Some(a), Some(b)) if !l.is_unknown() && !r.is_unknown() => match op {
                Plus => Value::Number(a + b),
                Minus => Value::Number(a - b),
                Mul => Value::Number(a * b),
                Div if b != 0.0 => Value::Number(a / b),
                // Terraform's `%` keeps the sign of the dividend, like Rust's.
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

/// Whether two known values have the same kind (Terraform's `==` is false across types).
fn same_kind(a: &Node, b: &Node) -> bool {
    std::mem::discriminant(&a.value) == std::mem::discriminant(&b.value)
}

/// Terraform equality: values compare element-wise; numbers and strings never equal.
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
