//! The module-instance tree of one root module: every instance (the root, `module.net`,
//! `module.net[0]`, …) is a scope whose variables, locals, resources and outputs are evaluated
//! lazily and memoized, so that references may run in any direction across the tree as long
//! as Terraform would accept them (a cycle evaluates to unknown instead of looping).

use foldhash::{HashMap, HashSet};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use super::config::{ModuleCall, ModuleConfig};
use super::eval::{Bindings, scalar_string};
use super::files::Files;
use super::loader::Resolver;
use super::types::convert;
use super::undeclared;
use crate::graph::InputError;
use crate::notice::Notice;
use crate::parse::budget::{Budget, Exceeded};
use crate::source::Span;
use crate::value::{Key, Map, Node, Ref, Value};

/// A module call that could not be loaded (registry or git source without
/// `.terraform/modules/modules.json`, a missing directory, a path outside the scanned root).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    /// The `module "name"` header of the call.
    pub span: Span,
    /// The call's address without instance keys (`module.vpc`, `module.a.module.b`).
    pub module: String,
    pub source: String,
    pub reason: String,
}

/// Everything one root module's evaluation shares.
pub struct Tree<'a> {
    /// Module configurations by canonical directory.
    pub configs: &'a HashMap<PathBuf, ModuleConfig<'a>>,
    pub resolver: &'a Resolver,
    pub files: &'a Files<'a>,
    /// The root module's directory as displayed: `file()` paths are relative to it.
    pub root_dir: PathBuf,
    scopes: RefCell<Vec<Rc<ScopeData<'a>>>>,
    pub errors: RefCell<Vec<InputError>>,
    pub unresolved: RefCell<Vec<Unresolved>>,
    /// `undeclared-reference` warnings, once per place.
    pub undeclared: RefCell<BTreeMap<Span, Notice>>,
    /// Evaluation errors so far; `try`/`can` compare it before and after an argument.
    error_count: Cell<u64>,
    /// `templatefile` paths being rendered, to stop a template that includes itself.
    pub templates: RefCell<Vec<PathBuf>>,
    /// Steps and value sizes (hostile input): what is over is unknown, with an error.
    budget: Budget,
    /// Regular expressions by pattern, compiled once.
    regexes: RefCell<HashMap<String, Result<regex::Regex, Refused>>>,
}

/// What a scope evaluates once: the key of its memo table and of its cycle guard.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Slot<'a> {
    Var(&'a str),
    Local(&'a str),
    Output(&'a str),
    Resource(usize),
    Module(usize),
}

/// A memoized value and whether computing it raised an evaluation error.
#[derive(Clone)]
struct Memo {
    node: Node,
    errored: bool,
}

/// Where a module instance's variables come from.
pub enum VarSource<'a> {
    /// A root module: values already merged from defaults, tfvars, CLI and environment.
    Root(HashMap<String, Node>),
    /// A module call: arguments evaluated in the calling scope with the instance's bindings.
    Call {
        parent: usize,
        call: &'a ModuleCall<'a>,
        bindings: Bindings,
    },
}

/// One module instance.
pub struct ScopeData<'a> {
    pub config: &'a ModuleConfig<'a>,
    /// The canonical directory (the key of `configs`).
    pub canonical: PathBuf,
    /// Address prefix (`module.net[0].`); empty for the root.
    pub prefix: String,
    /// Call names from the root (`["vpc", "subnets"]`), the key of `modules.json`.
    pub key_path: Vec<String>,
    pub depth: usize,
    /// Module call headers from the root down.
    pub call_sites: Vec<Span>,
    /// Whether this instance exists depends on an unknown `count`/`for_each`.
    pub conditional: bool,
    /// `path.module`: the directory relative to the root module.
    pub rel_dir: String,
    vars: VarSource<'a>,
    memo: RefCell<HashMap<Slot<'a>, Memo>>,
    in_progress: RefCell<HashSet<Slot<'a>>>,
    resources: RefCell<HashMap<usize, Rc<Expansion>>>,
    modules: RefCell<HashMap<usize, Rc<ModExpansion>>>,
}

/// How a `resource`/`module` block expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpKind {
    Single,
    Count,
    ForEach,
    /// `count`/`for_each` is unknown: one placeholder instance whose existence is unknown.
    Unknown,
}

