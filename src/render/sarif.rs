//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! One `rule` per control that ran (descriptions, help, `helpUri`, CIS tags and GitHub's
//! `security-severity`); one `result` per finding with a region in code-point columns, the
//! resource as a logical location, labels as related locations, and a `partialFingerprints`
//! entry that ignores line numbers. URIs are relative to `%SRCROOT%`, the current directory.
//! Input errors and notices are tool notifications of the invocation.

use serde_json::{Value, json};

use super::{Report, display_path, shown, uri_path};
use crate::catalog::{Entry, Severity};
use crate::finding::{CustomRule, Finding, RuleSource};
use crate::source::Span;

/// The SARIF schema this output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where a control's documentation lives: its catalog file in the repository.
/// Stable pattern: `<repository>/blob/main/checks/<section>/<cis>-<rule-id>.toml`.
pub fn help_uri(e: &Entry) -> String {
    format!(
        "{}/blob/main/checks/{}",
        env!("CARGO_PKG_REPOSITORY"),
        e.path
    )
}

/// GitHub's `security-severity` score: high ≥ 7.0, medium ≥ 4.0, low < 4.0.
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::High | Severity::Medium => "error",
        Severity::Low => "warning",
    }
}

/// The current directory as a `file:` URI ending in `/`.
fn srcroot() -> String {
    let cwd = crate::config::absolute(std::path::Path::new("."));
    let mut s = super::escape::uri_path(cwd.to_string_lossy().replace('\\', "/").as_bytes());
    if !s.starts_with('/') {
        s.insert(0, '/');
    }
    if !s.ends_with('/') {
        s.push('/');
    }
    format!("file://{s}")
}

fn artifact(report: &Report<'_>, span: Span) -> Value {
    let path = report.sources.get(span.file).path.clone();
    if path.is_absolute() {
        let cwd = crate::config::absolute(std::path::Path::new("."));
        if let Ok(rel) = path.strip_prefix(&cwd) {
            return json!({"uri": uri_path(rel), "uriBaseId": "%SRCROOT%"});
        }
        let p = uri_path(&path);
        return json!({"uri": format!("file://{}{p}", if p.starts_with('/') { "" } else { "/" })});
    }
    json!({"uri": uri_path(&path), "uriBaseId": "%SRCROOT%"})
}

fn region(report: &Report<'_>, span: Span) -> Value {
    let file = report.sources.get(span.file);
    let s = file.line_col(span.start as usize);
    let e = file.line_col(span.end as usize);
    json!({"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column})
}

fn location(report: &Report<'_>, span: Span) -> Value {
    json!({"physicalLocation": {"artifactLocation": artifact(report, span), "region": region(report, span)}})
}

/// `cloudtrail-multi-region` → `CloudtrailMultiRegion`: SARIF wants a `name` unlike the `id`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn remediation(e: &Entry, lang: crate::catalog::Lang) -> &str {
    match lang {
        crate::catalog::Lang::En => &e.remediation.en,
        crate::catalog::Lang::Ja => &e.remediation.ja,
    }
}

fn rule(e: &Entry, report: &Report<'_>) -> Value {
    let lang = report.lang;
    let mut help_md = format!("{}\n", remediation(e, lang));
    if let Some(tf) = &e.remediation.terraform {
        help_md.push_str(&format!("\nTerraform:\n\n```hcl\n{}\n```\n", tf.trim()));
    }
    if let Some(cfn) = &e.remediation.cloudformation {
        help_md.push_str(&format!(
            "\nCloudFormation:\n\n```yaml\n{}\n```\n",
            cfn.trim()
        ));
    }
    json!({
        "id": e.id,
        "name": pascal_case(&e.id),
        "shortDescription": {"text": format!("CIS {} {}", e.cis, e.title.get(lang))},
        "fullDescription": {"text": e.rationale.get(lang)},
        "help": {"text": remediation(e, lang), "markdown": help_md},
        "helpUri": help_uri(e),
        "defaultConfiguration": {"level": level(e.severity)},
        "properties": {
            "tags": ["security", "cis-aws-foundations", format!("CIS-1.1.0/{}", e.cis), format!("CIS-level-{}", e.level)],
            "security-severity": security_severity(e.severity),
            "precision": "high",
            "problem.severity": if e.severity == Severity::Low { "warning" } else { "error" },
        },
    })
}

/// The descriptor of a rule outside the catalog: its id, title and severity.
fn custom_rule(c: &CustomRule) -> Value {
    json!({
        "id": c.id,
        "name": pascal_case(&c.id.replace(':', "-")),
        "shortDescription": {"text": c.title},
        "defaultConfiguration": {"level": level(c.severity)},
        "properties": {
            "tags": ["security", "custom"],
            "security-severity": security_severity(c.severity),
            "precision": "high",
            "problem.severity": if c.severity == Severity::Low { "warning" } else { "error" },
        },
    })
}

fn result(report: &Report<'_>, f: &Finding, index: usize, undetermined: bool) -> Value {
    let mut text = f.message(report.lang);
    if undetermined {
        text.insert_str(0, super::gcc::undetermined_prefix(report.lang));
    }
    if let Some(h) = f.help(report.lang) {
        text.push_str(". Help: ");
        text.push_str(&h);
    }
    let mut loc = location(report, f.span);
    loc["logicalLocations"] = json!([{"fullyQualifiedName": f.resource, "kind": "resource"}]);
    let related: Vec<Value> = f
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v = location(report, l.span);
            v["id"] = Value::from(i + 1);
            v["message"] = json!({"text": f.label_text(l, report.lang)});
            v
        })
        .collect();
    let cwd = crate::config::absolute(std::path::Path::new("."));
    let mut r = json!({
        "ruleId": f.rule(),
        "ruleIndex": index,
        "level": if undetermined { "note" } else { level(f.severity()) },
        "message": {"text": text},
        "locations": [loc],
        "partialFingerprints": {"cislint/v1": crate::baseline::fingerprint(f, report.sources, &cwd)},
        "properties": {"cis": f.cis(), "severity": f.severity().as_str(), "undetermined": undetermined},
    });
    if !related.is_empty() {
        r["relatedLocations"] = Value::from(related);
    }
    r
}

