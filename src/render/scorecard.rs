//! The compact scorecard table that ends text output.

use std::fmt::Write as _;

use super::Report;
use crate::catalog::Lang;
use crate::scorecard::{Status, counts, section_title};

fn paint(status: Status, lang: Lang, color: bool) -> String {
    let name = status.label(lang);
    if !color {
        return name.to_string();
    }
    let code = match status {
        Status::Pass => "32",
        Status::Fail => "1;31",
        Status::Undetermined => "33",
        Status::NotFound => "2",
        Status::Manual => "36",
        Status::NotApplicable => "2",
    };
    format!("\u{1b}[{code}m{name}\u{1b}[0m")
}

/// Renders one row per control, grouped by section, then the counts per status.
pub fn table(report: &Report<'_>, color: bool) -> String {
    let mut out = String::new();
    let lang = report.lang;
    let heading = match lang {
        Lang::En => format!(
            "CIS AWS Foundations Benchmark v1.1.0 scorecard (scope: {})",
            report.scope.as_str()
        ),
        Lang::Ja => format!(
            "CIS AWS Foundations Benchmark v1.1.0 スコアカード（スコープ: {}）",
            report.scope.as_str()
        ),
    };
    let _ = writeln!(out, "{heading}");
    let mut section = 0;
    for row in report.scorecard {
        let (major, _) = row.entry.cis_key();
        if major != section {
            section = major;
            let _ = writeln!(out, "  {major} {}", section_title(major, lang));
        }
        // Pad before colouring so that escape codes do not break the columns; a Japanese
        // character takes two columns.
        let name = row.status.label(lang);
        let width: usize = name.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        let status = format!(
            "{}{}",
            paint(row.status, lang, color),
            " ".repeat(14usize.saturating_sub(width))
        );
        let count = match (row.findings, row.undetermined) {
            (0, 0) => String::new(),
            (n, 0) => format!("{n}"),
            (0, u) => format!("({u})"),
            (n, u) => format!("{n} ({u})"),
        };
        let _ = writeln!(
            out,
            "    {:<5} {status} {:>6}  {}",
            row.entry.cis,
            count,
            row.entry.title.get(lang)
        );
    }
    let totals: Vec<String> = counts(report.scorecard)
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{} {n}", paint(s, lang, color)))
        .collect();
    let _ = writeln!(out, "  {}\n", totals.join(" · "));
    out
}