/// The instances of one resource block.
pub struct Expansion {
    pub kind: ExpKind,
    pub instances: Vec<Instance>,
    /// The block address without instance key.
    pub base: String,
}

/// One resource instance.
pub struct Instance {
    pub address: String,
    /// The `for_each` key (string) or `count` index (number).
    pub key: Option<Node>,
    /// Attributes as evaluated, with spans and references: what the graph gets, moved
    /// there once the instance is emitted (nothing else reads them).
    pub attrs: RefCell<Map>,
    /// The value other expressions see when they reference this instance.
    pub object: Node,
}

/// The instances of one module call.
pub struct ModExpansion {
    pub kind: ExpKind,
    /// (instance key, scope id).
    pub instances: Vec<(Option<Node>, usize)>,
}

/// A handle on one scope of a tree.
#[derive(Clone, Copy)]
pub struct Scope<'t, 'a> {
    pub tree: &'t Tree<'a>,
    pub id: usize,
}

impl<'a> Tree<'a> {
    /// An empty tree over the loaded configurations.
    pub fn new(
        configs: &'a HashMap<PathBuf, ModuleConfig<'a>>,
        resolver: &'a Resolver,
        files: &'a Files<'a>,
        root_dir: PathBuf,
    ) -> Tree<'a> {
        Tree {
            configs,
            resolver,
            files,
            root_dir,
            scopes: RefCell::default(),
            errors: RefCell::default(),
            unresolved: RefCell::default(),
            undeclared: RefCell::default(),
            error_count: Cell::new(0),
            templates: RefCell::default(),
            budget: Budget::default(),
            regexes: RefCell::default(),
        }
    }

    /// The evaluation budget.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// The regular expression `pattern` that `what` uses at `span`, compiled once per tree
    /// for [`REGEX_STEPS`] steps. `Refused::TooBig` (an error at `span`) when it would compile
    /// to more than [`REGEX_SIZE`] bytes or the budget is spent.
    pub fn regex(
        &self,
        pattern: &str,
        what: &dyn std::fmt::Display,
        span: Span,
    ) -> Result<regex::Regex, Refused> {
        if let Some(re) = self.regexes.borrow().get(pattern) {
            if matches!(re, Err(Refused::TooBig)) {
                self.regex_too_big(what, span);
            }
            return re.clone();
        }
        if !self.charge(REGEX_STEPS, span) {
            return Err(Refused::TooBig);
        }
        let re = match regex::RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE)
            .dfa_size_limit(REGEX_SIZE)
            .build()
        {
            Ok(re) => Ok(re),
            Err(regex::Error::CompiledTooBig(_)) => {
                self.regex_too_big(what, span);
                Err(Refused::TooBig)
            }
            Err(_) => Err(Refused::Invalid),
        };
        self.regexes
            .borrow_mut()
            .insert(pattern.to_string(), re.clone());
        re
    }

    fn regex_too_big(&self, what: &dyn std::fmt::Display, span: Span) {
        let message = format!(
            "{what}: the regular expression compiles to more than {}; its value is unknown",
            crate::parse::limits::bytes_text(REGEX_SIZE as u64)
        );
        self.within(Err(Exceeded(Some(message))), span);
    }

    /// Spends `n` evaluation steps; `false` once the budget is gone (recorded once, at `span`).
    pub fn charge(&self, n: u64, span: Span) -> bool {
        self.within(self.budget.steps(n), span)
    }

    /// Whether `what` may make a string of `bytes` bytes (checked before it is made; an
    /// error at `span` when not), charging it.
    pub fn string(&self, what: &dyn std::fmt::Display, bytes: usize, span: Span) -> bool {
        self.within(self.budget.string(what, bytes), span)
    }

    /// Whether `what` may make a value of `n` elements (an error at `span` when not),
    /// charging them.
    pub fn elements(&self, what: &dyn std::fmt::Display, n: usize, span: Span) -> bool {
        self.within(self.budget.elements(what, n), span)
    }

    /// Records that `what` would make a string longer than `value-bytes`, at `span`.
    pub fn too_long(&self, what: &dyn std::fmt::Display, span: Span) {
        self.within(Err(self.budget.too_long(what, None)), span);
    }

    /// Whether a budget check passed; records its error at `span` (once per place) when not.
    pub fn within(&self, check: Result<(), Exceeded>, span: Span) -> bool {
        self.budget.within(check, span, &self.errors)
    }

    /// Adds the root scope for the module in `canonical` with its variable values.
    pub fn add_root<'t>(
        &'t self,
        canonical: PathBuf,
        vars: HashMap<String, Node>,
    ) -> Option<Scope<'t, 'a>> {
        let config = self.configs.get(&canonical)?;
        let id = self.push(ScopeData {
            config,
            canonical,
            prefix: String::new(),
            key_path: Vec::new(),
            depth: 0,
            call_sites: Vec::new(),
            conditional: false,
            rel_dir: ".".into(),
            vars: VarSource::Root(vars),
            memo: RefCell::default(),
            in_progress: RefCell::default(),
            resources: RefCell::default(),
            modules: RefCell::default(),
        });
        Some(Scope { tree: self, id })
    }

    fn push(&self, data: ScopeData<'a>) -> usize {
        let mut scopes = self.scopes.borrow_mut();
        scopes.push(Rc::new(data));
        scopes.len() - 1
    }

    /// Number of module instances evaluated.
    pub fn scope_count(&self) -> usize {
        self.scopes.borrow().len()
    }

    /// Records an evaluation error (what `try` and `can` catch).
    pub fn fail(&self) {
        self.error_count.set(self.error_count.get() + 1);
    }

    /// The evaluation error counter.
    pub fn error_count(&self) -> u64 {
        self.error_count.get()
    }

    /// Forgets errors caught by `try`/`can` (back to an earlier count).
    pub fn reset_errors(&self, to: u64) {
        self.error_count.set(to);
    }

    /// Records an input error once per place and message.
    pub fn input_error(&self, span: Span, message: String) {
        let mut errors = self.errors.borrow_mut();
        let e = InputError { span, message };
        if !errors.contains(&e) {
            errors.push(e);
        }
    }

    /// Warns of a reference to the undeclared `name` at `span` and gives the value it is
    /// read as: unknown, pointing at no resource. No evaluation error is counted: Terraform
    /// rejects the configuration before evaluating, so `try` cannot catch it.
    pub fn undeclared(&self, span: Span, kind: undeclared::Kind, name: &str, prefix: &str) -> Node {
        self.undeclared
            .borrow_mut()
            .entry(span)
            .or_insert_with(|| undeclared::notice(span, kind, name));
        let mut n = Node::unknown(span);
        n.refs.push(Ref::undeclared(format!("{prefix}{name}")));
        n
    }

    fn unresolved(&self, u: Unresolved) {
        let mut list = self.unresolved.borrow_mut();
        if !list.iter().any(|x| x.span == u.span) {
            list.push(u);
        }
    }
}

