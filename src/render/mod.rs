//! Reporters: each turns a [`Report`] into one output format.

pub mod html;
pub mod json;
pub mod scorecard;
pub mod text;

use crate::catalog::Lang;
use crate::engine::Outcome;
use crate::graph::InputError;
use crate::scan::FileCounts;
use crate::source::SourceMap;

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
}
