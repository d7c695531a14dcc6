//! The 52-control scorecard: every status arises where it should, in resource and account
//! scope.

use std::path::PathBuf;
use std::process::Command;

fn controls(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args(["--format", "json"])
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .env_remove("LANG")
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["controls"].clone()
}

fn status(controls: &serde_json::Value, cis: &str) -> String {
    controls
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cis"] == cis)
        .map(|c| c["status"].as_str().unwrap().to_string())
        .unwrap_or_default()
}

#[test]
fn every_status_where_it_belongs() {
    let c = controls(&["testdata/examples"]);
    assert_eq!(c.as_array().unwrap().len(), 52);
    assert_eq!(status(&c, "4.1"), "fail");
    assert_eq!(status(&c, "4.2"), "pass");
    assert_eq!(status(&c, "1.1"), "not-found", "no credential report given");
    assert_eq!(
        status(&c, "1.5"),
        "not-found",
        "no password policy, resource scope"
    );
    assert_eq!(status(&c, "1.14"), "manual");
    assert_eq!(status(&c, "1.15"), "manual");
    assert_eq!(
        status(&c, "1.19"),
        "manual",
        "contacts are manual outside the account scope"
    );

    let u = controls(&["testdata/4-networking/4.01-ec2-sg-ingress-ssh/undetermined-tf"]);
    assert_eq!(status(&u, "4.1"), "undetermined");

    // A CloudFormation-only scan cannot express a password policy.
    let cfn = controls(&[
        "--scope",
        "account",
        "testdata/1-iam/1.22-iam-support-role/pass-cfn-yaml",
    ]);
    assert_eq!(status(&cfn, "1.9"), "not-applicable");
    assert_eq!(status(&cfn, "1.20"), "not-applicable");
    assert_eq!(status(&cfn, "1.22"), "pass");
    assert_eq!(
        status(&cfn, "2.1"),
        "fail",
        "account scope: no trail is a finding"
    );
}

#[test]
fn account_scope_turns_absences_into_failures() {
    let resources = controls(&["testdata/examples"]);
    let account = controls(&["--scope", "account", "testdata/examples"]);
    for cis in ["1.5", "1.17", "1.18", "1.20", "1.22", "2.5", "3.1", "3.14"] {
        assert_eq!(
            status(&resources, cis),
            "not-found",
            "{cis} in resource scope"
        );
        assert_eq!(status(&account, cis), "fail", "{cis} in account scope");
    }
    // The credential report decides its controls in any scope.
    let with_report = controls(&[
        "--as-of",
        "2026-11-28",
        "--credential-report",
        "testdata/1-iam/1.13-iam-root-mfa/pass-report/credential-report.csv",
        "testdata/examples",
    ]);
    assert_eq!(status(&with_report, "1.13"), "pass");
    assert_eq!(status(&with_report, "1.12"), "pass");
}