impl<'t, 'a> Scope<'t, 'a> {
    /// The scope's data.
    pub fn data(&self) -> Rc<ScopeData<'a>> {
        self.tree.scopes.borrow()[self.id].clone()
    }

    fn at(&self, id: usize) -> Scope<'t, 'a> {
        Scope {
            tree: self.tree,
            id,
        }
    }

    /// Memoizes `compute` under `key`; a cycle through `key` gives unknown.
    fn memoized(&self, key: Slot<'a>, span: Span, compute: impl FnOnce() -> Node) -> Node {
        let data = self.data();
        if let Some(m) = data.memo.borrow().get(&key) {
            if m.errored {
                self.tree.fail();
            }
            return m.node.clone();
        }
        if !data.in_progress.borrow_mut().insert(key) {
            // A cycle: Terraform rejects it; we stop with an unknown.
            return Node::unknown(span);
        }
        let before = self.tree.error_count();
        let node = self.tree.bounded(compute());
        let errored = self.tree.error_count() > before;
        data.in_progress.borrow_mut().remove(&key);
        data.memo.borrow_mut().insert(
            key,
            Memo {
                node: node.clone(),
                errored,
            },
        );
        node
    }

    /// The value of `var.name`, unknown when it has none.
    pub fn var(&self, name: &str, span: Span, d: usize) -> Node {
        let data = self.data();
        let config = data.config;
        let Some((name, decl)) = config.variables.get_key_value(name) else {
            self.tree.fail();
            return Node::unknown(span);
        };
        self.memoized(Slot::Var(name), span, || {
            let ty = decl.ty();
            let given = match &data.vars {
                VarSource::Root(values) => values.get(name).cloned(),
                VarSource::Call {
                    parent,
                    call,
                    bindings,
                } => call
                    .body
                    .attr(name)
                    .map(|e| self.at(*parent).eval_d(e, bindings, d)),
            };
            let default = || decl.default.map(|e| self.eval_literal(e));
            let value = match given {
                Some(v) if v.is_null() && !decl.nullable => default(),
                Some(v) => Some(v),
                None => default(),
            };
            match value {
                // No value at all: Terraform would ask for one; we cannot know it.
                None => Node::unknown(decl.header),
                Some(v) => convert(&v, ty).unwrap_or_else(|_| {
                    let mut n = Node::unknown(v.span);
                    n.refs = v.all_refs().into_iter().cloned().collect();
                    n
                }),
            }
        })
    }

    /// The value of `local.name`.
    pub fn local(&self, name: &str, span: Span, d: usize) -> Node {
        let data = self.data();
        let config = data.config;
        let Some((name, expr)) = config.locals.get_key_value(name) else {
            self.tree.fail();
            return Node::unknown(span);
        };
        let expr = *expr;
        self.memoized(Slot::Local(name), span, || {
            self.eval_d(expr, &Bindings::default(), d)
        })
    }

    /// The value of output `name` of this module instance.
    pub fn output(&self, name: &str, span: Span, d: usize) -> Node {
        let data = self.data();
        let config = data.config;
        let Some((name, expr)) = config.outputs.get_key_value(name) else {
            self.tree.fail();
            return Node::unknown(span);
        };
        let expr = *expr;
        self.memoized(Slot::Output(name), span, || {
            self.eval_d(expr, &Bindings::default(), d)
        })
    }

    /// The instances of resource block `idx`, evaluated once.
    pub fn resource(&self, idx: usize, d: usize) -> Rc<Expansion> {
        let data = self.data();
        if let Some(e) = data.resources.borrow().get(&idx) {
            return e.clone();
        }
        let rb = &data.config.resources[idx];
        let base = format!(
            "{}{}{}.{}",
            data.prefix,
            if rb.is_data { "data." } else { "" },
            rb.rtype,
            rb.name
        );
        let key = Slot::Resource(idx);
        if !data.in_progress.borrow_mut().insert(key) {
            // A cycle between resources: its values are unknown to the one asking.
            return Rc::new(Expansion {
                kind: ExpKind::Unknown,
                instances: Vec::new(),
                base,
            });
        }
        let meta = |name: &str| {
            rb.overrides
                .iter()
                .rev()
                .find_map(|o| o.attr(name))
                .or_else(|| rb.body.attr(name))
        };
        let (mut kind, keys) = self.expand(meta("count"), meta("for_each"), d);
        let mut instances = Vec::new();
        for (suffix, key, bindings) in keys {
            // An instance is kept for the whole scan, however few its attributes. With the
            // budget gone, one last instance is made whose values are all unknown (evaluating
            // costs nothing then) and whose existence is unknown: a resource that vanished
            // would be a silent pass.
            let exhausted = !self.tree.charge(INSTANCE_STEPS, rb.header);
            let address = format!("{base}{suffix}");
            let mut attrs = self.eval_body(rb.body, &bindings, d);
            for o in &rb.overrides {
                // Each attribute, and each nested block type, of an override replaces the original's.
                for (k, v) in self.eval_body(*o, &bindings, d).entries {
                    attrs.insert(k, v);
                }
            }
            for (_, v) in attrs.entries_mut().iter_mut() {
                *v = self
                    .tree
                    .bounded(std::mem::replace(v, Node::unknown(Span::default())));
            }
            let object = instance_object(&address, &attrs, rb.is_data);
            instances.push(Instance {
                address,
                key,
                attrs: RefCell::new(attrs),
                object,
            });
            if exhausted {
                kind = ExpKind::Unknown;
                break;
            }
        }
        data.in_progress.borrow_mut().remove(&key);
        let e = Rc::new(Expansion {
            kind,
            instances,
            base,
        });
        data.resources.borrow_mut().insert(idx, e.clone());
        e
    }

    /// The value an expression sees for `type.name` (an object, a list or map of objects).
    pub fn resource_value(&self, idx: usize, span: Span, d: usize) -> Node {
        let e = self.resource(idx, d);
        match e.kind {
            ExpKind::Single => match e.instances.first() {
                Some(i) => i.object.clone(),
                None => unknown_ref(&e.base, span),
            },
            ExpKind::Count => Node::new(
                Value::List(e.instances.iter().map(|i| i.object.clone()).collect()),
                span,
            ),
            ExpKind::ForEach => {
                let m: Map = e
                    .instances
                    .iter()
                    .filter_map(|i| {
                        let k = i.key.as_ref().and_then(scalar_string)?;
                        Some((Key { name: k, span }, i.object.clone()))
                    })
                    .collect();
                Node::new(Value::Map(m), span)
            }
            ExpKind::Unknown => unknown_ref(&e.base, span),
        }
    }

    /// How many of `wanted` instances are evaluated: all, or the limit with an error at
    /// `span` (a silent cut would hide the violations of the instances left out).
    fn within_instance_limit(&self, wanted: usize, span: Span) -> usize {
        let limit = crate::parse::limits::get().instances;
        if wanted > limit {
            self.tree.input_error(
                span,
                format!(
                    "{wanted} instances exceed the limit of {limit} (`instances` in [limits]); \
                     only the first {limit} are evaluated"
                ),
            );
        }
        wanted.min(limit)
    }

    /// Expands `count`/`for_each` into (address suffix, key, bindings) triples.
    fn expand(
        &self,
        count: Option<super::config::Expr<'a>>,
        for_each: Option<super::config::Expr<'a>>,
        d: usize,
    ) -> (ExpKind, Vec<(String, Option<Node>, Bindings)>) {
        if let Some(count) = count {
            let n = self.eval_d(count, &Bindings::default(), d);
            return match (&n.value, n.as_f64()) {
                (Value::Number(_), Some(c)) if c >= 0.0 => {
                    let c = self.within_instance_limit(c as usize, n.span);
                    let keys = (0..c)
                        .map(|i| {
                            let idx = Node::new(Value::Number(i as f64), n.span);
                            let mut m = Map::default();
                            m.insert(
                                Key {
                                    name: "index".into(),
                                    span: n.span,
                                },
                                idx.clone(),
                            );
                            let b =
                                Bindings::default().with("count", Node::new(Value::Map(m), n.span));
                            (format!("[{i}]"), Some(idx), b)
                        })
                        .collect();
                    (ExpKind::Count, keys)
                }
                _ => {
                    let mut m = Map::default();
                    m.insert(
                        Key {
                            name: "index".into(),
                            span: n.span,
                        },
                        Node::unknown(n.span),
                    );
                    let b = Bindings::default().with("count", Node::new(Value::Map(m), n.span));
                    (ExpKind::Unknown, vec![("[0]".into(), None, b)])
                }
            };
        }
        if let Some(fe) = for_each {
            let coll = self.eval_d(fe, &Bindings::default(), d);
            let pairs: Option<Vec<(Node, Node)>> = match &coll.value {
                // A set of strings: each key is the element itself.
                Value::List(items) if items.iter().all(|i| scalar_string(i).is_some()) => Some(
                    super::sets::set_of(items)
                        .into_iter()
                        .map(|i| (i.clone(), i))
                        .collect(),
                ),
                Value::Map(_) => super::eval::iterate(&coll),
                Value::Null => None,
                _ => None,
            };
            return match pairs {
                Some(pairs) => {
                    let keep = self.within_instance_limit(pairs.len(), coll.span);
                    let keys = pairs
                        .into_iter()
                        .take(keep)
                        .filter_map(|(k, v)| {
                            let ks = scalar_string(&k)?;
                            let mut m = Map::default();
                            m.insert(
                                Key {
                                    name: "key".into(),
                                    span: k.span,
                                },
                                k.clone(),
                            );
                            m.insert(
                                Key {
                                    name: "value".into(),
                                    span: v.span,
                                },
                                v,
                            );
                            let b = Bindings::default()
                                .with("each", Node::new(Value::Map(m), coll.span));
                            Some((format!("[{}]", quote_key(&ks)), Some(k), b))
                        })
                        .collect();
                    (ExpKind::ForEach, keys)
                }
                None => {
                    let mut m = Map::default();
                    for name in ["key", "value"] {
                        m.insert(
                            Key {
                                name: name.into(),
                                span: coll.span,
                            },
                            Node::unknown(coll.span),
                        );
                    }
                    let b = Bindings::default().with("each", Node::new(Value::Map(m), coll.span));
                    (ExpKind::Unknown, vec![("[*]".into(), None, b)])
                }
            };
        }
        (
            ExpKind::Single,
            vec![(String::new(), None, Bindings::default())],
        )
    }

    /// The instances of module call `idx`, created once.
    pub fn module(&self, idx: usize, d: usize) -> Rc<ModExpansion> {
        let data = self.data();
        if let Some(e) = data.modules.borrow().get(&idx) {
            return e.clone();
        }
        let empty = Rc::new(ModExpansion {
            kind: ExpKind::Unknown,
            instances: Vec::new(),
        });
        let key = Slot::Module(idx);
        if !data.in_progress.borrow_mut().insert(key) {
            return empty;
        }
        let call = &data.config.modules[idx];
        let result = self
            .create_module(&data, call, d)
            .map(Rc::new)
            .unwrap_or(empty);
        data.in_progress.borrow_mut().remove(&key);
        data.modules.borrow_mut().insert(idx, result.clone());
        result
    }

    fn create_module(
        &self,
        data: &ScopeData<'a>,
        call: &'a ModuleCall<'a>,
        d: usize,
    ) -> Option<ModExpansion> {
        let tree = self.tree;
        let mut key_path = data.key_path.clone();
        key_path.push(call.name.clone());
        let module_addr = format!("{}module.{}", strip_keys(&data.prefix), call.name);
        let (source, source_span) = match &call.source {
            Some(s) => s.clone(),
            None => {
                tree.input_error(
                    call.header,
                    format!("module `{}` has no literal `source`", call.name),
                );
                return None;
            }
        };
        let canonical = match tree
            .resolver
            .resolve(&data.canonical, &call.name, &source, &key_path)
        {
            Ok(dir) => dir,
            Err(reason) => {
                tree.unresolved(Unresolved {
                    span: call.header,
                    module: module_addr,
                    source,
                    reason,
                });
                return None;
            }
        };
        let limits = crate::parse::limits::get();
        if data.depth + 1 > limits.module_depth {
            tree.input_error(
                source_span,
                format!(
                    "module `{}` is nested more than {} levels deep (does it call itself?)",
                    call.name, limits.module_depth
                ),
            );
            return None;
        }
        let config = tree.configs.get(&canonical)?;
        let (kind, keys) = self.expand(call.body.attr("count"), call.body.attr("for_each"), d);
        let mut instances = Vec::new();
        for (suffix, key, bindings) in keys {
            if !tree.charge(INSTANCE_STEPS, call.header) {
                break;
            }
            if tree.scope_count() >= limits.module_instances {
                tree.input_error(
                    call.header,
                    format!(
                        "more than {} module instances; the rest is not evaluated",
                        limits.module_instances
                    ),
                );
                break;
            }
            let mut call_sites = data.call_sites.clone();
            call_sites.push(call.header);
            let rel_dir = super::loader::relative_dir(&tree.root_dir, &config.dir);
            let id = tree.push(ScopeData {
                config,
                canonical: canonical.clone(),
                prefix: format!("{}module.{}{suffix}.", data.prefix, call.name),
                key_path: key_path.clone(),
                depth: data.depth + 1,
                call_sites,
                conditional: data.conditional || kind == ExpKind::Unknown,
                rel_dir,
                vars: VarSource::Call {
                    parent: self.id,
                    call,
                    bindings,
                },
                memo: RefCell::default(),
                in_progress: RefCell::default(),
                resources: RefCell::default(),
                modules: RefCell::default(),
            });
            instances.push((key, id));
        }
        Some(ModExpansion { kind, instances })
    }

    /// `module.name.output` without building the whole module object, when possible.
    pub fn module_output(&self, idx: usize, output: &str, span: Span, d: usize) -> Option<Node> {
        let e = self.module(idx, d);
        match (e.kind, e.instances.as_slice()) {
            (ExpKind::Single, [(_, id)]) => Some(self.at(*id).output(output, span, d)),
            _ => None,
        }
    }

    /// Whether module call `idx` was loaded, as one instance, from a module that declares no
    /// output `output` (a module that could not be loaded says nothing).
    pub fn module_lacks_output(&self, idx: usize, output: &str, d: usize) -> bool {
        let e = self.module(idx, d);
        match (e.kind, e.instances.as_slice()) {
            (ExpKind::Single, [(_, id)]) => {
                !self.at(*id).data().config.outputs.contains_key(output)
            }
            _ => false,
        }
    }

    /// The value of `module.name`: an object of outputs, or a list/map of them.
    pub fn module_value(&self, idx: usize, span: Span, d: usize) -> Node {
        let e = self.module(idx, d);
        let object = |id: usize| {
            let child = self.at(id);
            let data = child.data();
            let mut names: Vec<&String> = data.config.outputs.keys().collect();
            names.sort();
            let m: Map = names
                .into_iter()
                .map(|n| {
                    let key = Key {
                        name: n.clone(),
                        span,
                    };
                    (key, child.output(n, span, d))
                })
                .collect();
            Node::new(Value::Map(m), span)
        };
        match e.kind {
            ExpKind::Single => match e.instances.first() {
                Some((_, id)) => object(*id),
                None => Node::unknown(span),
            },
            ExpKind::Count => Node::new(
                Value::List(e.instances.iter().map(|(_, id)| object(*id)).collect()),
                span,
            ),
            ExpKind::ForEach => {
                let m: Map = e
                    .instances
                    .iter()
                    .filter_map(|(k, id)| {
                        let k = k.as_ref().and_then(scalar_string)?;
                        Some((Key { name: k, span }, object(*id)))
                    })
                    .collect();
                Node::new(Value::Map(m), span)
            }
            ExpKind::Unknown => Node::unknown(span),
        }
    }

    /// Visits this scope and every module instance below it, depth first, in source order.
    pub fn walk(&self, d: usize, visit: &mut dyn FnMut(Scope<'t, 'a>)) {
        visit(*self);
        let data = self.data();
        for idx in 0..data.config.modules.len() {
            let e = self.module(idx, d);
            for (_, id) in e.instances.iter() {
                self.at(*id).walk(d, visit);
            }
        }
    }
}

