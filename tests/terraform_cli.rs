//! The Terraform options of the command line: `--var`, `--var-file` (in command-line order),
//! `TF_VAR_` variables, `--plan-source`, `--stats`, and the "module not resolved" info line.

use std::path::{Path, PathBuf};
use std::process::Command;

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform")
        .join(name)
}

fn run(args: &[&str], env: &[(&str, &str)]) -> (serde_json::Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cislint"));
    cmd.args(args).args([
        "--format",
        "json",
        "--select",
        "ec2-sg-ingress-ssh,ec2-sg-ingress-rdp",
    ]);
    cmd.env_clear();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (json, stderr)
}

/// `rule@line` of every finding, and of every undetermined one with a `?`.
fn summary(d: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for (key, mark) in [("findings", ""), ("undetermined", "?")] {
        for f in d[key].as_array().unwrap() {
            out.push(format!(
                "{}@{}{mark}",
                f["rule"].as_str().unwrap(),
                f["line"]
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn var_option_gives_a_variable_its_value() {
    let dir = case("var-without-value");
    let dir = dir.to_str().unwrap();
    let (d, _) = run(&[dir], &[]);
    assert_eq!(
        summary(&d),
        ["ec2-sg-ingress-rdp@13?", "ec2-sg-ingress-ssh@13?"]
    );
    let (d, _) = run(&[dir, "--var", "port=22"], &[]);
    assert_eq!(summary(&d), ["ec2-sg-ingress-ssh@13"]);
    let (d, _) = run(&[dir], &[("TF_VAR_port", "3389")]);
    assert_eq!(summary(&d), ["ec2-sg-ingress-rdp@13"]);
    // -var beats the environment.
    let (d, _) = run(&[dir, "--var", "port=22"], &[("TF_VAR_port", "3389")]);
    assert_eq!(summary(&d), ["ec2-sg-ingress-ssh@13"]);
}

#[test]
fn var_files_and_vars_apply_in_command_line_order() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("ports.tfvars");
    std::fs::write(&file, "port = 3389\n").unwrap();
    let file = file.to_str().unwrap();
    let dir = case("var-without-value");
    let dir = dir.to_str().unwrap();
    let (d, _) = run(&[dir, "--var", "port=22", "--var-file", file], &[]);
    assert_eq!(summary(&d), ["ec2-sg-ingress-rdp@13"]);
    let (d, _) = run(&[dir, "--var-file", file, "--var", "port=22"], &[]);
    assert_eq!(summary(&d), ["ec2-sg-ingress-ssh@13"]);
    // A missing var file is an error, not silence.
    let (d, _) = run(&[dir, "--var-file", "/nonexistent/x.tfvars"], &[]);
    assert_eq!(d["errors"].as_array().unwrap().len(), 1);
}

#[test]
fn tfvars_files_beat_the_environment() {
    // terraform.tfvars sets ssh_port = "22"; TF_VAR_ssh_port is lower in precedence.
    let (d, _) = run(
        &[case("tfvars-number").to_str().unwrap()],
        &[("TF_VAR_ssh_port", "3389")],
    );
    assert_eq!(summary(&d), ["ec2-sg-ingress-ssh@19"]);
}

#[test]
fn complex_values_from_the_command_line_are_parsed_as_hcl() {
    let dir = case("dynamic-blocks");
    let (d, _) = run(
        &[dir.to_str().unwrap(), "--var", r#"extra=[{port = 3389}]"#],
        &[],
    );
    assert_eq!(
        summary(&d),
        ["ec2-sg-ingress-rdp@37", "ec2-sg-ingress-ssh@23"]
    );
    // The value's origin is the command line.
    let dir = case("tfvars-number");
    let (d, _) = run(
        &[dir.to_str().unwrap(), "--var", r#"cidrs=["0.0.0.0/0"]"#],
        &[],
    );
    let l = &d["findings"][0]["labels"][1];
    assert_eq!(
        (l["file"].as_str(), l["column"].as_u64()),
        (Some("<--var cidrs>"), Some(8)),
        "{l}"
    );
}

#[test]
fn plan_source_maps_a_plan_elsewhere_to_its_configuration() {
    let tmp = tempfile::tempdir().unwrap();
    let plan = tmp.path().join("plan.json");
    std::fs::copy(case("plan-mapped").join("tfplan.json"), &plan).unwrap();
    let (d, _) = run(&[plan.to_str().unwrap()], &[]);
    for f in d["findings"].as_array().unwrap() {
        assert!(f["file"].as_str().unwrap().ends_with("plan.json"), "{f}");
    }
    // The configuration lies beside the plan, inside the project root (the plan's directory).
    let src = tmp.path().join("plan-mapped");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::copy(case("plan-mapped").join("main.tf"), src.join("main.tf")).unwrap();
    let (d, _) = run(
        &[
            plan.to_str().unwrap(),
            "--plan-source",
            src.to_str().unwrap(),
        ],
        &[],
    );
    let files: Vec<&str> = d["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 3);
    assert!(
        files.iter().all(|f| f.ends_with("plan-mapped/main.tf")),
        "{files:?}"
    );
    // A configuration outside the root is not read: a usage error names the root.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args([plan.to_str().unwrap(), "--plan-source"])
        .arg(case("plan-mapped"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("lies outside the project root"), "{stderr}");
}

#[test]
fn stats_and_unresolved_modules_in_text_mode() {
    let out = Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args([
            case("modules-unresolved").to_str().unwrap(),
            "--stats",
            "--color",
            "never",
            "--lang",
            "en",
        ])
        .env_clear()
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("stats: 1 module instances"), "{stderr}");
    assert_eq!(stdout.matches("module not resolved").count(), 2, "{stdout}");
    assert!(
        stdout.contains(
            "main.tf:3:1: module not resolved: module.vpc (source `terraform-aws-modules/vpc/aws`)"
        ),
        "{stdout}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "unresolved modules are not errors"
    );
}
