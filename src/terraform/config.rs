//! The declarations of one Terraform module directory, parsed once with spans, seen through
//! one syntax-neutral view whether a file is native HCL (`.tf`) or JSON (`.tf.json`).

use foldhash::HashMap;
use std::path::PathBuf;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use super::tfjson::{JExpr, JsonBlock, JsonBody};
use crate::source::{FileId, Span};

/// One parsed Terraform file.
pub struct ParsedFile {
    pub file: FileId,
    pub syntax: Syntax,
    /// `override.tf`, `*_override.tf` (and `.tf.json`): merged into the other files' blocks.
    pub is_override: bool,
}

/// The syntax tree of a file, in the syntax it was written in.
pub enum Syntax {
    Hcl(Body),
    Json(JsonBody),
}

impl ParsedFile {
    /// The file's top-level body.
    pub fn body(&self) -> BodyRef<'_> {
        match &self.syntax {
            Syntax::Hcl(b) => BodyRef::Hcl(b, self.file),
            Syntax::Json(b) => BodyRef::Json(b),
        }
    }
}

/// Where the byte ranges of an hcl-edit expression lie: in `file`, shifted by `base` (an
/// expression parsed out of a JSON string), or all at `flat` when the string had escapes that
/// make offsets unreliable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Src {
    pub file: FileId,
    pub base: u32,
    pub flat: Option<Span>,
}

impl Src {
    /// A native `.tf` file: ranges are offsets in the file.
    pub fn file(file: FileId) -> Src {
        Src {
            file,
            base: 0,
            flat: None,
        }
    }

    /// The span of an hcl-edit byte range.
    pub fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        if let Some(f) = self.flat {
            return f;
        }
        let r = r.unwrap_or(0..0);
        let b = self.base as usize;
        Span::new(self.file, b + r.start, b + r.end)
    }
}

/// An expression in either syntax.
#[derive(Clone, Copy)]
pub enum Expr<'a> {
    Hcl(&'a Expression, Src),
    Json(&'a JExpr),
}

impl Expr<'_> {
    /// The expression's span.
    pub fn span(&self) -> Span {
        match self {
            Expr::Hcl(e, src) => src.span(e.span()),
            Expr::Json(j) => j.span(),
        }
    }

    /// The bare identifier an expression names (`iterator = rule`, `"iterator": "rule"`).
    pub fn ident(&self) -> Option<&str> {
        match self {
            Expr::Hcl(Expression::Variable(v), _) => Some(v.as_str()),
            Expr::Hcl(..) => None,
            Expr::Json(j) => j.literal_str(),
        }
    }

    /// The literal string an expression is (`source = "./net"`).
    pub fn literal_str(&self) -> Option<String> {
        match self {
            Expr::Hcl(Expression::String(s), _) => Some(s.value().to_string()),
            Expr::Hcl(Expression::StringTemplate(t), _) => {
                let mut out = String::new();
                for el in t.iter() {
                    match el {
                        hcl_edit::template::Element::Literal(l) => out.push_str(l.value()),
                        _ => return None,
                    }
                }
                Some(out)
            }
            Expr::Hcl(..) => None,
            Expr::Json(j) => j.literal_str().map(str::to_string),
        }
    }
}

/// An attribute of a body.
#[derive(Clone, Copy)]
pub struct Attr<'a> {
    pub name: &'a str,
    pub key_span: Span,
    pub expr: Expr<'a>,
}

/// A block of a body.
#[derive(Clone)]
pub struct BlockRef<'a> {
    pub ident: &'a str,
    pub ident_span: Span,
    pub labels: Vec<(&'a str, Span)>,
    pub body: BodyRef<'a>,
    /// The whole block.
    pub span: Span,
    /// From the block type to the end of its last label: where findings on absent attributes point.
    pub header: Span,
}

