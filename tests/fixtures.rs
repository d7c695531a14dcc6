//! Fixture cases: every directory below `testdata/` that holds an `expected.txt` is scanned
//! on its own, and the findings must equal the expectations exactly: rule, file, line and
//! column of every finding and every undetermined one, and nothing else.
//!
//! `expected.txt` lines: `<file>:<line>:<col> <rule-id>` for a finding, with a trailing
//! `undetermined` for an undetermined one, `error <file>:<line>:<col>` for an input error,
//! `note <file>:<line>:<col> <code>` for a note (`broader-pattern`), `warning
//! <file>:<line>:<col> undeclared-reference` for a reference to something undeclared (other
//! warnings are tested elsewhere); `#` starts a comment. An empty file means: no findings at
//! all.
//!
//! Only the control of the folder is run when a case lies below a folder named
//! `<cis>-<rule-id>` (as `testdata/2-logging/2.02-cloudtrail-log-file-validation/fail-tf`);
//! elsewhere a line `# select: <rule-id>,…` in `expected.txt` chooses, and otherwise every
//! control runs. A case with a `credential-report.csv` is run with it as the credential report,
//! evaluated as of the day of a `# as-of: YYYY-MM-DD` line; `# scope: account` runs the case
//! as an account baseline. `# rules: <file>,…` evaluates Guard rules files (relative to the
//! case) as well; their findings are `guard:<rule name>`. `# strict-patterns: true` runs the
//! case with `strict-patterns`.

use std::path::{Path, PathBuf};

fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            if p.join("expected.txt").is_file() {
                out.push(p.clone());
            }
            cases(&p, out);
        }
    }
}

/// The rule ids a case runs: from its `<cis>-<rule-id>` folder or a `# select:` line.
fn selection(case: &Path) -> Option<Vec<String>> {
    for dir in case.ancestors() {
        // The filesystem root has no name: keep looking for a `# select:` line.
        let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if let Some((num, id)) = name.split_once('-')
            && num.contains('.')
            && num.chars().all(|c| c.is_ascii_digit() || c == '.')
        {
            return Some(vec![id.to_string()]);
        }
    }
    let line = directive(case, "# select:")?;
    Some(line.split(',').map(|s| s.trim().to_string()).collect())
}

/// The value of a `# name: value` line of `expected.txt`.
fn directive(case: &Path, prefix: &str) -> Option<String> {
    let text = std::fs::read_to_string(case.join("expected.txt")).ok()?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix(prefix))
        .map(|v| v.trim().to_string())
}

fn actual(case: &Path) -> Vec<String> {
    let select = selection(case);
    let report = case.join("credential-report.csv");
    let options = cislint::RunOptions {
        credential_report: report.is_file().then_some(report),
        as_of: directive(case, "# as-of:").and_then(|d| cislint::credential_report::parse_day(&d)),
        scope: match directive(case, "# scope:").as_deref() {
            Some("account") => cislint::scope::Scope::Account,
            _ => cislint::scope::Scope::Resources,
        },
        rules: directive(case, "# rules:")
            .map(|r| r.split(',').map(|p| case.join(p.trim())).collect())
            .unwrap_or_default(),
        strict_patterns: directive(case, "# strict-patterns:").as_deref() == Some("true"),
        ..Default::default()
    };
    let (scanned, outcome) = cislint::run_with_options(&[case.to_path_buf()], &options, &|id| {
        select.as_ref().is_none_or(|s| s.iter().any(|x| x == id))
    });
    let rel = |id| {
        let f = scanned.sources.get(id);
        f.path
            .strip_prefix(case)
            .unwrap_or(&f.path)
            .display()
            .to_string()
    };
    let mut lines = Vec::new();
    for (list, suffix) in [
        (&outcome.findings, ""),
        (&outcome.undetermined, " undetermined"),
    ] {
        for f in list.iter() {
            let lc = scanned.sources.start(f.span);
            lines.push(format!(
                "{}:{}:{} {}{suffix}",
                rel(f.span.file),
                lc.line,
                lc.column,
                f.rule()
            ));
        }
    }
    for n in &outcome.notices {
        let level = match n.level() {
            cislint::notice::Level::Note => "note",
            _ if n.code == "undeclared-reference" => "warning",
            _ => continue,
        };
        if let Some(span) = n.span {
            let lc = scanned.sources.start(span);
            lines.push(format!(
                "{level} {}:{}:{} {}",
                rel(span.file),
                lc.line,
                lc.column,
                n.code
            ));
        }
    }
    for e in &scanned.errors {
        let lc = scanned.sources.start(e.span);
        lines.push(format!(
            "error {}:{}:{}",
            rel(e.span.file),
            lc.line,
            lc.column
        ));
    }
    for (p, _) in &scanned.path_errors {
        lines.push(format!(
            "error {}",
            p.strip_prefix(case).unwrap_or(p).display()
        ));
    }
    lines.sort();
    lines
}

fn expected(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case.join("expected.txt")).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_fixture_case_matches_its_expectations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut all = Vec::new();
    cases(&root, &mut all);
    assert!(!all.is_empty(), "fixture cases missing: {}", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let (a, e) = (actual(case), expected(case));
        if a != e {
            failures.push(format!(
                "{}\n  expected: {e:#?}\n  actual:   {a:#?}",
                case.strip_prefix(&root).unwrap().display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
