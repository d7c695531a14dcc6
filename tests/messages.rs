//! Messages say what they are about: no placeholder left unfilled and no `?` standing for
//! a value known only at apply time, in English and Japanese, for every finding of every
//! fixture case; and the messages issue 18 asked for.

use std::path::{Path, PathBuf};

use cislint::catalog::Lang;
use cislint::finding::Finding;

/// Every fixture case (a directory with `expected.txt`) below `testdata/`.
fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for p in entries {
        if p.join("expected.txt").is_file() {
            out.push(p.clone());
        }
        cases(&p, out);
    }
}

/// The findings and undetermined findings of a case, every control run, both scopes.
fn findings(case: &Path) -> Vec<Finding> {
    let mut out = Vec::new();
    for scope in [
        cislint::scope::Scope::Resources,
        cislint::scope::Scope::Account,
    ] {
        let options = cislint::RunOptions {
            scope,
            ..Default::default()
        };
        let (_, outcome) = cislint::run_with_options(&[case.to_path_buf()], &options, &|_| true);
        out.extend(outcome.findings);
        out.extend(outcome.undetermined);
    }
    out
}

#[test]
fn no_message_leaves_a_placeholder_or_a_question_mark() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut all = Vec::new();
    cases(&root, &mut all);
    let mut bad = Vec::new();
    for case in &all {
        for f in findings(case) {
            for lang in [Lang::En, Lang::Ja] {
                let texts = [f.message(lang), f.help(lang).unwrap_or_default()]
                    .into_iter()
                    .chain(f.labels.iter().map(|l| f.label_text(l, lang)));
                for text in texts {
                    let placeholder = text
                        .split('{')
                        .skip(1)
                        .any(|rest| rest.split('}').next().is_some_and(is_placeholder));
                    if text.contains("`?`") || placeholder {
                        bad.push(format!("{}: {} {text}", case.display(), f.rule()));
                    }
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// `{name}` as the catalog writes placeholders (not JSON or HCL braces in a value).
fn is_placeholder(inner: &str) -> bool {
    !inner.is_empty() && inner.chars().all(|c| c.is_ascii_lowercase() || c == '_')
}

fn case(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn an_unknown_source_range_is_named_by_its_expression() {
    let found = findings(&case(
        "testdata/4-networking/4.01-ec2-sg-ingress-ssh/undetermined-tf",
    ));
    let messages: Vec<String> = found
        .iter()
        .filter(|f| f.rule() == "ec2-sg-ingress-ssh" && f.undetermined)
        .map(|f| f.message(Lang::En))
        .collect();
    assert!(
        messages.contains(
            &"`aws_security_group.admin` may admit the internet to port 22 (SSH): its source address range is known only at apply time (`var.admin_cidrs`)"
                .to_string()
        ),
        "{messages:#?}"
    );
}

#[test]
fn a_trail_missing_both_cloudwatch_arns_is_one_finding_naming_both() {
    let found = findings(&case(
        "testdata/2-logging/2.04-cloudtrail-cloudwatch-logs/fail-tf",
    ));
    let none: Vec<&Finding> = found
        .iter()
        .filter(|f| f.rule() == "cloudtrail-cloudwatch-logs" && f.resource == "aws_cloudtrail.none")
        .collect();
    // One per scope.
    assert_eq!(none.len(), 2, "{none:#?}");
    assert_eq!(
        none[0].message(Lang::En),
        "trail `aws_cloudtrail.none` does not deliver to CloudWatch Logs: neither `cloud_watch_logs_group_arn` nor `cloud_watch_logs_role_arn` is set"
    );
    assert_eq!(
        none[0].message(Lang::Ja),
        "証跡 `aws_cloudtrail.none` は CloudWatch Logs に配信していません（`cloud_watch_logs_group_arn` と `cloud_watch_logs_role_arn` がどちらも未設定）"
    );
}

#[test]
fn an_unknown_setting_is_named_with_its_expression() {
    let found = findings(&case(
        "testdata/2-logging/2.01-cloudtrail-multi-region/undetermined-tf",
    ));
    let f = found
        .iter()
        .find(|f| f.rule() == "cloudtrail-multi-region")
        .expect("an undetermined finding");
    assert!(f.undetermined);
    assert_eq!(
        f.message(Lang::En),
        "`is_multi_region_trail` of `aws_cloudtrail.from_variable` is `var.multi_region`, known only at apply time"
    );
    assert_eq!(
        f.message(Lang::Ja),
        "`aws_cloudtrail.from_variable` の `is_multi_region_trail` は `var.multi_region` で、apply 時まで値が決まりません"
    );
}
