//! `--format gcc`: one line per diagnostic, `file:line:col: severity: message [rule-id CIS x.y]`,
//! the form editors, `compile` buffers and problem matchers understand.
//!
//! Severity words: `error` for high and medium findings and input errors, `warning` for low
//! findings, undetermined findings and notices about suppressions, `note` for suppressed
//! findings and for notes such as `broader-pattern` (which the problem matcher deliberately
//! does not pick up).
//!
//! Text from the scanned tree is escaped ([`super::escape::line`]): a line break or ESC in a
//! file name or value cannot start a line of its own or reach the terminal.

use std::fmt::Write as _;

use super::escape::line;
use super::{Report, display_path, shown};
use crate::catalog::{Lang, Severity};
use crate::finding::Finding;
use crate::source::Span;

/// The severity word of a finding.
pub fn severity_word(severity: Severity, undetermined: bool) -> &'static str {
    match (undetermined, severity) {
        (true, _) | (false, Severity::Low) => "warning",
        (false, _) => "error",
    }
}

/// Undetermined findings say so in front of their message.
pub fn undetermined_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "undetermined: ",
        Lang::Ja => "未確定: ",
    }
}

fn location(report: &Report<'_>, span: Span) -> String {
    let file = report.sources.get(span.file);
    let lc = file.line_col(span.start as usize);
    format!("{}:{}:{}", display_path(&file.path), lc.line, lc.column)
}

/// Renders every diagnostic on its own line; no summary.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    errors(report, &mut out);
    for (f, undetermined) in shown(report) {
        let prefix = if undetermined {
            undetermined_prefix(report.lang)
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{}: {}: {prefix}{} [{}]",
            location(report, f.span),
            severity_word(f.severity(), undetermined),
            line(&f.message(report.lang)),
            line(&tag(f))
        );
    }
    if report.show_suppressed {
        for s in &report.outcome.suppressed {
            let f = &s.finding;
            let _ = writeln!(
                out,
                "{}: note: suppressed: {} [{}] ({})",
                location(report, f.span),
                line(&f.message(report.lang)),
                line(&tag(f)),
                line(s.reason.as_deref().unwrap_or("no reason given"))
            );
        }
    }
    warnings(report, &mut out);
    out
}

/// One `error` line per input error (`[input-error]`): the file that could not be checked.
pub fn errors(report: &Report<'_>, out: &mut String) {
    for e in report.errors {
        let _ = writeln!(
            out,
            "{}: error: {} [input-error]",
            location(report, e.span),
            line(&e.message)
        );
    }
    for (path, msg) in report.path_errors {
        let _ = writeln!(
            out,
            "{}: error: {} [input-error]",
            display_path(path),
            line(msg)
        );
    }
}

/// One `warning` (or `note`) line per notice, with its code (`[unused-suppression]`).
pub fn warnings(report: &Report<'_>, out: &mut String) {
    for n in &report.outcome.notices {
        let place = match (n.span, &n.file) {
            (Some(span), _) => location(report, span),
            (None, Some(p)) => display_path(p),
            (None, None) => "cislint".to_string(),
        };
        let _ = writeln!(
            out,
            "{place}: {}: {} [{}]",
            n.level().as_str(),
            line(n.message(report.lang)),
            n.code
        );
    }
}

/// `rule-id CIS x.y`, or the rule id alone for a rule outside the catalog (a Guard rule).
fn tag(f: &Finding) -> String {
    if f.cis().is_empty() {
        f.rule().to_string()
    } else {
        format!("{} CIS {}", f.rule(), f.cis())
    }
}
