//! `--statistics`: how many findings each control has, most first (as `ruff --statistics`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use super::Report;
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

/// A table: count, rule id, CIS number, severity, title.
pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for (n, f) in rows(report) {
        let _ = writeln!(
            out,
            "{n:>5}  {:<38} CIS {:<5} {:<6} {}",
            f.rule(),
            f.cis(),
            f.severity().as_str(),
            f.title(report.lang)
        );
    }
    out
}

/// The same rows as JSON (`--statistics --format json`).
pub fn render_json(report: &Report<'_>) -> String {
    let items: Vec<_> = rows(report)
        .into_iter()
        .map(|(n, f)| {
            json!({"rule": f.rule(), "cis": f.cis(), "severity": f.severity().as_str(),
                   "count": n, "title": f.title(report.lang)})
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&items).unwrap_or_default();
    s.push('\n');
    s
}
