//! `--format github`: GitHub Actions workflow commands, which become annotations on the
//! pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`.
//!
//! `::error` for high and medium findings and input errors, `::warning` for low findings and
//! warnings, `::notice` for undetermined and suppressed findings and for notes. Escaping follows the Actions
//! toolkit: `%`, CR and LF in the message; also `:` and `,` in properties. Text from the
//! scanned tree is made one line first ([`super::escape::line`]), so a line break in a value
//! shows as `\n` and no other control character is written raw.

use std::fmt::Write as _;

use super::escape::{line, workflow_message as escape_data, workflow_property as escape_property};
use super::{Report, display_path, shown};
use crate::catalog::Severity;
use crate::finding::Finding;
use crate::source::Span;

fn properties(report: &Report<'_>, span: Span, title: &str) -> String {
    let file = report.sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    format!(
        "file={},line={},col={},endLine={},endColumn={},title={}",
        escape_property(&display_path(&file.path)),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(title)
    )
}

fn title(f: &Finding) -> String {
    if f.cis().is_empty() {
        f.rule().to_string()
    } else {
        format!("{} (CIS {})", f.rule(), f.cis())
    }
}

/// The message with its fix on a second line; each stays one line of its own.
fn body(report: &Report<'_>, f: &Finding, prefix: &str) -> String {
    let mut m = format!("{prefix}{}", line(&f.message(report.lang)));
    if let Some(h) = f.help(report.lang) {
        m.push_str("\nhelp: ");
        m.push_str(&line(&h));
    }
    escape_data(&m).into_owned()
}

/// Renders one workflow command per diagnostic, then a plain summary line.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for e in report.errors {
        let _ = writeln!(
            out,
            "::error {}::{}",
            properties(report, e.span, "cislint: input error"),
            escape_data(&line(&e.message))
        );
    }
    for (path, msg) in report.path_errors {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            escape_property(&display_path(path)),
            escape_property("cislint: input error"),
            escape_data(&line(msg))
        );
    }
    for (f, undetermined) in shown(report) {
        let (command, prefix) = match (undetermined, f.severity()) {
            (true, _) => ("notice", super::gcc::undetermined_prefix(report.lang)),
            (false, Severity::Low) => ("warning", ""),
            (false, _) => ("error", ""),
        };
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties(report, f.span, &title(f)),
            body(report, f, prefix)
        );
    }
    if report.show_suppressed {
        for s in &report.outcome.suppressed {
            let reason = s.reason.as_deref().unwrap_or("no reason given");
            let _ = writeln!(
                out,
                "::notice {}::{}",
                properties(
                    report,
                    s.finding.span,
                    &format!("suppressed: {}", title(&s.finding))
                ),
                escape_data(&line(&format!(
                    "{} ({reason})",
                    s.finding.message(report.lang)
                )))
            );
        }
    }
    for n in &report.outcome.notices {
        let title = format!("cislint: {}", n.code);
        let props = match (n.span, &n.file) {
            (Some(span), _) => properties(report, span, &title),
            (None, Some(p)) => format!(
                "file={},title={}",
                escape_property(&display_path(p)),
                escape_property(&title)
            ),
            (None, None) => format!("title={}", escape_property(&title)),
        };
        let command = match n.level() {
            crate::notice::Level::Warning => "warning",
            crate::notice::Level::Note => "notice",
        };
        let _ = writeln!(
            out,
            "::{command} {props}::{}",
            escape_data(&line(n.message(report.lang)))
        );
    }
    if !report.quiet {
        out.push_str(&super::text::summary_line(report));
        out.push('\n');
    }
    out
}
