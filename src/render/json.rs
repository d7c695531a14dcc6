//! The JSON contract (`--format json`): version 1, extended but never broken.

use serde_json::{Value, json};

use super::Report;
use crate::finding::Finding;
use crate::notice::{self, Level};
use crate::source::SourceMap;

/// Renders the report as one JSON object.
pub fn render(report: &Report<'_>) -> String {
    let findings: Vec<Value> = report
        .outcome
        .findings
        .iter()
        .map(|f| finding(report.sources, f, report))
        .collect();
    let undetermined: Vec<Value> = report
        .outcome
        .undetermined
        .iter()
        .map(|f| finding(report.sources, f, report))
        .collect();
    let mut errors: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            let file = report.sources.get(e.span.file);
            let start = file.line_col(e.span.start as usize);
            json!({
                "file": file.path.display().to_string(),
                "line": start.line,
                "column": start.column,
                "message": e.message,
            })
        })
        .collect();
    errors.extend(report.path_errors.iter().map(
        |(p, m)| json!({"file": p.display().to_string(), "line": 1, "column": 1, "message": m}),
    ));
    let c = report.counts;
    let mut by_severity = serde_json::Map::new();
    for f in &report.outcome.findings {
        let e = by_severity
            .entry(f.severity().as_str())
            .or_insert(Value::from(0));
        *e = Value::from(e.as_u64().unwrap_or(0) + 1);
    }
    let of_level = |level: Level| -> Vec<Value> {
        report
            .outcome
            .notices
            .iter()
            .filter(|n| n.level() == level)
            .map(|n| notice(report.sources, n, report))
            .collect()
    };
    let (warnings, notes) = (of_level(Level::Warning), of_level(Level::Note));
    let unresolved: Vec<Value> = report
        .unresolved
        .iter()
        .map(|u| {
            let file = report.sources.get(u.span.file);
            let start = file.line_col(u.span.start as usize);
            json!({
                "file": file.path.display().to_string(),
                "line": start.line,
                "column": start.column,
                "module": u.module,
                "source": u.source,
                "reason": u.reason,
            })
        })
        .collect();
    let controls: Vec<Value> = report
        .scorecard
        .iter()
        .map(|r| {
            json!({
                "cis": r.entry.cis,
                "rule": r.entry.id,
                "title": r.entry.title.get(report.lang),
                "status": r.status.as_str(),
                "findings": r.findings,
                "undetermined": r.undetermined,
            })
        })
        .collect();
    let mut doc = json!({
        "version": 1,
        "scope": report.scope.as_str(),
        "controls": controls,
        "findings": findings,
        "undetermined": undetermined,
        "errors": errors,
        "warnings": warnings,
        "notes": notes,
        "summary": {
            "findings": report.outcome.findings.len(),
            "undetermined": report.outcome.undetermined.len(),
            "suppressed": report.outcome.suppressed.len(),
            "baselined": report.outcome.baselined,
            "warnings": notice::count(&report.outcome.notices, Level::Warning),
            "notes": notice::count(&report.outcome.notices, Level::Note),
            "errors": report.errors.len() + report.path_errors.len(),
            "by_severity": by_severity,
            "files": {
                "terraform": c.terraform_files,
                "terraform_modules": c.terraform_modules,
                "cloudformation": c.cloudformation,
                "plans": c.plans,
                "skipped": c.skipped,
            },
        },
    });
    if report.show_suppressed {
        let suppressed: Vec<Value> = report
            .outcome
            .suppressed
            .iter()
            .map(|sup| {
                let mut v = finding(report.sources, &sup.finding, report);
                let at = report.sources.get(sup.by.file);
                let lc = at.line_col(sup.by.start as usize);
                v["suppression"] = json!({
                    "reason": sup.reason,
                    "file": at.path.display().to_string(),
                    "line": lc.line,
                    "column": lc.column,
                });
                v
            })
            .collect();
        doc["suppressed"] = Value::from(suppressed);
    }
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("unresolved_modules".into(), Value::Array(unresolved));
        obj.insert("skipped".into(), skipped(report.skipped));
        if let Some(st) = report.stats {
            obj.insert("stats".into(), stats(st));
        }
    }
    let mut s = super::escape::json(serde_json::to_string_pretty(&doc).unwrap_or_default());
    s.push('\n');
    s
}

