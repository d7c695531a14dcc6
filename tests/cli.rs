//! End-to-end: the built binary on fixtures — JSON contract, text output, exit statuses,
//! bad input next to good input, files that are not ours.

use std::path::{Path, PathBuf};
use std::process::Command;

fn cislint(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args(args)
        .current_dir(cwd)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env("NO_COLOR", "1")
        .output()
        .expect("run cislint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_contract_on_the_example() {
    let (code, stdout, _) = cislint(&["--format", "json", "testdata/examples"], &root());
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("stdout is only JSON");
    assert_eq!(doc["version"], 1);
    let findings = doc["findings"].as_array().unwrap();
    let ssh = findings
        .iter()
        .find(|f| f["rule"] == "ec2-sg-ingress-ssh")
        .expect("the open SSH port is found");
    assert_eq!(ssh["cis"], serde_json::json!(["4.1"]));
    assert_eq!(ssh["file"], "testdata/examples/main.tf");
    assert_eq!(
        (ssh["line"].as_u64(), ssh["column"].as_u64()),
        (Some(25), Some(34))
    );
    assert_eq!(
        (ssh["end_line"].as_u64(), ssh["end_column"].as_u64()),
        (Some(25), Some(45))
    );
    assert_eq!(ssh["resource"], "aws_security_group.bastion");
    assert_eq!(ssh["severity"], "high");
    assert!(ssh["message"].as_str().unwrap().contains("0.0.0.0/0"));
    // Sorted by file, line, column, rule.
    let keys: Vec<(u64, u64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(doc["errors"], serde_json::json!([]));
    assert_eq!(
        doc["summary"]["findings"].as_u64(),
        Some(findings.len() as u64)
    );
}

#[test]
fn text_output_shows_the_snippet_and_fix() {
    let (code, stdout, _) = cislint(&["--select", "4.1", "testdata/examples"], &root());
    assert_eq!(code, 1);
    assert!(
        stdout.contains("error[ec2-sg-ingress-ssh CIS 4.1]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--> testdata/examples/main.tf:25:34"),
        "{stdout}"
    );
    assert!(
        stdout.contains(r#"cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]"#),
        "{stdout}"
    );
    assert!(stdout.contains("^^^^^^^^^^^"), "{stdout}");
    assert!(stdout.contains("= help: restrict the source"), "{stdout}");
    assert!(stdout.contains("1 finding in 1 file"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "no colour when NO_COLOR is set");
}

#[test]
fn japanese_messages() {
    let (_, stdout, _) = cislint(
        &["--select", "4.1", "--lang", "ja", "testdata/examples"],
        &root(),
    );
    assert!(
        stdout.contains("からポート 22（SSH）への接続を許可しています"),
        "{stdout}"
    );
}

#[test]
fn exit_zero_when_clean_and_skips_files_that_are_not_iac() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  web:\n    image: x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("package.json"),
        "{\"name\": \"x\", \"version\": \"1\"}",
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.yml"), "a: [unclosed\n").unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(&["--format", "json", "."], dir.path());
    assert_eq!(code, 0, "{stdout}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["errors"], serde_json::json!([]));
}

#[test]
fn bad_input_is_an_error_with_position_and_the_rest_is_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("bad")).unwrap();
    std::fs::create_dir(dir.path().join("good")).unwrap();
    std::fs::write(
        dir.path().join("bad/main.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = \n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad/template.yaml"),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("good/main.tf"),
        "resource \"aws_kms_key\" \"k\" {}\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(&["--format", "json", "."], dir.path());
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let errors = doc["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["file"], "./bad/main.tf");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(2), Some(25))
    );
    assert_eq!(errors[1]["file"], "./bad/template.yaml");
    assert_eq!(errors[1]["line"].as_u64(), Some(4));
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["file"], "./good/main.tf");
    assert_eq!(findings[0]["rule"], "kms-key-rotation");

    let (code, stdout, _) = cislint(&["--color", "never", "."], dir.path());
    assert_eq!(code, 2);
    assert!(stdout.contains("--> ./bad/main.tf:2:25"), "{stdout}");
}

#[test]
fn usage_errors_exit_two() {
    let (code, _, stderr) = cislint(&["--format", "nope"], &root());
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = cislint(&["--select", "9.9"], &root());
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown control"));
    let (code, stdout, _) = cislint(&["does-not-exist"], &root());
    assert_eq!(code, 2);
    assert!(stdout.contains("does-not-exist"));
}

#[test]
fn rules_and_explain() {
    let (code, stdout, _) = cislint(&["rules", "--format", "json"], &root());
    assert_eq!(code, 0);
    let rules: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), 52);
    assert_eq!(rules[24]["cis"], "2.1");
    assert_eq!(rules[24]["rule"], "cloudtrail-multi-region");
    let (code, stdout, _) = cislint(&["explain", "2.1"], &root());
    assert_eq!(code, 0);
    assert!(stdout.starts_with("CIS 2.1 — Ensure CloudTrail is enabled in all regions"));
    assert!(stdout.contains("is_multi_region_trail"));
    let (_, by_id, _) = cislint(&["explain", "cloudtrail-multi-region"], &root());
    assert_eq!(by_id, stdout);
    let (_, ja, _) = cislint(&["explain", "2.1", "--lang", "ja"], &root());
    assert!(ja.contains("全リージョンでCloudTrailが有効であること"));
    let (code, _, _) = cislint(&["explain", "7.7"], &root());
    assert_eq!(code, 2);
}

/// `.terraform/` is skipped; `.gitignore` outside a git work tree is not consulted (git would
/// not either): `tests/root.rs` has the work-tree cases.
#[test]
fn terraform_cache_is_skipped_and_gitignore_needs_a_work_tree() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join(".gitignore"), "ignored/\n").unwrap();
    for d in ["ignored", ".terraform/modules/x", "kept"] {
        std::fs::create_dir_all(p.join(d)).unwrap();
        std::fs::write(
            p.join(d).join("main.tf"),
            "resource \"aws_kms_key\" \"k\" {}\n",
        )
        .unwrap();
    }
    let (_, stdout, _) = cislint(&["--format", "json", "."], p);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["./ignored/main.tf", "./kept/main.tf"]);
}

#[test]
fn credential_report_findings_and_malformed_csv() {
    let (code, stdout, _) = cislint(
        &[
            "--format",
            "json",
            "--as-of",
            "2026-11-28",
            "--credential-report",
            "testdata/1-iam/1.13-iam-root-mfa/fail-report/credential-report.csv",
            "testdata/1-iam/1.13-iam-root-mfa/fail-report",
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["iam-root-mfa", "iam-root-access-key"]);
    assert_eq!(doc["findings"][0]["resource"], "<root_account>");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("report.csv"),
        "user,arn,password_enabled,mfa_active,access_key_1_active\nalice,\"open\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(
        &["--format", "json", "--credential-report", "report.csv", "."],
        dir.path(),
    );
    assert_eq!(code, 2);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["errors"][0]["file"], "report.csv");
    assert_eq!(doc["errors"][0]["line"].as_u64(), Some(2));
    let (code, _, stderr) = cislint(&["--as-of", "yesterday"], dir.path());
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn a_file_named_without_a_directory_is_evaluated_in_its_module() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_kms_key\" \"k\" {}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("other.tf"),
        "resource \"aws_kms_key\" \"j\" {}\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(&["--format", "json", "main.tf"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec!["main.tf"]);
}