impl Tree<'_> {
    /// The value a variable, local, output or attribute keeps: one larger than `value-size`
    /// or `value-bytes` (built from parts that were each within them), or nested deeper than
    /// the parsers accept, is an error at its expression and unknown (it could otherwise
    /// grow without bound, and exhaust the stack of whoever walks it).
    fn bounded(&self, n: Node) -> Node {
        let limits = self.budget.limits();
        let mut left = Size {
            elements: limits.value_size,
            bytes: limits.value_bytes,
        };
        let over = match over_size(&n, crate::parse::limits::MAX_DEPTH, &mut left) {
            None => return n,
            Some(Over::Depth) => Exceeded(Some(format!(
                "this value nests deeper than {} levels; it is unknown",
                crate::parse::limits::MAX_DEPTH
            ))),
            Some(Over::Elements) => self.budget.too_big(&"this expression", None),
            Some(Over::Bytes) => self.budget.too_much_text(&"this expression"),
        };
        self.within(Err(over), n.span);
        let mut u = Node::unknown(n.span);
        u.origin = n.origin;
        u
    }
}

/// Steps a resource or module instance costs besides its expressions (it is kept for the
/// whole scan: its address, attributes and object are a few hundred bytes even when empty).
const INSTANCE_STEPS: u64 = 32;

