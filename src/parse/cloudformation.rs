//! CloudFormation templates: intrinsic functions are resolved as far as the template and
//! its parameter defaults allow; `Ref`/`Fn::GetAtt` between resources become graph edges.
//! Resolution spends the template's evaluation budget (`eval-steps`: a step per node
//! resolved, per node a `Ref` brings in, per 64 bytes of string made) and checks each string
//! it makes against `value-bytes` before making it.

use std::cell::RefCell;
use std::collections::HashMap;

use super::sam::{self, Sam};
use crate::graph::{Dialect, Graph, InputError, Resource, UnitId};
use crate::parse::budget::{Budget, Exceeded};
use crate::source::Span;
use crate::value::{Key, Map, MapBuilder, Node, Ref, Value, format_number};

/// Whether a parsed document looks like a CloudFormation template: a `Resources` map whose
/// entries are maps with a `Type`.
pub fn is_template(root: &Node) -> bool {
    let Some(resources) = root.get("Resources").and_then(Node::as_map) else {
        return false;
    };
    !resources.is_empty()
        && resources
            .iter()
            .any(|(_, r)| r.get("Type").and_then(Node::as_str).is_some())
}

/// Adds the resources of a template to the graph.
pub fn load(root: &Node, graph: &mut Graph, unit: UnitId) -> Vec<InputError> {
    let mut errors = Vec::new();
    graph.domains.extend(super::allowed::domains(root));
    let Some(resources) = root.get("Resources").and_then(Node::as_map) else {
        return errors;
    };
    let sam = Sam::read(root, resources, &mut errors);
    let mut ctx = Context::new(root);
    if let Some(sam) = &sam {
        // `Ref`/`GetAtt` to what the transform creates (`!GetAtt FnRole.Arn`) are edges too.
        ctx.resources.extend(sam.implicit_ids().map(|id| (id, ())));
    }
    load_resources(&ctx, sam.as_ref(), resources, graph, unit, &mut errors);
    errors.extend(ctx.errors.take());
    errors
}

fn load_resources(
    ctx: &Context<'_>,
    sam: Option<&Sam>,
    resources: &Map,
    graph: &mut Graph,
    unit: UnitId,
    errors: &mut Vec<InputError>,
) {
    let root = ctx.root;
    for (key, body) in resources.iter() {
        let Some(rtype) = body.get("Type").and_then(Node::as_str) else {
            if !key.name.starts_with("Fn::ForEach") {
                errors.push(InputError {
                    span: key.span,
                    message: format!("resource `{}` has no `Type`", key.name),
                });
            }
            continue;
        };
        let condition = body
            .get("Condition")
            .and_then(Node::as_str)
            .map(|c| ctx.condition(c, 0));
        if condition == Some(Some(false)) {
            continue;
        }
        let conditional = condition == Some(None);
        let mut attrs = match body.get("Properties") {
            Some(props) => match ctx.resolve(props, 0).value {
                Value::Map(m) => m,
                _ => Map::default(),
            },
            None => Map::default(),
        };
        if matches!(
            rtype,
            "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group"
        ) {
            judged_one_by_one(ctx, body, &mut attrs);
        }
        graph.add_resource(Resource {
            unit,
            address: key.name.clone(),
            rtype: rtype.to_string(),
            dialect: Dialect::CloudFormation,
            is_data: false,
            span: key.span,
            attrs,
            call_sites: Vec::new(),
            metadata: body.get("Metadata").cloned(),
            conditional,
            generated_from: None,
        });
        if let Some(sam) = sam {
            let written = sam::Written {
                key,
                body,
                rtype,
                conditional,
                unit,
            };
            sam.expand(ctx, &written, graph, errors);
        }
    }
    // Outputs leave the template (other stacks import them): record what they reference.
    if let Some(outputs) = root.get("Outputs").and_then(Node::as_map) {
        for (key, body) in outputs.iter() {
            if let Some(v) = body.get("Value") {
                graph.exports.push(crate::graph::Export {
                    unit,
                    name: key.name.clone(),
                    value: ctx.resolve(v, 0),
                });
            }
        }
    }
}

