//! Meta-tests that keep the catalog honest.

use std::collections::BTreeSet;
use std::path::Path;

use cislint::catalog::{self, DecidedBy};

#[test]
fn every_catalog_file_parses() {
    assert_eq!(catalog::validate(), Vec::<String>::new());
}

#[test]
fn the_catalog_has_all_52_controls_of_v1_1_0() {
    let all = catalog::all();
    assert_eq!(all.len(), 52);
    let expected: Vec<String> = [(1, 24), (2, 8), (3, 15), (4, 5)]
        .iter()
        .flat_map(|(s, n)| (1..=*n).map(move |i| format!("{s}.{i}")))
        .collect();
    let actual: Vec<String> = all.iter().map(|e| e.cis.clone()).collect();
    assert_eq!(actual, expected);
}

#[test]
fn ids_are_unique_kebab_case_and_match_their_file() {
    let mut ids = BTreeSet::new();
    for e in catalog::all() {
        assert!(ids.insert(e.id.clone()), "duplicate id {}", e.id);
        assert!(
            e.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            e.id
        );
        let (major, minor) = e.cis_key();
        let file = format!("{major}.{minor:02}-{}.toml", e.id);
        assert!(e.path.ends_with(&file), "{} should be named {file}", e.path);
    }
}

#[test]
fn every_entry_is_complete_in_both_languages() {
    for e in catalog::all() {
        for (what, t) in [("title", &e.title), ("rationale", &e.rationale)] {
            assert!(!t.en.trim().is_empty(), "{} {what} en", e.cis);
            assert!(!t.ja.trim().is_empty(), "{} {what} ja", e.cis);
        }
        assert!(!e.remediation.en.trim().is_empty() && !e.remediation.ja.trim().is_empty());
        assert!(!e.decided_by.is_empty(), "{}", e.cis);
        let needs_manual = e
            .decided_by
            .iter()
            .any(|d| matches!(d, DecidedBy::Manual | DecidedBy::CredentialReport));
        assert!(
            !needs_manual || e.manual.is_some(),
            "{} needs a [manual] text",
            e.cis
        );
        for (key, m) in &e.messages {
            assert!(
                !m.en.is_empty() && !m.ja.is_empty(),
                "{} message {key}",
                e.cis
            );
            assert!(
                m.help_en.is_some() == m.help_ja.is_some(),
                "{} help of {key}",
                e.cis
            );
            // Messages follow the convention: lowercase first word or a code span, no period.
            assert!(
                !m.en.ends_with('.'),
                "{} message {key} ends with a period",
                e.cis
            );
        }
    }
}

#[test]
fn every_implemented_control_is_in_the_catalog_as_decidable_by_code() {
    for c in cislint::checks::ALL {
        let e = catalog::find(c.id).unwrap_or_else(|| panic!("{} has no catalog entry", c.id));
        assert!(
            e.is_decidable(),
            "{} is implemented but marked {:?}",
            c.id,
            e.decided_by
        );
        let (major, minor) = e.cis_key();
        let section = Path::new(env!("CARGO_MANIFEST_DIR")).join("checks");
        let rs = std::fs::read_dir(&section)
            .unwrap()
            .flatten()
            .flat_map(|d| std::fs::read_dir(d.path()).into_iter().flatten().flatten())
            .any(|f| f.file_name().to_string_lossy() == format!("{major}.{minor:02}-{}.rs", c.id));
        assert!(
            rs,
            "{} has no checks/<section>/{major}.{minor:02}-{}.rs",
            c.id, c.id
        );
    }
}

#[test]
fn every_implemented_control_has_fixtures_for_each_dialect_it_claims() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    for c in cislint::checks::ALL {
        let e = catalog::find(c.id).unwrap();
        let (major, minor) = e.cis_key();
        let section = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .find(|d| {
                d.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{major}-"))
            })
            .unwrap_or_else(|| panic!("no testdata section for {}", e.cis));
        // Cases of the control's own folder, and shared cases that select it
        // (`testdata/3-monitoring/chains/*` with a `# select:` line).
        let dir = section.path().join(format!("{major}.{minor:02}-{}", c.id));
        let mut cases: Vec<String> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|d| d.file_name().to_string_lossy().to_string())
            .collect();
        for shared in std::fs::read_dir(section.path()).unwrap().flatten() {
            for case in std::fs::read_dir(shared.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let text =
                    std::fs::read_to_string(case.path().join("expected.txt")).unwrap_or_default();
                let selects = text.lines().any(|l| {
                    l.trim()
                        .strip_prefix("# select:")
                        .is_some_and(|ids| ids.split(',').any(|i| i.trim() == c.id))
                });
                if selects {
                    cases.push(case.file_name().to_string_lossy().to_string());
                }
            }
        }
        assert!(!cases.is_empty(), "no fixtures for {}", c.id);
        let has = |prefix: &str| {
            cases
                .iter()
                .any(|c| c.starts_with(prefix) && !c.ends_with(".src"))
        };
        if !e.terraform.is_empty() {
            assert!(has("fail-tf"), "{}: no fail-tf case", c.id);
            assert!(has("pass-tf"), "{}: no pass-tf case", c.id);
            assert!(has("fail-plan"), "{}: no fail-plan case", c.id);
        }
        if !e.cloudformation.is_empty() {
            assert!(has("fail-cfn"), "{}: no fail-cfn case", c.id);
            assert!(has("pass-cfn"), "{}: no pass-cfn case", c.id);
        }
        if e.decided_by.contains(&DecidedBy::CredentialReport) {
            assert!(has("fail-report"), "{}: no fail-report case", c.id);
            assert!(has("pass-report"), "{}: no pass-report case", c.id);
        }
    }
}

#[test]
fn every_control_that_code_or_the_credential_report_can_decide_is_implemented() {
    for e in catalog::all() {
        let implemented = cislint::checks::ALL.iter().any(|c| c.id == e.id);
        assert_eq!(
            implemented,
            e.is_decidable(),
            "{} ({}) is marked {:?} but is {}implemented",
            e.cis,
            e.id,
            e.decided_by,
            if implemented { "" } else { "not " }
        );
    }
    // Only the controls no input can decide are left to a person: 1.19 too, since whether
    // contact details are current is a fact about the organisation, not a setting.
    let manual: Vec<&str> = catalog::all()
        .iter()
        .filter(|e| !e.is_decidable())
        .map(|e| e.cis.as_str())
        .collect();
    assert_eq!(manual, ["1.14", "1.15", "1.19"]);
}
