//! Reporters: each turns a [`Report`] into one output format.

pub mod escape;
pub mod gcc;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod scorecard;
pub mod statistics;
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
    /// List findings silenced by suppressions (they are always counted).
    pub show_suppressed: bool,
    /// Leave out the summary line (`--quiet`).
    pub quiet: bool,
    /// Colour text output.
    pub color: bool,
    /// Prefix of links to source lines in Markdown (`https://github.com/o/r/blob/<sha>/`);
    /// relative links when `None`.
    pub link_base: Option<String>,
    /// Terraform module calls that could not be loaded.
    pub unresolved: &'a [Unresolved],
    /// Evaluation statistics, when asked for (`--stats`).
    pub stats: Option<&'a Stats>,
    /// Files and directories left out by ignore files or `exclude`, with the reason.
    pub skipped: &'a [crate::ignore_rules::Skipped],
}

/// Renders `report` in `format`: adding a format is one arm here and one module.
pub fn render(format: crate::cli::Format, report: &Report<'_>) -> String {
    use crate::cli::Format;
    match format {
        Format::Text => text::render(report, report.color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Gcc => gcc::render(report),
        Format::Github => github::render(report),
        Format::Junit => junit::render(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    }
}

/// A file path as the machine formats (gcc, github, junit, markdown) show it: `/`
/// separators, no leading `./`, unsafe characters and bytes that are not UTF-8 escaped
/// ([`escape::path`]).
pub fn display_path(path: &std::path::Path) -> String {
    escape::path_bytes(&machine_form(path))
}

/// The path of [`display_path`] percent-encoded from its raw bytes, for a URI: it still
/// names the file whatever characters its name holds.
pub fn uri_path(path: &std::path::Path) -> String {
    escape::uri_path(&machine_form(path))
}

/// A path's bytes with `/` separators and no leading `./`.
fn machine_form(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = path.as_os_str().as_encoded_bytes();
    while let Some(rest) = bytes.strip_prefix(b"./") {
        bytes = rest;
    }
    let mut out = bytes.to_vec();
    if cfg!(windows) {
        for b in &mut out {
            if *b == b'\\' {
                *b = b'/';
            }
        }
    }
    out
}

/// The findings a format shows, in order: violations, then (with `--show-undetermined`)
/// undetermined ones, each with whether it is undetermined.
pub fn shown<'r>(
    report: &'r Report<'_>,
) -> impl Iterator<Item = (&'r crate::finding::Finding, bool)> {
    let undetermined: &[crate::finding::Finding] = if report.show_undetermined {
        &report.outcome.undetermined
    } else {
        &[]
    };
    report
        .outcome
        .findings
        .iter()
        .map(|f| (f, false))
        .chain(undetermined.iter().map(|f| (f, true)))
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
