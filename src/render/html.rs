//! A self-contained HTML report: the inputs that could not be checked and the warnings
//! first, then the scorecard as a chart, then every finding with its highlighted snippet and
//! remediation. No external assets; works offline.
//!
//! Text from the scanned tree is escaped as in every format ([`super::escape`]): visible
//! escapes in names and messages, one-column pictures in source lines.

use std::fmt::Write as _;

use super::Report;
use super::escape::{self, line};
use crate::catalog::Lang;
use crate::finding::Finding;
use crate::notice::{self, Level};
use crate::scorecard::{Status, counts, section_title};

/// HTML needs the same escaping as XML: one function serves both reports.
pub use super::junit::escape;

fn color(status: Status) -> &'static str {
    match status {
        Status::Pass => "#2e7d32",
        Status::Fail => "#c62828",
        Status::Undetermined => "#f9a825",
        Status::NotFound => "#9e9e9e",
        Status::Manual => "#1565c0",
        Status::NotApplicable => "#cfd8dc",
    }
}

const STYLE: &str = r#"
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#232f3e;color:#fff;padding:16px 24px}
header h1{margin:0;font-size:20px}
main{padding:16px 24px;max-width:1100px}
.summary{display:flex;gap:32px;align-items:center;flex-wrap:wrap}
.legend{list-style:none;padding:0;margin:0}
.legend li{margin:4px 0;cursor:pointer}
.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;border-radius:2px;vertical-align:middle}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(64px,1fr));gap:6px;margin:8px 0 16px}
.tile{padding:6px;border-radius:4px;color:#fff;font-size:12px;text-align:center;text-decoration:none}
.tile.dim{opacity:.25}
.tile small{display:block;font-size:10px;opacity:.9}
section.finding{background:#fff;border:1px solid #ddd;border-left:4px solid #c62828;border-radius:4px;margin:12px 0;padding:8px 12px}
section.finding.undetermined{border-left-color:#f9a825}
.loc{font-family:ui-monospace,monospace;font-size:13px;color:#555}
pre{background:#f5f5f5;padding:8px;overflow-x:auto;font-size:13px;line-height:1.4}
pre .ln{color:#999;user-select:none;display:inline-block;width:4em}
mark{background:#ffcdd2;color:inherit}
section.problems{background:#fff;border:1px solid #ddd;border-left:4px solid #c62828;border-radius:4px;margin:12px 0;padding:4px 12px}
section.problems.warnings{border-left-color:#f9a825}
section.problems.notes{border-left-color:#1565c0}
section.problems li{margin:4px 0}
details pre{background:#eef3f8}
"#;

const SCRIPT: &str = r#"
(function () {
  var items = document.querySelectorAll('.legend li');
  items.forEach(function (li) {
    li.addEventListener('click', function () {
      var s = li.getAttribute('data-status');
      document.querySelectorAll('.tile').forEach(function (t) {
        t.classList.toggle('dim', t.getAttribute('data-status') !== s);
      });
    });
  });
  document.body.setAttribute('data-ready', 'true');
})();
"#;

/// Renders the whole page.
pub fn render(report: &Report<'_>) -> String {
    let lang = report.lang;
    let t = |en: &'static str, ja: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>cislint report</title><style>{STYLE}</style></head><body>\
         <header><h1>{}</h1><div>{}{} · scope: {}</div></header><main>",
        if lang == Lang::Ja { "ja" } else { "en" },
        t(
            "CIS AWS Foundations Benchmark v1.1.0",
            "CIS AWS Foundations Benchmark v1.1.0 レポート"
        ),
        escape(&format!(
            "{} {} / {} {}",
            report.outcome.findings.len(),
            t("findings", "件の違反"),
            report.outcome.undetermined.len(),
            t("undetermined", "件の未確定")
        )),
        problem_counts(report),
        report.scope.as_str(),
    );
    problems(report, &mut out);
    let totals = counts(report.scorecard);
    out.push_str("<div class=\"summary\">");
    out.push_str(&donut(&totals));
    out.push_str("<ul class=\"legend\">");
    for (status, n) in &totals {
        let _ = write!(
            out,
            "<li data-status=\"{s}\"><span class=\"swatch\" style=\"background:{c}\"></span>{l}: <b class=\"count\" data-status=\"{s}\">{n}</b></li>",
            s = status.as_str(),
            l = status.label(lang),
            c = color(*status),
        );
    }
    out.push_str("</ul></div>");
    let mut section = 0;
    for row in report.scorecard {
        let (major, _) = row.entry.cis_key();
        if major != section {
            if section != 0 {
                out.push_str("</div>");
            }
            section = major;
            let _ = write!(
                out,
                "<h2>{major}. {}</h2><div class=\"grid\">",
                section_title(major, lang)
            );
        }
        let _ = write!(
            out,
            "<a class=\"tile\" href=\"#cis-{cis}\" data-status=\"{s}\" style=\"background:{c}\" title=\"{title}\">{cis}<small>{l}{n}</small></a>",
            cis = row.entry.cis,
            s = row.status.as_str(),
            l = row.status.label(lang),
            c = color(row.status),
            title = escape(row.entry.title.get(lang)),
            n = if row.findings > 0 {
                format!(" ({})", row.findings)
            } else {
                String::new()
            },
        );
    }
    if section != 0 {
        out.push_str("</div>");
    }
    let _ = write!(out, "<h2>{}</h2>", t("Findings", "違反"));
    if report.outcome.findings.is_empty() {
        let _ = write!(out, "<p>{}</p>", t("No findings.", "違反はありません。"));
    }
    let mut seen = std::collections::HashSet::new();
    for f in &report.outcome.findings {
        let anchor = !f.cis().is_empty() && seen.insert(f.cis());
        out.push_str(&finding(report, f, false, anchor));
    }
    if report.show_undetermined {
        for f in &report.outcome.undetermined {
            out.push_str(&finding(report, f, true, false));
        }
    }
    let _ = writeln!(out, "</main><script>{SCRIPT}</script></body></html>");
    out
}

/// ` · 2 errors · 1 warning` in the header, when there are any.
fn problem_counts(report: &Report<'_>) -> String {
    let ja = report.lang == Lang::Ja;
    let mut out = String::new();
    let errors = report.errors.len() + report.path_errors.len();
    let warnings = notice::count(&report.outcome.notices, Level::Warning);
    let notes = notice::count(&report.outcome.notices, Level::Note);
    for (n, en, ja_word) in [
        (errors, "error", "件のエラー"),
        (warnings, "warning", "件の警告"),
        (notes, "note", "件の注記"),
    ] {
        if n > 0 {
            let _ = if ja {
                write!(out, " · {n} {ja_word}")
            } else {
                write!(out, " · {n} {en}{}", if n == 1 { "" } else { "s" })
            };
        }
    }
    out
}

/// The inputs that could not be checked, then the warnings, each at its `file:line:col`.
fn problems(report: &Report<'_>, out: &mut String) {
    let ja = report.lang == Lang::Ja;
    let place = |span: crate::source::Span| {
        let file = report.sources.get(span.file);
        let lc = file.line_col(span.start as usize);
        format!("{}:{}:{}", escape::path(&file.path), lc.line, lc.column)
    };
    let item = |out: &mut String, place: &str, message: &str, code: &str| {
        let _ = write!(
            out,
            "<li><code class=\"loc\">{}</code> {} <code>[{code}]</code></li>",
            escape(place),
            escape(&line(message))
        );
    };
    if !report.errors.is_empty() || !report.path_errors.is_empty() {
        let _ = write!(
            out,
            "<section class=\"problems errors\" id=\"input-errors\"><h2>{}</h2><ul>",
            if ja {
                "チェックできなかったファイル"
            } else {
                "Files that could not be checked"
            }
        );
        for e in report.errors {
            item(out, &place(e.span), &e.message, "input-error");
        }
        for (p, m) in report.path_errors {
            item(out, &escape::path(p), m, "input-error");
        }
        out.push_str("</ul></section>");
    }
    for (level, class, title) in [
        (
            Level::Warning,
            "warnings",
            if ja { "警告" } else { "Warnings" },
        ),
        (Level::Note, "notes", if ja { "注記" } else { "Notes" }),
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
        let _ = write!(
            out,
            "<section class=\"problems {class}\" id=\"{class}\"><h2>{title}</h2><ul>"
        );
        for n in notices {
            let at = match (n.span, &n.file) {
                (Some(span), _) => place(span),
                (None, Some(p)) => escape::path(p),
                (None, None) => "cislint".to_string(),
            };
            item(out, &at, n.message(report.lang), n.code);
        }
        out.push_str("</ul></section>");
    }
}

/// An SVG donut of the status counts.
fn donut(totals: &[(Status, usize)]) -> String {
    let total: usize = totals.iter().map(|(_, n)| n).sum();
    let mut svg = String::from(
        "<svg width=\"160\" height=\"160\" viewBox=\"0 0 42 42\" role=\"img\" aria-label=\"scorecard\">",
    );
    let mut offset = 25.0;
    for (status, n) in totals {
        if *n == 0 || total == 0 {
            continue;
        }
        let pct = *n as f64 * 100.0 / total as f64;
        let _ = write!(
            svg,
            "<circle r=\"15.915\" cx=\"21\" cy=\"21\" fill=\"none\" stroke=\"{}\" stroke-width=\"6\" stroke-dasharray=\"{pct:.3} {:.3}\" stroke-dashoffset=\"{offset:.3}\"/>",
            color(*status),
            100.0 - pct
        );
        offset = (offset - pct + 100.0) % 100.0;
    }
    let _ = write!(
        svg,
        "<text x=\"21\" y=\"23\" text-anchor=\"middle\" font-size=\"6\">{total}</text></svg>"
    );
    svg
}

fn finding(report: &Report<'_>, f: &Finding, undetermined: bool, anchor: bool) -> String {
    let lang = report.lang;
    let file = report.sources.get(f.span.file);
    let start = file.line_col(f.span.start as usize);
    let end = file.line_col(f.span.end as usize);
    let mut out = String::new();
    let _ = write!(
        out,
        "<section class=\"finding{}\"{}><h3>{} <code>{}</code>{}</h3><div class=\"loc\">{}:{}:{} · {}</div>",
        if undetermined { " undetermined" } else { "" },
        if anchor {
            format!(" id=\"cis-{}\"", f.cis())
        } else {
            String::new()
        },
        escape(&line(&f.message(lang))),
        escape(&line(f.rule())),
        if f.cis().is_empty() {
            String::new()
        } else {
            format!(" CIS {}", escape(f.cis()))
        },
        escape(&escape::path(&file.path)),
        start.line,
        start.column,
        escape(&line(&f.resource)),
    );
    // The lines around the span, with the span itself marked.
    let first = start.line.saturating_sub(2).max(1);
    let last = (end.line + 2).min(file.line_count());
    out.push_str("<pre>");
    for line in first..=last {
        let r = file.line_range(line);
        let (s, e) = (
            (f.span.start as usize).clamp(r.start, r.end),
            (f.span.end as usize).clamp(r.start, r.end),
        );
        let pictured = escape::snippet(&file.text[r.clone()]);
        let (s, e) = (pictured.offset(s - r.start), pictured.offset(e - r.start));
        let text = pictured.text.as_str();
        let (a, b, c) = (&text[..s], &text[s..e], &text[e..]);
        let _ = if b.is_empty() {
            writeln!(out, "<span class=\"ln\">{line}</span>{}", escape(text))
        } else {
            writeln!(
                out,
                "<span class=\"ln\">{line}</span>{}<mark>{}</mark>{}",
                escape(a),
                escape(b),
                escape(c)
            )
        };
    }
    out.push_str("</pre>");
    if let Some(h) = f.help(lang) {
        let _ = write!(
            out,
            "<p><b>{}</b> {}</p>",
            if lang == Lang::Ja { "対処:" } else { "Fix:" },
            escape(&line(&h))
        );
    }
    // A rule outside the catalog has no remediation text: its help line is all there is.
    let Some(e) = f.entry() else {
        let _ = writeln!(out, "<p>{}</p></section>", escape(&line(f.title(lang))));
        return out;
    };
    let remediation = if lang == Lang::Ja {
        &e.remediation.ja
    } else {
        &e.remediation.en
    };
    let _ = write!(
        out,
        "<details><summary>{}</summary><p>{}</p>",
        if lang == Lang::Ja {
            "是正方法"
        } else {
            "Remediation"
        },
        escape(remediation.trim())
    );
    if let Some(tf) = &e.remediation.terraform {
        let _ = write!(out, "<pre>{}</pre>", escape(tf.trim()));
    }
    if let Some(cfn) = &e.remediation.cloudformation {
        let _ = write!(out, "<pre>{}</pre>", escape(cfn.trim()));
    }
    out.push_str("</details></section>\n");
    out
}