/// The policies of an identity are judged one by one: each alternative of an `Fn::If` on an
/// unknown condition is kept (see [`Context::alternatives`]), so that a conditional policy
/// that grants little is not an unknown one.
fn judged_one_by_one(ctx: &Context<'_>, body: &Node, attrs: &mut Map) {
    let Some(props) = body.get("Properties").and_then(Node::as_map) else {
        return;
    };
    for name in ["Policies", "ManagedPolicyArns"] {
        if let Some((key, raw)) = props.entry(name)
            && let Value::List(items) = &raw.value
        {
            let items: Vec<Node> = items.iter().flat_map(|i| ctx.alternatives(i)).collect();
            attrs.insert(key.clone(), Node::new(Value::list(items), raw.span));
        }
    }
}

/// Resolution depth limit: conditions and intrinsics may refer to each other.
const MAX_RESOLVE_DEPTH: usize = 64;

/// What intrinsics resolve against: the template's parameters, conditions, mappings and
/// logical ids, and the budget of the evaluation.
pub(super) struct Context<'a> {
    root: &'a Node,
    params: HashMap<&'a str, &'a Node>,
    conditions: HashMap<&'a str, &'a Node>,
    mappings: Option<&'a Node>,
    resources: HashMap<&'a str, ()>,
    budget: Budget,
    /// Budget errors, at the intrinsic that exceeded a budget.
    errors: RefCell<Vec<InputError>>,
    /// Nodes of each parameter's default (what a `Ref` to it brings in), counted once.
    default_sizes: RefCell<HashMap<&'a str, u64>>,
}

impl<'a> Context<'a> {
    fn new(root: &'a Node) -> Context<'a> {
        let mut params = HashMap::new();
        if let Some(m) = root.get("Parameters").and_then(Node::as_map) {
            for (k, v) in m.iter() {
                params.insert(k.name.as_str(), v);
            }
        }
        let mut conditions = HashMap::new();
        if let Some(m) = root.get("Conditions").and_then(Node::as_map) {
            for (k, v) in m.iter() {
                conditions.insert(k.name.as_str(), v);
            }
        }
        let mut resources = HashMap::new();
        if let Some(m) = root.get("Resources").and_then(Node::as_map) {
            for (k, _) in m.iter() {
                resources.insert(k.name.as_str(), ());
            }
        }
        Context {
            root,
            params,
            conditions,
            mappings: root.get("Mappings"),
            resources,
            budget: Budget::default(),
            errors: RefCell::default(),
            default_sizes: RefCell::default(),
        }
    }

    /// Whether a budget check passed (its error recorded at `span` when not).
    fn within(&self, check: Result<(), Exceeded>, span: Span) -> bool {
        self.budget.within(check, span, &self.errors)
    }

    /// Resolves every intrinsic inside `node`.
    pub(super) fn resolve(&self, node: &Node, depth: usize) -> Node {
        if depth > MAX_RESOLVE_DEPTH || !self.within(self.budget.steps(1), node.span) {
            return Node::unknown(node.span);
        }
        match &node.value {
            Value::Map(m) if m.len() == 1 => {
                let (k, v) = &m.entries[0];
                if let Some(n) = self.intrinsic(&k.name, v, node.span, depth) {
                    return n;
                }
                self.resolve_map(m, node.span, depth)
            }
            Value::Map(m) => self.resolve_map(m, node.span, depth),
            Value::List(items) => Node::new(
                Value::List(
                    items
                        .iter()
                        .map(|i| self.resolve(i, depth + 1))
                        .filter(|n| !is_no_value(n))
                        .collect(),
                ),
                node.span,
            ),
            _ => node.clone(),
        }
    }

    /// A list item resolved as each alternative it may be: an `Fn::If` on an unknown
    /// condition gives both branches, each marked as possibly absent (an `AWS::NoValue`
    /// reference), where resolving it would give one unknown value; a removed item gives
    /// none. For lists whose items are judged one by one (the policies of a role).
    pub(super) fn alternatives(&self, item: &Node) -> Vec<Node> {
        if let Some(Value::List(args)) = item
            .as_map()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.get("Fn::If"))
            .map(|a| &a.value)
            && let [condition, branches @ ..] = &args[..]
            && branches.len() == 2
            && condition
                .as_str()
                .is_some_and(|c| self.condition(c, 0).is_none())
        {
            return branches
                .iter()
                .map(|b| self.resolve(b, 1))
                .filter(|b| !is_no_value(b))
                .map(|mut b| {
                    b.refs.push(Ref::new("AWS::NoValue", "maybe"));
                    b
                })
                .collect();
        }
        let resolved = self.resolve(item, 0);
        if is_no_value(&resolved) {
            Vec::new()
        } else {
            vec![resolved]
        }
    }