/// Steps a nested block (written or `dynamic`) costs besides its expressions: it is kept
/// with its resource, a map even when empty.
pub const BLOCK_STEPS: u64 = 8;

/// Why a regular expression is not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a valid pattern: Terraform rejects the call.
    Invalid,
    /// Over [`REGEX_SIZE`] or the step budget: reported, and the value is unknown.
    TooBig,
}

/// Largest compiled regular expression (and its lazy DFA's cache), in bytes: a short pattern
/// such as `(a{1000}){1000}` would otherwise compile to gigabytes, and each pattern is kept.
pub const REGEX_SIZE: usize = 256 * 1024;

/// Steps one compilation of a regular expression costs (about the time of evaluating that
/// many expressions when the pattern is as large as [`REGEX_SIZE`] allows).
pub const REGEX_STEPS: u64 = 20_000;

/// What is left of the size budget of one value.
pub struct Size {
    pub elements: u64,
    pub bytes: u64,
}

/// Which limit a value is over.
pub enum Over {
    Depth,
    Elements,
    Bytes,
}

/// Which limit `n` is over, if any: deeper than `depth_left`, or more elements or string
/// bytes than `left` (stops as soon as one is over, so the walk is bounded too).
pub fn over_size(n: &Node, depth_left: usize, left: &mut Size) -> Option<Over> {
    let mut children = |items: &mut dyn Iterator<Item = &Node>| {
        for i in items {
            if depth_left == 0 {
                return Some(Over::Depth);
            }
            match left.elements.checked_sub(1) {
                Some(l) => left.elements = l,
                None => return Some(Over::Elements),
            }
            if let Some(over) = over_size(i, depth_left - 1, left) {
                return Some(over);
            }
        }
        None
    };
    match &n.value {
        Value::List(items) => children(&mut items.iter()),
        Value::Map(m) => children(&mut m.iter().map(|(_, v)| v)),
        Value::String(s) => match left.bytes.checked_sub(s.len() as u64) {
            Some(l) => {
                left.bytes = l;
                None
            }
            None => Some(Over::Bytes),
        },
        _ => None,
    }
}