fn finding(sources: &SourceMap, f: &Finding, report: &Report<'_>) -> Value {
    let file = sources.get(f.span.file);
    let start = file.line_col(f.span.start as usize);
    let end = file.line_col(f.span.end as usize);
    let label = |span: crate::source::Span, message: String| {
        let lf = sources.get(span.file);
        let s = lf.line_col(span.start as usize);
        let e = lf.line_col(span.end as usize);
        json!({
            "file": lf.path.display().to_string(),
            "line": s.line, "column": s.column, "end_line": e.line, "end_column": e.column,
            "message": message,
        })
    };
    let mut labels: Vec<Value> = f
        .labels
        .iter()
        .map(|l| label(l.span, f.label_text(l, report.lang)))
        .collect();
    // A rule outside the catalog (a Guard rule) maps to no CIS number.
    let cis: Vec<&str> = Some(f.cis())
        .filter(|c| !c.is_empty())
        .into_iter()
        .collect();
    if let Some(o) = f.origin {
        labels.push(label(o, super::origin_label(report.lang).to_string()));
    }
    for c in &f.call_sites {
        labels.push(label(*c, super::call_site_label(report.lang).to_string()));
    }
    json!({
        "rule": f.rule(),
        "cis": cis,
        "severity": f.severity().as_str(),
        "message": f.message(report.lang),
        "help": f.help(report.lang),
        "file": file.path.display().to_string(),
        "line": start.line,
        "column": start.column,
        "end_line": end.line,
        "end_column": end.column,
        "resource": f.resource,
        "path": f.path,
        "fingerprint": crate::baseline::fingerprint(f, sources, &crate::config::absolute(std::path::Path::new("."))),
        "labels": labels,
        "absence": f.absence,
        "fix": match f.entry().filter(|_| f.absence) {
            Some(e) => json!({
                "terraform": e.remediation.terraform,
                "cloudformation": e.remediation.cloudformation,
            }),
            None => Value::Null,
        },
    })
}

fn notice(sources: &SourceMap, n: &crate::notice::Notice, report: &Report<'_>) -> Value {
    let mut v = json!({"code": n.code, "message": n.message(report.lang)});
    if let Some(span) = n.span {
        let file = sources.get(span.file);
        let lc = file.line_col(span.start as usize);
        v["file"] = Value::from(file.path.display().to_string());
        v["line"] = Value::from(lc.line);
        v["column"] = Value::from(lc.column);
    } else if let Some(p) = &n.file {
        v["file"] = Value::from(p.display().to_string());
    }
    v
}

/// What ignore files and `exclude` left out, each with the rule that did it.
fn skipped(list: &[crate::ignore_rules::Skipped]) -> Value {
    list.iter()
        .map(|s| {
            let mut v = json!({
                "path": s.path.display().to_string(),
                "reason": s.reason.kind(),
                "pattern": s.reason.pattern(),
            });
            if let Some(at) = s.reason.source() {
                v["source"] = Value::from(at);
            }
            v
        })
        .collect()
}

/// The `--stats` object.
fn stats(s: &crate::scan::Stats) -> Value {
    let share = |n: usize| {
        if s.attributes == 0 {
            0.0
        } else {
            (n as f64 * 1000.0 / s.attributes as f64).round() / 10.0
        }
    };
    json!({
        "module_instances": s.module_instances,
        "module_dirs": s.module_dirs,
        "resources": s.resources,
        "data_sources": s.data_sources,
        "attributes": s.attributes,
        "known": s.known,
        "unknown": s.unknown,
        "partially_known": s.partial,
        "known_percent": share(s.known),
        "unknown_percent": share(s.unknown),
        "partially_known_percent": share(s.partial),
    })
}
