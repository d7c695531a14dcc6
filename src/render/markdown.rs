//! `--format markdown`: a findings table grouped by control, with links to the lines, for a
//! GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment. The scorecard
//! extends it with per-control pass/fail. Inputs that could not be checked come first, the
//! warnings and the notes last.
//!
//! Text from the scanned tree cannot break a table or add a link, an image or HTML
//! ([`super::escape::markdown`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::{markdown as cell, markdown_code as code};
use super::{Report, display_path, shown, uri_path};
use crate::catalog::Lang;
use crate::finding::Finding;
use crate::notice::Level;

/// A link to `span`'s line, shown as `file:line:col`: absolute under `link_base`, else
/// relative; the target percent-encoded, so no file name can end it early.
fn link(report: &Report<'_>, span: crate::source::Span) -> String {
    let file = report.sources.get(span.file);
    let lc = file.line_col(span.start as usize);
    let target = format!(
        "{}{}#L{}",
        report.link_base.as_deref().unwrap_or(""),
        uri_path(&file.path),
        lc.line
    );
    format!(
        "[{}:{}:{}]({target})",
        cell(&display_path(&file.path)),
        lc.line,
        lc.column
    )
}

/// The scorecard, folded: one row per selected control with its status.
fn scorecard(report: &Report<'_>, out: &mut String) {
    let en = report.lang == Lang::En;
    let mut counts: Vec<String> = Vec::new();
    for status in crate::scorecard::Status::ALL {
        let n = report
            .scorecard
            .iter()
            .filter(|r| r.status == status)
            .count();
        if n > 0 {
            counts.push(format!("{} {n}", status.label(report.lang)));
        }
    }
    let _ = writeln!(
        out,
        "<details><summary>{} ({}): {}</summary>\n",
        if en {
            "Scorecard"
        } else {
            "スコアカード"
        },
        report.scope.as_str(),
        counts.join(" · ")
    );
    out.push_str(if en {
        "| CIS | Control | Status | Findings |\n|---|---|---|---|\n"
    } else {
        "| CIS | コントロール | 状態 | 違反 |\n|---|---|---|---|\n"
    });
    for r in report.scorecard {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            r.entry.cis,
            cell(r.entry.title.get(report.lang)),
            r.status.label(report.lang),
            r.findings
        );
    }
    out.push_str("\n</details>\n\n");
}

/// Orders the tables: catalog controls (false) by CIS number, then custom rules by id.
type ControlKey = (bool, u32, u32, String);

/// Renders the summary, the scorecard, and one table per control with findings.
pub fn render(report: &Report<'_>) -> String {
    let en = report.lang == Lang::En;
    let mut out = String::new();
    out.push_str("## cislint: CIS AWS Foundations Benchmark v1.1.0\n\n");
    let _ = writeln!(out, "{}\n", cell(&super::text::summary_line(report)));
    errors(report, &mut out);
    if report.show_scorecard && !report.scorecard.is_empty() {
        scorecard(report, &mut out);
    }
    // Catalog controls in CIS order, then rules outside the catalog (Guard rules) by id.
    let mut by_control: BTreeMap<ControlKey, Vec<(&Finding, bool)>> = BTreeMap::new();
    for (f, undetermined) in shown(report) {
        let (major, minor) = f.entry().map_or((0, 0), |e| e.cis_key());
        by_control
            .entry((f.entry().is_none(), major, minor, f.rule().to_string()))
            .or_default()
            .push((f, undetermined));
    }
    if by_control.is_empty() && report.errors.is_empty() && report.path_errors.is_empty() {
        out.push_str(if en {
            "No findings.\n"
        } else {
            "違反はありません。\n"
        });
    }
    for findings in by_control.values() {
        let Some((first, _)) = findings.first() else {
            continue;
        };
        let heading = if first.cis().is_empty() {
            String::new()
        } else {
            format!("CIS {} ", first.cis())
        };
        let _ = writeln!(
            out,
            "### {heading}{} — {}\n",
            code(first.rule()),
            cell(first.title(report.lang))
        );
        out.push_str(if en {
            "| Severity | Location | Resource | Message |\n|---|---|---|---|\n"
        } else {
            "| 重大度 | 場所 | リソース | メッセージ |\n|---|---|---|---|\n"
        });
        for (f, undetermined) in findings {
            let severity = if *undetermined {
                if en { "undetermined" } else { "未確定" }
            } else {
                f.severity().as_str()
            };
            let _ = writeln!(
                out,
                "| {severity} | {} | {} | {} |",
                link(report, f.span),
                code(&f.resource),
                cell(&f.message(report.lang))
            );
        }
        out.push('\n');
    }
    if report.show_suppressed && !report.outcome.suppressed.is_empty() {
        out.push_str(if en {
            "### Suppressed\n\n| Control | Location | Resource | Reason |\n|---|---|---|---|\n"
        } else {
            "### 抑制済み\n\n| コントロール | 場所 | リソース | 理由 |\n|---|---|---|---|\n"
        });
        for s in &report.outcome.suppressed {
            let f = &s.finding;
            let none = if en {
                "no reason given"
            } else {
                "理由なし"
            };
            let _ = writeln!(
                out,
                "| CIS {} {} | {} | {} | {} |",
                f.cis(),
                code(f.rule()),
                link(report, f.span),
                code(&f.resource),
                cell(s.reason.as_deref().unwrap_or(none))
            );
        }
        out.push('\n');
    }
    warnings(report, &mut out);
    out
}

/// The inputs that could not be checked, each at its line.
fn errors(report: &Report<'_>, out: &mut String) {
    if report.errors.is_empty() && report.path_errors.is_empty() {
        return;
    }
    out.push_str(if report.lang == Lang::En {
        "### Files that could not be checked\n\n| Location | Error |\n|---|---|\n"
    } else {
        "### チェックできなかったファイル\n\n| 場所 | エラー |\n|---|---|\n"
    });
    for e in report.errors {
        let _ = writeln!(out, "| {} | {} |", link(report, e.span), cell(&e.message));
    }
    for (p, m) in report.path_errors {
        let _ = writeln!(out, "| {} | {} |", cell(&display_path(p)), cell(m));
    }
    out.push('\n');
}

/// The warnings about suppressions, the baseline and the scan, then the notes, with their
/// codes.
fn warnings(report: &Report<'_>, out: &mut String) {
    let en = report.lang == Lang::En;
    for (level, heading) in [
        (
            Level::Warning,
            if en {
                "### Warnings\n\n| Warning | Location | Message |\n|---|---|---|\n"
            } else {
                "### 警告\n\n| 警告 | 場所 | メッセージ |\n|---|---|---|\n"
            },
        ),
        (
            Level::Note,
            if en {
                "### Notes\n\n| Note | Location | Message |\n|---|---|---|\n"
            } else {
                "### 注記\n\n| 注記 | 場所 | メッセージ |\n|---|---|---|\n"
            },
        ),
    ] {
        let mut notices = report
            .outcome
            .notices
            .iter()
            .filter(|n| n.level() == level)
            .peekable();
        if notices.peek().is_none() {
            continue;
        }
        out.push_str(heading);
        for n in notices {
            let place = match (n.span, &n.file) {
                (Some(span), _) => link(report, span),
                (None, Some(p)) => cell(&display_path(p)),
                (None, None) => "cislint".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {place} | {} |",
                code(n.code),
                cell(n.message(report.lang))
            );
        }
        out.push('\n');
    }
}