/// An unknown value referring to the resource `address` as a whole.
fn unknown_ref(address: &str, span: Span) -> Node {
    let mut n = Node::unknown(span);
    n.refs.push(Ref::new(address, ""));
    n
}

/// The object other expressions see for an instance: configured values are known (Terraform
/// knows them at plan time), `null` ones may be computed and so are unknown; the instance's
/// own references are dropped and the object refers to the instance itself, so that every
/// attribute read from it carries an edge to it. Data sources are read at apply time here.
fn instance_object(address: &str, attrs: &Map, is_data: bool) -> Node {
    let span = attrs
        .entries
        .first()
        .map(|(k, _)| k.span)
        .unwrap_or_default();
    if is_data {
        return unknown_ref(address, span);
    }
    let object = attrs.map_entries_ref(|k, v| {
        let value = if v.is_null() {
            Node::unknown(v.span)
        } else {
            without_refs(v)
        };
        (k.clone(), value)
    });
    let mut n = Node::new(Value::Map(object), span);
    n.refs.push(Ref::new(address, ""));
    n
}

/// A copy of `n` without references at any depth (built directly rather than cloned and
/// cleared: every resource instance's object is one).
fn without_refs(n: &Node) -> Node {
    let value = match &n.value {
        Value::List(items) => Value::List(items.iter().map(without_refs).collect()),
        Value::Map(m) => Value::Map(m.map_entries_ref(|k, v| (k.clone(), without_refs(v)))),
        v => v.clone(),
    };
    Node {
        value,
        span: n.span,
        origin: n.origin,
        refs: Vec::new(),
        encoded: n.encoded.clone(),
    }
}

/// `module.a[0].module.b["x"].` → `module.a.module.b.`.
fn strip_keys(prefix: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut in_str = false;
    let mut prev = ' ';
    for c in prefix.chars() {
        match c {
            '"' if depth > 0 && prev != '\\' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
        prev = c;
    }
    out
}

/// An instance key as Terraform prints it: a quoted HCL string.
pub fn quote_key(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_prefixes() {
        assert_eq!(quote_key("office"), "\"office\"");
        assert_eq!(quote_key("a\"b"), "\"a\\\"b\"");
        assert_eq!(
            strip_keys("module.a[0].module.b[\"x]\"]."),
            "module.a.module.b."
        );
    }
}
