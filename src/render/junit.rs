//! `--format junit`: JUnit XML for CI test reports. One `<testsuite>` per control that ran,
//! one `<testcase>` per resource it evaluated: a `<failure>` per finding on it, `<skipped>`
//! when its only findings are suppressed or undetermined, passing otherwise.
//!
//! Before them, the suite `cislint.input-errors` has one test case with an `<error>` per
//! input that could not be checked, so that a CI job that keeps only this report counts it
//! as an error, the suite `cislint.warnings` one `<skipped>` test case per warning, and
//! `cislint.notes` one per note (shown, never failing, as notices never change the exit
//! status).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::escape::line;
use super::{Report, display_path};
use crate::finding::Finding;
use crate::graph::ResourceId;
use crate::notice::Level;

/// Escapes text for XML attributes and content ([`super::escape::xml`]).
pub fn escape(s: &str) -> String {
    super::escape::xml(s).into_owned()
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
            (&s.finding, format!("suppressed: {}", line(reason)))
        })
        .chain(o.undetermined.iter().map(|f| {
            (
                f,
                format!("undetermined: {}", line(&f.message(report.lang))),
            )
        }));
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
    let (errors, warnings, notes) = problems(report);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"cislint\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{}\">",
        tests + errors.len() + warnings.len() + notes.len(),
        errors.len(),
        skipped + warnings.len() + notes.len()
    );
    problem_suite(&mut out, "cislint.input-errors", &errors, true);
    problem_suite(&mut out, "cislint.warnings", &warnings, false);
    problem_suite(&mut out, "cislint.notes", &notes, false);
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
                line(id).into_owned()
            } else {
                format!("CIS {cis} {id}: {title}")
            })
        );
        for ((resource, _), case) in cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                escape(&line(resource)),
                escape(&line(id)),
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
                let message = line(&f.message(report.lang)).into_owned();
                let mut body = format!("{path}:{}:{}: {message}", lc.line, lc.column);
                if let Some(h) = f.help(report.lang) {
                    body.push_str("\nhelp: ");
                    body.push_str(&line(&h));
                }
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(&message),
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

/// A test case that is not about a resource: an input error or a warning.
struct Problem {
    /// `file:line:col`, the file alone, or `cislint`.
    place: String,
    file: Option<String>,
    line: Option<usize>,
    /// `input-error` or the warning's code.
    code: &'static str,
    message: String,
}

/// The input errors, the warnings and the notes, in the order of the other formats.
fn problems(report: &Report<'_>) -> (Vec<Problem>, Vec<Problem>, Vec<Problem>) {
    let at = |span: crate::source::Span, code, message: &str| {
        let file = report.sources.get(span.file);
        let lc = file.line_col(span.start as usize);
        let path = display_path(&file.path);
        Problem {
            place: format!("{path}:{}:{}", lc.line, lc.column),
            file: Some(path),
            line: Some(lc.line),
            code,
            message: line(message).into_owned(),
        }
    };
    let whole = |path: Option<&std::path::Path>, code, message: &str| {
        let path = path.map(display_path);
        Problem {
            place: path.clone().unwrap_or_else(|| "cislint".into()),
            file: path,
            line: None,
            code,
            message: line(message).into_owned(),
        }
    };
    let errors = report
        .errors
        .iter()
        .map(|e| at(e.span, "input-error", &e.message))
        .chain(
            report
                .path_errors
                .iter()
                .map(|(p, m)| whole(Some(p), "input-error", m)),
        )
        .collect();
    let of_level = |level: Level| {
        report
            .outcome
            .notices
            .iter()
            .filter(|n| n.level() == level)
            .map(|n| {
                let message = n.message(report.lang);
                match n.span {
                    Some(span) => at(span, n.code, message),
                    None => whole(n.file.as_deref(), n.code, message),
                }
            })
            .collect()
    };
    (errors, of_level(Level::Warning), of_level(Level::Note))
}

/// The suite of input errors (`<error>`) or of warnings or notes (`<skipped>`); none when
/// empty.
fn problem_suite(out: &mut String, name: &str, problems: &[Problem], errors: bool) {
    if problems.is_empty() {
        return;
    }
    let n = problems.len();
    let (e, s) = if errors { (n, 0) } else { (0, n) };
    let _ = writeln!(
        out,
        "  <testsuite name=\"{name}\" tests=\"{n}\" failures=\"0\" errors=\"{e}\" skipped=\"{s}\">"
    );
    for p in problems {
        let text = format!("{}: {} [{}]", p.place, p.message, p.code);
        let _ = write!(
            out,
            "    <testcase name=\"{}\" classname=\"{name}\"",
            escape(&if errors {
                p.place.clone()
            } else {
                format!("{}: {}", p.code, p.place)
            })
        );
        if let Some(file) = &p.file {
            let _ = write!(out, " file=\"{}\"", escape(file));
        }
        if let Some(line) = p.line {
            let _ = write!(out, " line=\"{line}\"");
        }
        if errors {
            let _ = writeln!(
                out,
                ">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>",
                escape(&p.message),
                p.code,
                escape(&text)
            );
        } else {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                escape(&text)
            );
        }
    }
    out.push_str("  </testsuite>\n");
}