/// A body (file, block) in either syntax.
#[derive(Clone, Copy)]
pub enum BodyRef<'a> {
    Hcl(&'a Body, FileId),
    Json(&'a JsonBody),
}

impl<'a> BodyRef<'a> {
    /// The attributes, in source order.
    pub fn attributes(&self) -> Vec<Attr<'a>> {
        match *self {
            BodyRef::Hcl(body, file) => body
                .attributes()
                .map(|a| Attr {
                    name: a.key.as_str(),
                    key_span: Src::file(file).span(a.key.span()),
                    expr: Expr::Hcl(&a.value, Src::file(file)),
                })
                .collect(),
            BodyRef::Json(body) => body
                .attrs
                .iter()
                .map(|a| Attr {
                    name: &a.name,
                    key_span: a.key_span,
                    expr: Expr::Json(&a.value),
                })
                .collect(),
        }
    }

    /// The attribute `name`, if present.
    pub fn attr(&self, name: &str) -> Option<Expr<'a>> {
        match *self {
            BodyRef::Hcl(body, file) => body
                .get_attribute(name)
                .map(|a| Expr::Hcl(&a.value, Src::file(file))),
            BodyRef::Json(body) => body
                .attrs
                .iter()
                .find(|a| a.name == name)
                .map(|a| Expr::Json(&a.value)),
        }
    }

    /// The nested blocks, in source order.
    pub fn blocks(&self) -> Vec<BlockRef<'a>> {
        match *self {
            BodyRef::Hcl(body, file) => body.blocks().map(|b| hcl_block(file, b)).collect(),
            BodyRef::Json(body) => body.blocks.iter().map(json_block).collect(),
        }
    }
}

fn hcl_block(file: FileId, block: &Block) -> BlockRef<'_> {
    let src = Src::file(file);
    BlockRef {
        ident: block.ident.as_str(),
        ident_span: src.span(block.ident.span()),
        labels: block
            .labels
            .iter()
            .map(|l| (l.as_str(), src.span(l.span())))
            .collect(),
        body: BodyRef::Hcl(&block.body, file),
        span: src.span(block.span()),
        header: header_span(file, block),
    }
}

fn json_block(b: &JsonBlock) -> BlockRef<'_> {
    BlockRef {
        ident: &b.ident,
        ident_span: b.ident_span,
        labels: b.labels.iter().map(|(l, s)| (l.as_str(), *s)).collect(),
        body: BodyRef::Json(&b.body),
        span: b.span,
        header: b.header,
    }
}

/// A `variable` block.
pub struct Variable<'a> {
    pub default: Option<Expr<'a>>,
    pub type_expr: Option<Expr<'a>>,
    /// `type_expr` read, once for every instance of the module.
    ty: std::sync::OnceLock<super::types::Ty>,
    /// `nullable = false` turns a null value into the default.
    pub nullable: bool,
    pub header: Span,
}

impl Variable<'_> {
    /// The type constraint (`any` when none is written).
    pub fn ty(&self) -> &super::types::Ty {
        self.ty.get_or_init(|| {
            self.type_expr
                .map(super::types::Ty::parse)
                .unwrap_or(super::types::Ty::Any)
        })
    }
}

/// A `resource` or `data` block.
pub struct ResourceBlock<'a> {
    pub rtype: String,
    pub name: String,
    pub is_data: bool,
    pub body: BodyRef<'a>,
    /// Bodies of the same block in override files, applied in order over `body`.
    pub overrides: Vec<BodyRef<'a>>,
    /// `resource "aws_x" "name"`: where a finding on a missing attribute points.
    pub header: Span,
}

/// A `module` call.
pub struct ModuleCall<'a> {
    pub name: String,
    pub body: BodyRef<'a>,
    pub header: Span,
    /// The `source` string and its span.
    pub source: Option<(String, Span)>,
}

/// Resource blocks by kind, type and name, looked up without building a key (every
/// reference to a resource is a lookup).
#[derive(Default)]
pub struct ResourceIndex {
    /// [managed, data] → type → name → index.
    by_kind: [HashMap<String, HashMap<String, usize>>; 2],
}

impl ResourceIndex {
    /// The index of the block `type.name` (a data source when `is_data`).
    pub fn get(&self, is_data: bool, rtype: &str, name: &str) -> Option<usize> {
        self.by_kind[usize::from(is_data)]
            .get(rtype)?
            .get(name)
            .copied()
    }

    /// Records the block `type.name` at `index`.
    pub fn insert(&mut self, is_data: bool, rtype: &str, name: &str, index: usize) {
        self.by_kind[usize::from(is_data)]
            .entry(rtype.to_string())
            .or_default()
            .insert(name.to_string(), index);
    }
}

/// Everything declared in one module directory.
#[derive(Default)]
pub struct ModuleConfig<'a> {
    /// The directory as displayed (the path files are reported under).
    pub dir: PathBuf,
    pub variables: HashMap<String, Variable<'a>>,
    pub locals: HashMap<String, Expr<'a>>,
    pub resources: Vec<ResourceBlock<'a>>,
    /// `(is_data, type, name)` → index in `resources`.
    pub resource_index: ResourceIndex,
    pub modules: Vec<ModuleCall<'a>>,
    /// Call name → index in `modules`.
    pub module_index: HashMap<String, usize>,
    pub outputs: HashMap<String, Expr<'a>>,
    /// The first file, where absence findings of the module point.
    pub anchor: Option<Span>,
}

