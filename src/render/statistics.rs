//! `--statistics`: how many findings each control has, most first (as `ruff --statistics`),
//! then one row for the input errors and one per kind of warning, so that a run that could
//! not check a file never looks clean. Text lists them below the table, one line each as
//! `gcc` writes them; JSON rows carry their `locations`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::Report;
use super::escape::line;
use crate::finding::Finding;

/// (count, rule) rows, most findings first, then by rule id.
fn rows<'r>(report: &'r Report<'_>) -> Vec<(usize, &'r Finding)> {
    let mut counts: BTreeMap<&str, (usize, &Finding)> = BTreeMap::new();
    for f in &report.outcome.findings {
        counts.entry(f.rule()).or_insert((0, f)).0 += 1;
    }
    let mut rows: Vec<(usize, &Finding)> = counts.into_values().collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.rule().cmp(b.1.rule())));
    rows
}

/// A table: count, rule id, CIS number, severity, title; then the input errors and the
/// warnings, one line each.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for (n, f) in rows(report) {
        let _ = writeln!(
            out,
            "{n:>5}  {:<38} CIS {:<5} {:<6} {}",
            line(f.rule()),
            f.cis(),
            f.severity().as_str(),
            line(f.title(report.lang))
        );
    }
    let problems = problem_rows(report);
    for p in &problems {
        let _ = writeln!(
            out,
            "{:>5}  {:<38}           {}: {}",
            p.locations.len(),
            p.code,
            p.severity,
            p.title
        );
    }
    if !problems.is_empty() {
        out.push('\n');
        super::gcc::errors(report, &mut out);
        super::gcc::warnings(report, &mut out);
    }
    out
}

/// Input errors or the warnings of one code, counted like a control's findings.
struct ProblemRow {
    code: &'static str,
    severity: &'static str,
    title: &'static str,
    locations: Vec<Value>,
}

/// The input errors (`input-error`), then the warnings by code.
fn problem_rows(report: &Report<'_>) -> Vec<ProblemRow> {
    let en = report.lang == crate::catalog::Lang::En;
    let at = |span: crate::source::Span, message: &str| {
        let file = report.sources.get(span.file);
        let lc = file.line_col(span.start as usize);
        json!({"file": file.path.display().to_string(), "line": lc.line,
               "column": lc.column, "message": message})
    };
    let mut rows = Vec::new();
    let errors: Vec<Value> = report
        .errors
        .iter()
        .map(|e| at(e.span, &e.message))
        .chain(report.path_errors.iter().map(
            |(p, m)| json!({"file": p.display().to_string(), "line": 1, "column": 1, "message": m}),
        ))
        .collect();
    if !errors.is_empty() {
        rows.push(ProblemRow {
            code: "input-error",
            severity: "error",
            title: if en {
                "files that could not be checked"
            } else {
                "チェックできなかったファイル"
            },
            locations: errors,
        });
    }
    let mut by_code: BTreeMap<(crate::notice::Level, &'static str), Vec<Value>> = BTreeMap::new();
    for n in &report.outcome.notices {
        let message = n.message(report.lang);
        let location = match (n.span, &n.file) {
            (Some(span), _) => at(span, message),
            (None, Some(p)) => json!({"file": p.display().to_string(), "message": message}),
            (None, None) => json!({"message": message}),
        };
        by_code
            .entry((n.level(), n.code))
            .or_default()
            .push(location);
    }
    rows.extend(
        by_code
            .into_iter()
            .map(|((level, code), locations)| ProblemRow {
                code,
                severity: level.as_str(),
                title: if en {
                    "never changes the exit status"
                } else {
                    "終了ステータスには影響しません"
                },
                locations,
            }),
    );
    rows
}

/// The same rows as JSON (`--statistics --format json`).
pub fn render_json(report: &Report<'_>) -> String {
    let items: Vec<_> = rows(report)
        .into_iter()
        .map(|(n, f)| {
            json!({"rule": f.rule(), "cis": f.cis(), "severity": f.severity().as_str(),
                   "count": n, "title": f.title(report.lang)})
        })
        .chain(problem_rows(report).into_iter().map(|p| {
            json!({"rule": p.code, "cis": "", "severity": p.severity,
                   "count": p.locations.len(), "title": p.title, "locations": p.locations})
        }))
        .collect();
    let mut s = super::escape::json(serde_json::to_string_pretty(&items).unwrap_or_default());
    s.push('\n');
    s
}
