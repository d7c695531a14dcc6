//! References to names the module does not declare (`aws_vpc.typo.id`, `var.nope`,
//! `module.net.missing_output`): Terraform rejects the configuration, so cislint warns at the
//! reference (`undeclared-reference`, never failing the run by itself) and reads it as an
//! unknown value that points at no resource.

use crate::notice::Notice;
use crate::source::Span;

/// The code of the warning.
pub const CODE: &str = "undeclared-reference";

/// Root names Terraform reserves or gives a meaning cislint does not model (`ephemeral`
/// resources, the `resource.` prefix, names of test and query files): a reference through
/// them is never reported.
const UNMODELLED_ROOTS: &[&str] = &[
    "ephemeral",
    "resource",
    "action",
    "list",
    "run",
    "template",
    "lazy",
    "arg",
];

/// Whether `root.…` would be read as a managed resource type by cislint while Terraform
/// gives the name another meaning.
pub fn unmodelled_root(root: &str) -> bool {
    UNMODELLED_ROOTS.contains(&root)
}

/// What kind of declaration a reference names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Resource,
    DataSource,
    Variable,
    Local,
    ModuleCall,
    ModuleOutput,
}

impl Kind {
    fn noun(self) -> (&'static str, &'static str) {
        match self {
            Kind::Resource => ("resource", "リソース"),
            Kind::DataSource => ("data source", "データソース"),
            Kind::Variable => ("variable", "変数"),
            Kind::Local => ("local value", "ローカル値"),
            Kind::ModuleCall => ("module call", "モジュール呼び出し"),
            Kind::ModuleOutput => ("module output", "モジュール出力"),
        }
    }
}

/// The warning at `span`, a reference to the undeclared `name` (as written: `aws_vpc.typo`,
/// `var.nope`, `module.net.nope`).
pub fn notice(span: Span, kind: Kind, name: &str) -> Notice {
    let (en, ja) = kind.noun();
    Notice {
        code: CODE,
        span: Some(span),
        file: None,
        en: format!(
            "reference to an undeclared {en} `{name}`: Terraform rejects it; cislint reads it \
             as an unknown value that points at no resource"
        ),
        ja: format!(
            "宣言されていない{ja} `{name}` への参照です。Terraform はこれを受け付けません。\
             cislint はどのリソースも指さない不明な値として扱います"
        ),
    }
}