    fn resolve_map(&self, m: &Map, span: Span, depth: usize) -> Node {
        let mut out = MapBuilder::default();
        for (k, v) in m.iter() {
            let r = self.resolve(v, depth + 1);
            if !is_no_value(&r) {
                out.insert(k.clone(), r);
            }
        }
        Node::new(Value::Map(out.finish()), span)
    }

    /// Resolves one intrinsic function; `None` if `name` is not one.
    fn intrinsic(&self, name: &str, arg: &Node, span: Span, depth: usize) -> Option<Node> {
        let d = depth + 1;
        Some(match name {
            "Ref" => self.reference(arg, span),
            "Fn::GetAtt" => {
                let (res, attr) = match &arg.value {
                    Value::List(l) if l.len() == 2 => (
                        l[0].as_str().unwrap_or_default().to_string(),
                        self.resolve(&l[1], d)
                            .as_str()
                            .unwrap_or_default()
                            .to_string(),
                    ),
                    Value::String(s) => match s.split_once('.') {
                        Some((a, b)) => (a.to_string(), b.to_string()),
                        None => (s.to_string(), String::new()),
                    },
                    _ => (String::new(), String::new()),
                };
                let mut n = Node::unknown(span);
                if !res.is_empty() {
                    n.refs.push(Ref::new(res, attr));
                }
                n
            }
            "Fn::Sub" => self.sub(arg, span, d),
            "Fn::Join" => {
                let Value::List(l) = &arg.value else {
                    return Some(Node::unknown(span));
                };
                if l.len() != 2 {
                    return Some(Node::unknown(span));
                }
                let sep = self.resolve(&l[0], d);
                let items = self.resolve(&l[1], d);
                let mut refs = items.all_refs().into_iter().cloned().collect::<Vec<_>>();
                refs.dedup();
                let parts: Option<Vec<String>> = match (&sep.value, &items.value) {
                    (Value::String(_), Value::List(items)) => {
                        items.iter().map(scalar_string).collect()
                    }
                    _ => None,
                };
                let mut n = match (parts, sep.as_str()) {
                    (Some(p), Some(s)) => {
                        let len = p
                            .iter()
                            .map(String::len)
                            .fold(s.len().saturating_mul(p.len().saturating_sub(1)), |a, b| {
                                a.saturating_add(b)
                            });
                        if self.within(self.budget.string(&"`Fn::Join`", len), span) {
                            Node::new(Value::String(p.join(s).into()), span)
                        } else {
                            Node::unknown(span)
                        }
                    }
                    _ => Node::unknown(span),
                };
                n.refs = refs;
                n
            }
            "Fn::If" => {
                let Value::List(l) = &arg.value else {
                    return Some(Node::unknown(span));
                };
                if l.len() != 3 {
                    return Some(Node::unknown(span));
                }
                match l[0].as_str().and_then(|c| self.condition(c, d)) {
                    Some(true) => self.resolve(&l[1], d),
                    Some(false) => self.resolve(&l[2], d),
                    None => {
                        let mut n = Node::unknown(span);
                        for branch in &l[1..] {
                            n.refs
                                .extend(self.resolve(branch, d).all_refs().into_iter().cloned());
                        }
                        // A branch that removes the property makes it *maybe* absent, not
                        // absent: mark it so that the property is kept.
                        for r in &mut n.refs {
                            if r.address == "AWS::NoValue" {
                                r.attr = "maybe".into();
                            }
                        }
                        n
                    }
                }
            }
            "Fn::Select" => {
                let Value::List(l) = &arg.value else {
                    return Some(Node::unknown(span));
                };
                if l.len() != 2 {
                    return Some(Node::unknown(span));
                }
                let idx = self.resolve(&l[0], d).as_f64();
                let list = self.resolve(&l[1], d);
                match (idx, &list.value) {
                    (Some(i), Value::List(items)) if i >= 0.0 && (i as usize) < items.len() => {
                        items[i as usize].clone()
                    }
                    _ => {
                        let mut n = Node::unknown(span);
                        n.refs = list.all_refs().into_iter().cloned().collect();
                        n
                    }
                }
            }
            "Fn::Split" => {
                let Value::List(l) = &arg.value else {
                    return Some(Node::unknown(span));
                };
                if l.len() != 2 {
                    return Some(Node::unknown(span));
                }
                let sep = self.resolve(&l[0], d);
                let s = self.resolve(&l[1], d);
                match (sep.as_str(), s.as_str()) {
                    (Some(sep), Some(s))
                        if !sep.is_empty()
                            && !self.within(
                                self.budget.elements(&"`Fn::Split`", s.split(sep).count()),
                                span,
                            ) =>
                    {
                        Node::unknown(span)
                    }
                    (Some(sep), Some(s)) if !sep.is_empty() => Node::new(
                        Value::List(
                            s.split(sep)
                                .map(|p| Node::new(Value::String(p.into()), span))
                                .collect(),
                        ),
                        span,
                    ),
                    _ => Node::unknown(span),
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg, span, d),
            "Fn::Base64" => self.resolve(arg, d),
            "Fn::GetAZs" | "Fn::ImportValue" | "Fn::Cidr" | "Fn::Transform"
            | "Fn::ToJsonString" | "Fn::Length" => {
                let mut n = Node::unknown(span);
                n.refs = self
                    .resolve(arg, d)
                    .all_refs()
                    .into_iter()
                    .cloned()
                    .collect();
                n
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" | "Condition" => {
                match self.condition_expr(&long(name, arg), d) {
                    Some(b) => Node::new(Value::Bool(b), span),
                    None => Node::unknown(span),
                }
            }
            _ => return None,
        })
    }

    fn reference(&self, arg: &Node, span: Span) -> Node {
        let Some(name) = arg.as_str() else {
            return Node::unknown(span);
        };
        if name == "AWS::NoValue" {
            return no_value(span);
        }
        if let Some((&pname, param)) = self.params.get_key_value(name) {
            return match param.get("Default") {
                // What the default brings in is charged at each use.
                Some(default)
                    if !self.within(self.budget.steps(self.size_of(pname, default)), span) =>
                {
                    Node::unknown(span)
                }
                Some(default) => {
                    let mut n = match &default.value {
                        // A CommaDelimitedList default is a list to its users.
                        Value::String(s)
                            if param.get("Type").and_then(Node::as_str)
                                == Some("CommaDelimitedList") =>
                        {
                            Node::new(
                                Value::List(
                                    s.split(',')
                                        .map(|p| {
                                            Node::new(Value::String(p.trim().into()), default.span)
                                        })
                                        .collect(),
                                ),
                                span,
                            )
                        }
                        Value::Number(n) => {
                            Node::new(Value::String(format_number(*n).into()), span)
                        }
                        v => Node::new(v.clone(), span),
                    };
                    n.origin = Some(default.span);
                    n
                }
                // Unknown, but the same value wherever the parameter is used: the origin
                // (the declaration) tells two uses apart from two unrelated unknowns.
                None => {
                    let mut n = Node::unknown(span);
                    n.origin = Some(param.span);
                    n
                }
            };
        }
        let mut n = Node::unknown(span);
        if self.resources.contains_key(name) {
            n.refs.push(Ref::new(name, ""));
        }
        n
    }

    fn sub(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let (template, vars) = match &arg.value {
            Value::String(s) => (&**s, None),
            Value::List(l) if l.len() == 2 => match l[0].as_str() {
                Some(s) => (s, l[1].as_map()),
                None => return Node::unknown(span),
            },
            _ => return Node::unknown(span),
        };
        let mut out = self.budget.string_builder();
        let mut too_long = false;
        let mut known = true;
        let mut refs = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            if too_long {
                break;
            }
            too_long |= out.push_str(&rest[..start]).is_err();
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                too_long |= out.push_str(&rest[start..]).is_err();
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(lit) = name.strip_prefix('!') {
                too_long |= out.push_str("${").is_err();
                too_long |= out.push_str(lit).is_err();
                too_long |= out.push('}').is_err();
                continue;
            }
            let value = if let Some(v) = vars.and_then(|m| m.get(name)) {
                self.resolve(v, depth)
            } else if let Some((res, attr)) = name.split_once('.')
                && self.resources.contains_key(res)
            {
                let mut n = Node::unknown(span);
                n.refs.push(Ref::new(res, attr));
                n
            } else {
                self.reference(&Node::new(Value::String(name.into()), span), span)
            };
            refs.extend(value.all_refs().into_iter().cloned());
            match scalar_string(&value) {
                Some(s) => too_long |= out.push_str(&s).is_err(),
                None => known = false,
            }
        }
        too_long |= out.push_str(rest).is_err();
        if too_long {
            self.within(Err(self.budget.too_long(&"`Fn::Sub`", None)), span);
        }
        let mut n =
            if known && !too_long && self.within(self.budget.string(&"`Fn::Sub`", out.len()), span)
            {
                Node::new(Value::String(out.into_string().into()), span)
            } else {
                Node::unknown(span)
            };
        n.refs = refs;
        n
    }