impl<'a> ModuleConfig<'a> {
    /// Collects the top-level blocks of every file of a module.
    pub fn collect(dir: PathBuf, files: &'a [ParsedFile]) -> ModuleConfig<'a> {
        let mut cfg = ModuleConfig {
            dir,
            ..Default::default()
        };
        // Override files come last, whatever their names, as Terraform merges them.
        let ordered = files
            .iter()
            .filter(|f| !f.is_override)
            .chain(files.iter().filter(|f| f.is_override));
        for f in ordered {
            cfg.anchor.get_or_insert(Span::new(f.file, 0, 0));
            for block in f.body().blocks() {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.0).collect();
                match (block.ident, labels.as_slice()) {
                    ("variable", [name]) if f.is_override && cfg.variables.contains_key(*name) => {
                        if let Some(v) = cfg.variables.get_mut(*name) {
                            if let Some(d) = block.body.attr("default") {
                                v.default = Some(d);
                            }
                            if let Some(t) = block.body.attr("type") {
                                v.type_expr = Some(t);
                            }
                        }
                    }
                    ("variable", [name]) => {
                        let nullable = block
                            .body
                            .attr("nullable")
                            .and_then(|e| match e {
                                Expr::Hcl(Expression::Bool(b), _) => Some(*b.value()),
                                Expr::Json(j) => j.literal_bool(),
                                _ => None,
                            })
                            .unwrap_or(true);
                        cfg.variables.insert(
                            name.to_string(),
                            Variable {
                                default: block.body.attr("default"),
                                type_expr: block.body.attr("type"),
                                ty: std::sync::OnceLock::new(),
                                nullable,
                                header: block.header,
                            },
                        );
                    }
                    ("locals", []) => {
                        for attr in block.body.attributes() {
                            cfg.locals.insert(attr.name.to_string(), attr.expr);
                        }
                    }
                    ("resource" | "data", [rtype, name]) => {
                        let is_data = block.ident == "data";
                        if let Some(i) = cfg.resource_index.get(is_data, rtype, name) {
                            // An override merges; a plain duplicate is a Terraform error and
                            // the first declaration wins.
                            if f.is_override {
                                cfg.resources[i].overrides.push(block.body);
                            }
                            continue;
                        }
                        cfg.resource_index
                            .insert(is_data, rtype, name, cfg.resources.len());
                        cfg.resources.push(ResourceBlock {
                            rtype: rtype.to_string(),
                            name: name.to_string(),
                            is_data,
                            body: block.body,
                            overrides: Vec::new(),
                            header: block.header,
                        });
                    }
                    ("module", [name]) => {
                        if cfg.module_index.contains_key(*name) {
                            continue;
                        }
                        let source = block
                            .body
                            .attr("source")
                            .and_then(|e| e.literal_str().map(|s| (s, e.span())));
                        cfg.module_index.insert(name.to_string(), cfg.modules.len());
                        cfg.modules.push(ModuleCall {
                            name: name.to_string(),
                            body: block.body,
                            header: block.header,
                            source,
                        });
                    }
                    ("output", [name]) => {
                        if let Some(v) = block.body.attr("value") {
                            // An override file's output replaces the value.
                            cfg.outputs.insert(name.to_string(), v);
                        }
                    }
                    _ => {}
                }
            }
        }
        cfg
    }
}

/// The `source` strings of the module calls in a directory's files (for finding root modules
/// before anything is evaluated).
pub fn module_sources(files: &[ParsedFile]) -> Vec<(String, String, Span)> {
    let mut out = Vec::new();
    for f in files {
        for block in f.body().blocks() {
            if block.ident != "module" || block.labels.len() != 1 {
                continue;
            }
            if let Some(e) = block.body.attr("source")
                && let Some(s) = e.literal_str()
            {
                out.push((block.labels[0].0.to_string(), s, block.header));
            }
        }
    }
    out
}

/// The span of a block's header: from its type keyword to the end of its last label.
pub fn header_span(file: FileId, block: &Block) -> Span {
    let whole = block.span().unwrap_or(0..0);
    let end = block
        .labels
        .last()
        .and_then(|l| l.span())
        .map(|r| r.end)
        .or_else(|| block.ident.span().map(|r| r.end))
        .unwrap_or(whole.end);
    Span::new(file, whole.start, end)
}
