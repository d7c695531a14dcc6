//! What the scanned code stands for.

use clap::ValueEnum;
use serde::Deserialize;

/// `resources` (default): report what the resources in the code violate.
/// `account`: the code is the account's baseline, so missing pieces are findings too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    #[default]
    Resources,
    Account,
}

impl Scope {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Resources => "resources",
            Scope::Account => "account",
        }
    }
}
