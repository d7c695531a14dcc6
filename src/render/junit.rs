//! `--format junit`: JUnit XML for CI test reports. One `<testsuite>` per control that ran,
//! one `<testcase>` per resource it evaluated: a `<failure>` per finding on it, `<skipped>`
//! when its only findings are suppressed or undetermined, passing otherwise.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Report, display_path};
use crate::finding::Finding;
use crate::graph::ResourceId;

/// Escapes text for XML attributes and content, dropping characters XML 1.0 forbids.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A test case: one resource under one control.
#[derive(Default)]
struct Case<'r> {
    file: String,
    line: usize,
    failures: Vec<&'r Finding>,
    skipped: Vec<String>,
}

type CaseKey = (String, Option<ResourceId>);
type Suites<'r> = BTreeMap<&'r str, BTreeMap<CaseKey, Case<'r>>>;

/// The test case of `resource` under `rule`, created at `place` (file, line) if new.
fn case<'s, 'r>(
    suites: &'s mut Suites<'r>,
    rule: &'r str,
    resource: &str,
    id: Option<ResourceId>,
    place: (String, usize),
) -> &'s mut Case<'r> {
    suites
        .entry(rule)
        .or_default()
        .entry((resource.to_string(), id))
        .or_insert_with(|| Case {
            file: place.0,
            line: place.1,
            ..Case::default()
        })
}

/// Renders the report as a `<testsuites>` document.
pub fn render(report: &Report<'_>) -> String {
    let o = report.outcome;
    let mut suites: Suites<'_> = BTreeMap::new();
    let place = |span: crate::source::Span| {
        let file = report.sources.get(span.file);
        (
            display_path(&file.path),
            file.line_col(span.start as usize).line,
        )
    };
    for id in &o.controls {
        suites.entry(id).or_default();
    }
    for e in &o.evaluated {
        case(
            &mut suites,
            e.rule,
            &e.resource,
            e.resource_id,
            place(e.span),
        );
    }
    for f in &o.findings {
        case(
            &mut suites,
            f.rule(),
            &f.resource,
            f.resource_id,
            place(f.span),
        )
        .failures
        .push(f);
    }
    let skips = o
        .suppressed
        .iter()
        .map(|s| {
            let reason = s.reason.as_deref().unwrap_or("no reason given");
            (&s.finding, format!("suppressed: {reason}"))
        })
        .chain(
            o.undetermined
                .iter()
                .map(|f| (f, format!("undetermined: {}", f.message(report.lang)))),
        );
    for (f, why) in skips {
        case(
            &mut suites,
            f.rule(),
            &f.resource,
            f.resource_id,
            place(f.span),
        )
        .skipped
        .push(why);
    }
    let count = |cases: &BTreeMap<CaseKey, Case<'_>>| {
        let failures = cases.values().filter(|c| !c.failures.is_empty()).count();
        let skipped = cases
            .values()
            .filter(|c| c.failures.is_empty() && !c.skipped.is_empty())
            .count();
        (cases.len(), failures, skipped)
    };
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for cases in suites.values() {
        let (t, f, s) = count(cases);
        tests += t;
        failures += f;
        skipped += s;
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"cislint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{skipped}\">",
        report.errors.len() + report.path_errors.len()
    );
    // Suites in catalog order, as `rules` lists them.
    let mut ordered: Vec<(&str, &BTreeMap<CaseKey, Case<'_>>)> =
        suites.iter().map(|(k, v)| (*k, v)).collect();
    ordered.sort_by_key(|(id, _)| {
        crate::catalog::find(id)
            .map(|e| e.cis_key())
            .unwrap_or((u32::MAX, 0))
    });
    for (id, cases) in ordered {
        let entry = crate::catalog::find(id);
        let cis = entry.map(|e| e.cis.as_str()).unwrap_or("");
        let title = entry.map(|e| e.title.get(report.lang)).unwrap_or("");
        let (t, f, s) = count(cases);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"0\" skipped=\"{s}\">",
            escape(&if cis.is_empty() {
                id.to_string()
            } else {
                format!("CIS {cis} {id}: {title}")
            })
        );
        for ((resource, _), case) in cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                escape(resource),
                escape(id),
                escape(&case.file),
                case.line
            );
            if case.failures.is_empty() && case.skipped.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            for f in &case.failures {
                let lc = report.sources.start(f.span);
                let path = display_path(&report.sources.get(f.span.file).path);
                let mut body = format!(
                    "{path}:{}:{}: {}",
                    lc.line,
                    lc.column,
                    f.message(report.lang)
                );
                if let Some(h) = f.help(report.lang) {
                    body.push_str("\nhelp: ");
                    body.push_str(&h);
                }
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&f.message(report.lang)),
                    f.severity().as_str(),
                    escape(&body)
                );
            }
            if case.failures.is_empty() {
                let _ = writeln!(
                    out,
                    "      <skipped message=\"{}\"/>",
                    escape(&case.skipped.join("; "))
                );
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(
            super::escape("a<b & \"c\" 'd'>\u{1}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\n"
        );
    }
}
