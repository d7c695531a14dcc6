//! Reporters: each turns a [`Report`] into one output format.

pub mod html;
pub mod json;
pub mod scorecard;
pub mod text;

use crate::catalog::Lang;
use crate::engine::Outcome;
use crate::graph::InputError;
use crate::scan::{FileCounts, Stats};
use crate::source::SourceMap;
use crate::terraform::scope::Unresolved;

/// Everything a reporter may show.
pub struct Report<'a> {
    pub sources: &'a SourceMap,
    pub outcome: &'a Outcome,
    pub errors: &'a [InputError],
    /// Errors about paths without source text (unreadable files, walk errors).
    pub path_errors: &'a [(std::path::PathBuf, String)],
    pub counts: &'a FileCounts,
    pub lang: Lang,
    pub show_undetermined: bool,
    /// The status of every selected control.
    pub scorecard: &'a [crate::scorecard::Row],
    pub scope: crate::scope::Scope,
    /// Whether text output ends with the scorecard table.
    pub show_scorecard: bool,
    /// Terraform module calls that could not be loaded.
    pub unresolved: &'a [Unresolved],
    /// Evaluation statistics, when asked for (`--stats`).
    pub stats: Option<&'a Stats>,
}

/// Label text for where a value came from.
pub fn origin_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "value comes from here",
        Lang::Ja => "値の出どころ",
    }
}

/// Label text for a module call site.
pub fn call_site_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "module called here",
        Lang::Ja => "モジュールの呼び出し元",
    }
}
