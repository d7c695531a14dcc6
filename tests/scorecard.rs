//! The 52-control scorecard: every status arises where it should, in resource and account
//! scope.

use std::path::PathBuf;
use std::process::Command;

use cislint::scope::Scope;

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

/// Every status each control can reach, in each scope (README, "Account scope and the
/// scorecard"), shown by a case: (CIS number, case, status in the resources scope, status
/// in the account scope). `every_reachable_status_is_shown` checks that the table covers
/// exactly the statuses `reachable` allows.
#[rustfmt::skip]
const TABLE: &[(&str, &str, &str, &str)] = &[
    ("1.1", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "fail", "fail"),
    ("1.1", "testdata/1-iam/1.01-iam-root-account-usage/pass-report", "pass", "pass"),
    ("1.1", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.2", "testdata/1-iam/1.02-iam-console-user-mfa/fail-report", "fail", "fail"),
    ("1.2", "testdata/1-iam/1.02-iam-console-user-mfa/pass-report", "pass", "pass"),
    ("1.2", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.3", "testdata/1-iam/1.03-iam-unused-credentials/fail-report", "fail", "fail"),
    ("1.3", "testdata/1-iam/1.03-iam-unused-credentials/pass-report", "pass", "pass"),
    ("1.3", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.4", "testdata/1-iam/1.04-iam-access-key-rotation/fail-report", "fail", "fail"),
    ("1.4", "testdata/1-iam/1.04-iam-access-key-rotation/pass-report", "pass", "pass"),
    ("1.4", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.5", "testdata/1-iam/1.05-iam-password-policy-uppercase/fail-plan", "fail", "fail"),
    ("1.5", "testdata/1-iam/1.05-iam-password-policy-uppercase/pass-tf", "pass", "pass"),
    ("1.5", "testdata/1-iam/1.05-iam-password-policy-uppercase/undetermined-tf", "undetermined", "undetermined"),
    ("1.5", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.5", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.6", "testdata/1-iam/1.06-iam-password-policy-lowercase/fail-plan", "fail", "fail"),
    ("1.6", "testdata/1-iam/1.06-iam-password-policy-lowercase/pass-tf", "pass", "pass"),
    ("1.6", "testdata/1-iam/1.06-iam-password-policy-lowercase/undetermined-tf", "undetermined", "undetermined"),
    ("1.6", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.6", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.7", "testdata/1-iam/1.07-iam-password-policy-symbol/fail-plan", "fail", "fail"),
    ("1.7", "testdata/1-iam/1.07-iam-password-policy-symbol/pass-tf", "pass", "pass"),
    ("1.7", "testdata/1-iam/1.07-iam-password-policy-symbol/undetermined-tf", "undetermined", "undetermined"),
    ("1.7", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.7", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.8", "testdata/1-iam/1.08-iam-password-policy-number/fail-plan", "fail", "fail"),
    ("1.8", "testdata/1-iam/1.08-iam-password-policy-number/pass-tf", "pass", "pass"),
    ("1.8", "testdata/1-iam/1.08-iam-password-policy-number/undetermined-tf", "undetermined", "undetermined"),
    ("1.8", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.8", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.9", "testdata/1-iam/1.09-iam-password-policy-min-length/fail-plan", "fail", "fail"),
    ("1.9", "testdata/1-iam/1.09-iam-password-policy-min-length/pass-tf", "pass", "pass"),
    ("1.9", "testdata/1-iam/1.09-iam-password-policy-min-length/undetermined-tf", "undetermined", "undetermined"),
    ("1.9", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.9", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.10", "testdata/1-iam/1.10-iam-password-policy-reuse-prevention/fail-plan", "fail", "fail"),
    ("1.10", "testdata/1-iam/1.10-iam-password-policy-reuse-prevention/pass-tf", "pass", "pass"),
    ("1.10", "testdata/1-iam/1.10-iam-password-policy-reuse-prevention/undetermined-tf", "undetermined", "undetermined"),
    ("1.10", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.10", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.11", "testdata/1-iam/1.11-iam-password-policy-max-age/fail-plan", "fail", "fail"),
    ("1.11", "testdata/1-iam/1.11-iam-password-policy-max-age/pass-tf", "pass", "pass"),
    ("1.11", "testdata/1-iam/1.11-iam-password-policy-max-age/undetermined-tf", "undetermined", "undetermined"),
    ("1.11", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.11", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.12", "testdata/1-iam/1.12-iam-root-access-key/fail-report", "fail", "fail"),
    ("1.12", "testdata/1-iam/1.12-iam-root-access-key/pass-report", "pass", "pass"),
    ("1.12", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.13", "testdata/1-iam/1.13-iam-root-mfa/fail-report", "fail", "fail"),
    ("1.13", "testdata/1-iam/1.13-iam-root-mfa/pass-report", "pass", "pass"),
    ("1.13", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.14", "tests/data/scorecard/nothing-cfn", "manual", "manual"),
    ("1.15", "tests/data/scorecard/nothing-cfn", "manual", "manual"),
    ("1.16", "testdata/1-iam/1.16-iam-policy-attached-to-user/fail-cfn-json", "fail", "fail"),
    ("1.16", "testdata/1-iam/1.16-iam-policy-attached-to-user/pass-cfn-yaml", "pass", "pass"),
    ("1.16", "testdata/1-iam/1.16-iam-policy-attached-to-user/undetermined-tf", "undetermined", "undetermined"),
    ("1.16", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.17", "testdata/1-iam/1.17-billing-detailed-reports/fail-cfn-yaml", "not-found", "fail"),
    ("1.17", "testdata/1-iam/1.17-billing-detailed-reports/pass-cfn-yaml", "pass", "pass"),
    ("1.17", "testdata/1-iam/1.17-billing-detailed-reports/undetermined-tf", "undetermined", "undetermined"),
    ("1.17", "testdata/1-iam/1.17-billing-detailed-reports/fail-tf-no-bucket", "fail", "fail"),
    ("1.17", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.18", "testdata/1-iam/1.18-iam-master-manager-roles/fail-cfn-yaml", "not-found", "fail"),
    ("1.18", "testdata/1-iam/1.18-iam-master-manager-roles/pass-cfn-yaml", "pass", "pass"),
    ("1.18", "testdata/1-iam/1.18-iam-master-manager-roles/undetermined-cfn-yaml", "not-found", "undetermined"),
    ("1.18", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.19", "testdata/1-iam/1.19-account-contact-details/manual-tf-contact", "manual", "manual"),
    ("1.20", "testdata/1-iam/1.20-account-security-contact/fail-plan", "not-found", "fail"),
    ("1.20", "testdata/1-iam/1.20-account-security-contact/pass-tf", "pass", "pass"),
    ("1.20", "tests/data/scorecard/nothing-cfn", "not-applicable", "not-applicable"),
    ("1.20", "testdata/1-iam/1.20-account-security-contact/undetermined-tf", "not-found", "undetermined"),
    ("1.20", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.21", "testdata/1-iam/1.21-ec2-instance-profile/fail-cfn-json", "fail", "fail"),
    ("1.21", "testdata/1-iam/1.21-ec2-instance-profile/pass-cfn-yaml", "pass", "pass"),
    ("1.21", "testdata/1-iam/1.21-ec2-instance-profile/undetermined-cfn-yaml", "undetermined", "undetermined"),
    ("1.21", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.22", "testdata/1-iam/1.22-iam-support-role/fail-cfn-yaml", "not-found", "fail"),
    ("1.22", "testdata/1-iam/1.22-iam-support-role/pass-cfn-yaml", "pass", "pass"),
    ("1.22", "testdata/1-iam/1.22-iam-support-role/undetermined-tf", "not-found", "undetermined"),
    ("1.22", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("1.23", "testdata/1-iam/1.23-iam-access-key-initial-setup/fail-cfn-json", "fail", "fail"),
    ("1.23", "testdata/1-iam/1.23-iam-access-key-initial-setup/pass-cfn-yaml", "pass", "pass"),
    ("1.23", "testdata/1-iam/1.23-iam-access-key-initial-setup/undetermined-tf", "undetermined", "undetermined"),
    ("1.23", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("1.24", "testdata/1-iam/1.24-iam-policy-full-admin/fail-cfn-json", "fail", "fail"),
    ("1.24", "testdata/1-iam/1.24-iam-policy-full-admin/pass-cfn-yaml", "pass", "pass"),
    ("1.24", "testdata/1-iam/1.24-iam-policy-full-admin/undetermined-tf", "undetermined", "undetermined"),
    ("1.24", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("2.1", "testdata/2-logging/2.01-cloudtrail-multi-region/fail-cfn-json", "fail", "fail"),
    ("2.1", "testdata/2-logging/2.01-cloudtrail-multi-region/pass-cfn-yaml", "pass", "pass"),
    ("2.1", "testdata/2-logging/2.01-cloudtrail-multi-region/undetermined-cfn-yaml", "undetermined", "undetermined"),
    ("2.1", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("2.2", "testdata/2-logging/2.02-cloudtrail-log-file-validation/fail-cfn-json", "fail", "fail"),
    ("2.2", "testdata/2-logging/2.02-cloudtrail-log-file-validation/pass-cfn-json", "pass", "pass"),
    ("2.2", "testdata/2-logging/2.02-cloudtrail-log-file-validation/undetermined-cfn-json", "undetermined", "undetermined"),
    ("2.2", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("2.3", "testdata/2-logging/2.03-cloudtrail-bucket-not-public/fail-cfn-json", "fail", "fail"),
    ("2.3", "testdata/2-logging/2.03-cloudtrail-bucket-not-public/pass-cfn-yaml", "pass", "pass"),
    ("2.3", "testdata/2-logging/2.03-cloudtrail-bucket-not-public/undetermined-tf", "undetermined", "undetermined"),
    ("2.3", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("2.4", "testdata/2-logging/2.04-cloudtrail-cloudwatch-logs/fail-cfn-yaml", "fail", "fail"),
    ("2.4", "testdata/2-logging/2.04-cloudtrail-cloudwatch-logs/pass-cfn-yaml", "pass", "pass"),
    ("2.4", "testdata/2-logging/2.04-cloudtrail-cloudwatch-logs/undetermined-tf", "undetermined", "undetermined"),
    ("2.4", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("2.5", "testdata/2-logging/2.05-config-recorder-all-resources/fail-cfn", "fail", "fail"),
    ("2.5", "testdata/2-logging/2.05-config-recorder-all-resources/pass-cfn", "pass", "pass"),
    ("2.5", "testdata/2-logging/2.05-config-recorder-all-resources/undetermined-cfn-no-channel", "undetermined", "undetermined"),
    ("2.5", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("2.6", "testdata/2-logging/2.06-cloudtrail-bucket-access-logging/fail-cfn", "fail", "fail"),
    ("2.6", "testdata/2-logging/2.06-cloudtrail-bucket-access-logging/pass-cfn", "pass", "pass"),
    ("2.6", "testdata/2-logging/2.06-cloudtrail-bucket-access-logging/undetermined-cfn-conditional", "undetermined", "undetermined"),
    ("2.6", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("2.7", "testdata/2-logging/2.07-cloudtrail-kms-encryption/fail-cfn-json", "fail", "fail"),
    ("2.7", "testdata/2-logging/2.07-cloudtrail-kms-encryption/pass-cfn-yaml", "pass", "pass"),
    ("2.7", "testdata/2-logging/2.07-cloudtrail-kms-encryption/undetermined-tf", "undetermined", "undetermined"),
    ("2.7", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("2.8", "testdata/2-logging/2.08-kms-key-rotation/fail-cfn-json", "fail", "fail"),
    ("2.8", "testdata/2-logging/2.08-kms-key-rotation/pass-cfn-yaml", "pass", "pass"),
    ("2.8", "testdata/2-logging/2.08-kms-key-rotation/undetermined-tf", "undetermined", "undetermined"),
    ("2.8", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("3.1", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.1", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.1", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.1", "testdata/3-monitoring/chains/fail-plan", "fail", "fail"),
    ("3.1", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.2", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.2", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.2", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.2", "testdata/3-monitoring/chains/fail-tf-no-alarms", "fail", "fail"),
    ("3.2", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.3", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.3", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.3", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.3", "testdata/3-monitoring/chains/fail-plan", "fail", "fail"),
    ("3.3", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.4", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.4", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.4", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.4", "testdata/3-monitoring/chains/fail-plan", "fail", "fail"),
    ("3.4", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.5", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.5", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.5", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.5", "testdata/3-monitoring/chains/fail-plan", "fail", "fail"),
    ("3.5", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.6", "testdata/3-monitoring/chains/fail-cfn", "fail", "fail"),
    ("3.6", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.6", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.6", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.7", "testdata/3-monitoring/chains/fail-cfn", "fail", "fail"),
    ("3.7", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.7", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.7", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.8", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.8", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.8", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.8", "testdata/3-monitoring/chains/fail-tf-no-alarms", "fail", "fail"),
    ("3.8", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.9", "testdata/3-monitoring/chains/fail-cfn", "fail", "fail"),
    ("3.9", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.9", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.9", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.10", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.10", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.10", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.10", "testdata/3-monitoring/chains/fail-tf-no-alarms", "fail", "fail"),
    ("3.10", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.11", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.11", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.11", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.11", "testdata/3-monitoring/chains/fail-tf-no-alarms", "fail", "fail"),
    ("3.11", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.12", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.12", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.12", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.12", "testdata/3-monitoring/chains/fail-tf-no-alarms", "fail", "fail"),
    ("3.12", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.13", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.13", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.13", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.13", "testdata/3-monitoring/chains/fail-tf-no-alarms", "fail", "fail"),
    ("3.13", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.14", "testdata/3-monitoring/chains/fail-cfn", "not-found", "fail"),
    ("3.14", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.14", "testdata/3-monitoring/chains/undetermined-tf-actions", "undetermined", "undetermined"),
    ("3.14", "testdata/3-monitoring/chains/fail-plan", "fail", "fail"),
    ("3.14", "testdata/1-iam/1.01-iam-root-account-usage/fail-report", "not-found", "not-found"),
    ("3.15", "testdata/3-monitoring/chains/fail-plan", "fail", "fail"),
    ("3.15", "testdata/3-monitoring/chains/pass-cfn", "pass", "pass"),
    ("3.15", "testdata/3-monitoring/chains/undetermined-tf-subscription", "undetermined", "undetermined"),
    ("3.15", "testdata/3-monitoring/chains/fail-cfn", "not-found", "not-found"),
    ("4.1", "testdata/4-networking/4.01-ec2-sg-ingress-ssh/fail-cfn-json", "fail", "fail"),
    ("4.1", "testdata/4-networking/4.01-ec2-sg-ingress-ssh/pass-cfn-json", "pass", "pass"),
    ("4.1", "testdata/4-networking/4.01-ec2-sg-ingress-ssh/undetermined-tf", "undetermined", "undetermined"),
    ("4.1", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("4.2", "testdata/4-networking/4.02-ec2-sg-ingress-rdp/fail-cfn-yaml", "fail", "fail"),
    ("4.2", "testdata/4-networking/4.02-ec2-sg-ingress-rdp/pass-cfn-yaml", "pass", "pass"),
    ("4.2", "testdata/4-networking/4.02-ec2-sg-ingress-rdp/undetermined-tf", "undetermined", "undetermined"),
    ("4.2", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("4.3", "testdata/4-networking/4.03-vpc-flow-logs/fail-cfn-json", "fail", "fail"),
    ("4.3", "testdata/4-networking/4.03-vpc-flow-logs/pass-cfn-yaml", "pass", "pass"),
    ("4.3", "testdata/4-networking/4.03-vpc-flow-logs/undetermined-tf", "undetermined", "undetermined"),
    ("4.3", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("4.4", "testdata/4-networking/4.04-ec2-default-sg-restricts-all/fail-cfn-json", "fail", "fail"),
    ("4.4", "testdata/4-networking/4.04-ec2-default-sg-restricts-all/pass-tf", "pass", "pass"),
    ("4.4", "testdata/4-networking/4.04-ec2-default-sg-restricts-all/undetermined-tf", "undetermined", "undetermined"),
    ("4.4", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
    ("4.5", "testdata/4-networking/4.05-vpc-peering-route-least-access/fail-cfn-json", "fail", "fail"),
    ("4.5", "testdata/4-networking/4.05-vpc-peering-route-least-access/pass-cfn-yaml", "pass", "pass"),
    ("4.5", "testdata/4-networking/4.05-vpc-peering-route-least-access/undetermined-tf", "undetermined", "undetermined"),
    ("4.5", "tests/data/scorecard/nothing-cfn", "not-found", "not-found"),
];

/// The statuses a control can reach in a scope: what the README's table says.
fn reachable(cis: &str, scope: Scope) -> Vec<&'static str> {
    let account = scope == Scope::Account;
    let (section, n) = cis.split_once('.').unwrap();
    let n: u32 = n.parse().unwrap();
    let mut s = match (section, n) {
        // Manual in every scope.
        ("1", 14 | 15 | 19) => return vec!["manual"],
        // The credential report decides them: no value of the code is unknown.
        ("1", 1..=4 | 12 | 13) => vec!["pass", "fail", "not-found"],
        // Presence only: the resources scope can show that the roles exist, never that
        // they do not.
        ("1", 18 | 22) if !account => vec!["pass", "not-found"],
        ("1", 20) if !account => vec!["pass", "not-found", "not-applicable"],
        _ => vec!["pass", "fail", "undetermined", "not-found"],
    };
    // Terraform only: a CloudFormation-only scan cannot express them.
    if section == "1" && matches!(n, 5..=11 | 20) && !s.contains(&"not-applicable") {
        s.push("not-applicable");
    }
    s.sort();
    s
}

/// Runs a case in both scopes: the status of every control, per scope.
fn statuses_of(case: &str) -> [std::collections::BTreeMap<String, String>; 2] {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(case);
    let report = dir.join("credential-report.csv");
    let as_of = std::fs::read_to_string(dir.join("expected.txt"))
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("# as-of:").map(|d| d.trim().to_string()))
        })
        .and_then(|d| cislint::credential_report::parse_day(&d));
    [Scope::Resources, Scope::Account].map(|scope| {
        let options = cislint::RunOptions {
            credential_report: report.is_file().then(|| report.clone()),
            as_of,
            scope,
            ..Default::default()
        };
        let all = |_: &str| true;
        let (scanned, outcome) =
            cislint::run_with_options(std::slice::from_ref(&dir), &options, &all);
        cislint::scorecard::compute(&cislint::scorecard::Inputs {
            outcome: &outcome,
            graph: &scanned.graph,
            scope,
            has_credential_report: options.credential_report.is_some(),
            selected: &all,
        })
        .into_iter()
        .map(|r| (r.entry.cis.clone(), r.status.as_str().to_string()))
        .collect()
    })
}

#[test]
fn every_reachable_status_is_shown() {
    let mut seen: std::collections::BTreeMap<(String, bool), Vec<&str>> = Default::default();
    let mut cache: std::collections::BTreeMap<
        &str,
        [std::collections::BTreeMap<String, String>; 2],
    > = Default::default();
    let mut wrong = Vec::new();
    for (cis, case, resources, account) in TABLE {
        let got = cache.entry(case).or_insert_with(|| statuses_of(case));
        for (i, want) in [resources, account].into_iter().enumerate() {
            let have = got[i].get(*cis).map(String::as_str).unwrap_or("");
            if have != *want {
                wrong.push(format!("{cis} {case} scope {i}: {have}, expected {want}"));
            }
            seen.entry((cis.to_string(), i == 1))
                .or_default()
                .push(want);
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    for e in cislint::catalog::all() {
        for (account, scope) in [(false, Scope::Resources), (true, Scope::Account)] {
            let mut shown = seen.remove(&(e.cis.clone(), account)).unwrap_or_default();
            shown.sort();
            shown.dedup();
            assert_eq!(
                shown,
                reachable(&e.cis, scope),
                "{} in {scope:?} scope",
                e.cis
            );
        }
    }
}

/// The JSON report of a run in `dir` with `args`.
fn json_in(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args(["--format", "json"])
        .args(args)
        .current_dir(dir)
        .env_remove("LANG")
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_named_file_gives_the_scorecard_of_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m");
    std::fs::create_dir(&m).unwrap();
    // The trail, with its findings, is in the file that is not named.
    std::fs::write(
        m.join("a.tf"),
        "resource \"aws_cloudtrail\" \"t\" {\n  name           = \"t\"\n  s3_bucket_name = \"b\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        m.join("b.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n",
    )
    .unwrap();
    for scope in ["resources", "account"] {
        let whole = json_in(dir.path(), &["--scope", scope, "m"]);
        let named = json_in(dir.path(), &["--scope", scope, "m/b.tf"]);
        assert_eq!(whole["controls"], named["controls"], "{scope} scope");
        assert_eq!(status(&named["controls"], "2.1"), "fail", "{scope} scope");
        // Only the named file's findings are listed: the module's absences, which belong
        // to no file, at its first line.
        let places: Vec<(String, u64, bool)> = named["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().unwrap().to_string(),
                    f["line"].as_u64().unwrap(),
                    f["absence"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        assert!(
            places
                .iter()
                .all(|(file, line, absence)| file == "m/b.tf" && *line == 1 && *absence),
            "{scope} scope: {places:?}"
        );
        assert_eq!(places.is_empty(), scope == "resources", "{places:?}");
    }
}

#[test]
fn an_accepted_violation_still_fails_its_control() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "# cislint:ignore[2.8] rotated by hand\nresource \"aws_kms_key\" \"k\" {}\n\nresource \"aws_kms_key\" \"other\" {}\n",
    )
    .unwrap();
    // Suppressed: not listed, but the control is not met.
    let suppressed = json_in(dir.path(), &["main.tf"]);
    assert_eq!(status(&suppressed["controls"], "2.8"), "fail");
    // In the baseline: not listed either, and still not met.
    let baseline = dir.path().join("baseline.json");
    let written = Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args(["--write-baseline", baseline.to_str().unwrap(), "main.tf"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(written.status.success());
    let baselined = json_in(dir.path(), &["--baseline", "baseline.json", "main.tf"]);
    assert_eq!(baselined["findings"], serde_json::json!([]));
    assert_eq!(status(&baselined["controls"], "2.8"), "fail");
    let row = baselined["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["cis"] == "2.8")
        .unwrap()
        .clone();
    assert_eq!(row["findings"], 2, "{row}");
}
