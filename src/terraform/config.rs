//! The declarations of one Terraform module directory, parsed once with spans.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Block, Body};

use crate::source::{FileId, Span};

/// One parsed `.tf` file.
pub struct ParsedFile {
    pub file: FileId,
    pub body: Body,
}

/// A `variable` block.
pub struct Variable<'a> {
    pub file: FileId,
    pub default: Option<&'a Expression>,
    pub span: Span,
}

/// A `resource` or `data` block.
pub struct ResourceBlock<'a> {
    pub file: FileId,
    pub rtype: String,
    pub name: String,
    pub is_data: bool,
    pub block: &'a Block,
    /// `resource "aws_x" "name"` — the header a finding on a missing attribute points at.
    pub header: Span,
}

/// A `module` call.
pub struct ModuleCall<'a> {
    pub file: FileId,
    pub name: String,
    pub block: &'a Block,
    pub header: Span,
}

/// Everything declared in one module directory.
#[derive(Default)]
pub struct ModuleConfig<'a> {
    pub variables: HashMap<String, Variable<'a>>,
    pub locals: HashMap<String, (FileId, &'a Expression)>,
    pub resources: Vec<ResourceBlock<'a>>,
    pub modules: Vec<ModuleCall<'a>>,
    pub outputs: HashMap<String, (FileId, &'a Expression)>,
}

impl<'a> ModuleConfig<'a> {
    /// Collects the top-level blocks of every file of a module.
    pub fn collect(files: &'a [ParsedFile]) -> ModuleConfig<'a> {
        let mut cfg = ModuleConfig::default();
        for f in files {
            for block in f.body.blocks() {
                let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("variable", [name]) => {
                        let default = block.body.get_attribute("default").map(|a| &a.value);
                        cfg.variables.insert(
                            name.to_string(),
                            Variable {
                                file: f.file,
                                default,
                                span: header_span(f.file, block),
                            },
                        );
                    }
                    ("locals", []) => {
                        for attr in block.body.attributes() {
                            cfg.locals
                                .insert(attr.key.as_str().to_string(), (f.file, &attr.value));
                        }
                    }
                    ("resource" | "data", [rtype, name]) => cfg.resources.push(ResourceBlock {
                        file: f.file,
                        rtype: rtype.to_string(),
                        name: name.to_string(),
                        is_data: block.ident.as_str() == "data",
                        block,
                        header: header_span(f.file, block),
                    }),
                    ("module", [name]) => cfg.modules.push(ModuleCall {
                        file: f.file,
                        name: name.to_string(),
                        block,
                        header: header_span(f.file, block),
                    }),
                    ("output", [name]) => {
                        if let Some(v) = block.body.get_attribute("value") {
                            cfg.outputs.insert(name.to_string(), (f.file, &v.value));
                        }
                    }
                    _ => {}
                }
            }
        }
        cfg
    }
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