/// Renders the report as one SARIF log with one run.
pub fn render(report: &Report<'_>) -> String {
    let o = report.outcome;
    let mut ids: Vec<&str> = o.controls.clone();
    let all = shown(report)
        .map(|(f, _)| f)
        .chain(o.suppressed.iter().map(|s| &s.finding));
    for f in all {
        if !ids.contains(&f.rule()) {
            ids.push(f.rule());
        }
    }
    // Catalog controls, then rules outside the catalog (Guard rules) as their findings carry them.
    let custom: Vec<&CustomRule> = shown(report)
        .map(|(f, _)| f)
        .chain(o.suppressed.iter().map(|s| &s.finding))
        .filter_map(|f| match &f.source {
            RuleSource::Custom(c) => Some(&**c),
            RuleSource::Catalog(_) => None,
        })
        .collect();
    let descriptors: Vec<(&str, Value)> = ids
        .iter()
        .filter_map(|id| match crate::catalog::find(id) {
            Some(e) => Some((*id, rule(e, report))),
            None => custom
                .iter()
                .find(|c| c.id == *id)
                .map(|c| (*id, custom_rule(c))),
        })
        .collect();
    let index = |id: &str| descriptors.iter().position(|(d, _)| *d == id).unwrap_or(0);
    let mut results: Vec<Value> = shown(report)
        .map(|(f, u)| result(report, f, index(f.rule()), u))
        .collect();
    if report.show_suppressed {
        for s in &o.suppressed {
            let mut r = result(report, &s.finding, index(s.finding.rule()), false);
            r["suppressions"] = json!([{
                "kind": "inSource",
                "justification": s.reason.clone().unwrap_or_default(),
                "location": location(report, s.by),
            }]);
            results.push(r);
        }
    }
    let mut notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({"level": "error", "message": {"text": e.message},
                   "locations": [location(report, e.span)], "descriptor": {"id": "input-error"}})
        })
        .collect();
    notifications.extend(report.path_errors.iter().map(|(p, m)| {
        json!({"level": "error", "message": {"text": format!("{}: {m}", display_path(p))},
               "descriptor": {"id": "input-error"}})
    }));
    notifications.extend(o.notices.iter().map(|n| {
        let mut v = json!({"level": n.level().as_str(), "message": {"text": n.message(report.lang)},
                           "descriptor": {"id": n.code}});
        if let Some(span) = n.span {
            v["locations"] = json!([location(report, span)]);
        }
        v
    }));
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cislint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": descriptors.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty() && report.path_errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": {"%SRCROOT%": {"uri": srcroot()}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = super::escape::json(serde_json::to_string_pretty(&doc).unwrap_or_default());
    s.push('\n');
    s
}