    /// Nodes of parameter `name`'s default, counted once.
    fn size_of(&self, name: &'a str, default: &Node) -> u64 {
        fn count(n: &Node) -> u64 {
            1 + match &n.value {
                Value::List(items) => items.iter().map(count).sum(),
                Value::Map(m) => m.iter().map(|(_, v)| count(v)).sum(),
                _ => 0,
            }
        }
        *self
            .default_sizes
            .borrow_mut()
            .entry(name)
            .or_insert_with(|| count(default))
    }

    fn find_in_map(&self, arg: &Node, span: Span, depth: usize) -> Node {
        let Value::List(l) = &arg.value else {
            return Node::unknown(span);
        };
        if l.len() < 3 {
            return Node::unknown(span);
        }
        let keys: Vec<Node> = l[..3].iter().map(|k| self.resolve(k, depth)).collect();
        let mut cur = self.mappings;
        for k in &keys {
            let Some(k) = scalar_string(k) else {
                return Node::unknown(span);
            };
            cur = cur.and_then(|c| c.get(&k));
        }
        match cur {
            Some(v) => {
                let mut n = self.resolve(v, depth);
                n.origin = Some(v.span);
                n.span = span;
                n
            }
            None => Node::unknown(span),
        }
    }

    /// Evaluates a named condition; `None` when it depends on something unknown.
    fn condition(&self, name: &str, depth: usize) -> Option<bool> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        self.condition_expr(self.conditions.get(name)?, depth + 1)
    }

    fn condition_expr(&self, expr: &Node, depth: usize) -> Option<bool> {
        if depth > MAX_RESOLVE_DEPTH {
            return None;
        }
        let m = expr.as_map()?;
        if m.len() != 1 {
            return expr.as_bool();
        }
        let (k, v) = &m.entries[0];
        let d = depth + 1;
        match k.name.as_str() {
            "Condition" => self.condition(v.as_str()?, d),
            "Fn::Equals" => {
                let l = v.as_list()?;
                if l.len() != 2 {
                    return None;
                }
                let a = scalar_string(&self.resolve(&l[0], d))?;
                let b = scalar_string(&self.resolve(&l[1], d))?;
                Some(a == b)
            }
            "Fn::Not" => Some(!self.condition_expr(v.as_list()?.first()?, d)?),
            "Fn::And" | "Fn::Or" => {
                let is_and = k.name == "Fn::And";
                let mut unknown = false;
                for c in v.as_list()? {
                    match self.condition_expr(c, d) {
                        Some(b) if b != is_and => return Some(b),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown { None } else { Some(is_and) }
            }
            _ => None,
        }
    }
}

fn long(name: &str, arg: &Node) -> Node {
    let mut m = Map::default();
    m.insert(
        Key {
            name: name.into(),
            span: arg.span,
        },
        arg.clone(),
    );
    Node::new(Value::Map(m), arg.span)
}

/// Marker for `!Ref AWS::NoValue`: the property is removed.
fn no_value(span: Span) -> Node {
    let mut n = Node::unknown(span);
    n.refs.push(Ref::new("AWS::NoValue", ""));
    n
}

/// Whether a resolved value is `!Ref AWS::NoValue` (the property is removed).
pub(super) fn is_no_value(n: &Node) -> bool {
    n.is_unknown()
        && n.refs.len() == 1
        && n.refs[0].address == "AWS::NoValue"
        && n.refs[0].attr.is_empty()
}

/// Whether a resolved value may be `AWS::NoValue`: an `Fn::If` on an unknown condition with
/// a branch that removes the property.
pub(super) fn may_be_no_value(n: &Node) -> bool {
    n.is_unknown()
        && n.refs
            .iter()
            .any(|r| r.address == "AWS::NoValue" && r.attr == "maybe")
}

/// A scalar as the string CloudFormation would substitute.
fn scalar_string(n: &Node) -> Option<String> {
    match &n.value {
        Value::String(s) => Some(s.to_string()),
        Value::Number(x) => Some(format_number(*x)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{InputKind, Unit};
    use crate::source::FileId;

    fn load_yaml(text: &str) -> Graph {
        let root = crate::parse::yaml::parse(FileId(0), text).unwrap();
        let mut g = Graph::default();
        let unit = g.add_unit(Unit {
            kind: InputKind::CloudFormation,
            anchor: Span::default(),
            name: "t".into(),
        });
        assert!(load(&root, &mut g, unit).is_empty());
        g
    }

    #[test]
    fn resolves_parameters_conditions_and_sub() {
        let g = load_yaml(
            r#"
Parameters:
  Port: {Type: Number, Default: 22}
  Env: {Type: String, Default: prod}
  Open: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Unknown: !Equals [!Ref Open, yes]
Resources:
  Bucket: {Type: AWS::S3::Bucket}
  Skipped: {Type: AWS::S3::Bucket, Condition: NotProd}
  Thing:
    Type: AWS::Test::Thing
    Properties:
      P: !Ref Port
      Q: !If [IsProd, a, b]
      R: !If [Unknown, a, b]
      S: !Sub 'arn:${Env}:${Bucket.Arn}'
      T: !Sub ['${X}-y', {X: !Ref Env}]
      U: !Join ['-', [a, !Ref Env]]
      V: !If [IsProd, !Ref AWS::NoValue, b]
      W: !If [Unknown, !Ref Open, !Ref AWS::NoValue]
"#,
        );
        let t = &g.resources[g.by_address(UnitId(0), "Thing").unwrap().0];
        assert_eq!(t.attrs.get("P").unwrap().as_str(), Some("22"));
        assert_eq!(t.attrs.get("Q").unwrap().as_str(), Some("a"));
        assert!(t.attrs.get("R").unwrap().is_unknown());
        let s = t.attrs.get("S").unwrap();
        assert!(s.is_unknown());
        assert_eq!(s.refs[0].address, "Bucket");
        assert_eq!(t.attrs.get("T").unwrap().as_str(), Some("prod-y"));
        assert_eq!(t.attrs.get("U").unwrap().as_str(), Some("a-prod"));
        assert!(t.attrs.get("V").is_none());
        // An unknown condition with a removing branch: the property may or may not be there.
        let w = t.attrs.get("W").unwrap();
        assert!(w.is_unknown());
        assert_eq!(w.refs[0].address, "AWS::NoValue");
    }
}
