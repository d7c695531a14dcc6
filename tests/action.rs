//! The GitHub Action: `action.yml` is parsed, and its `run:` steps are executed here as the
//! runner would (same scripts, same environment mapping from inputs), against a simulated
//! GitHub environment: `GITHUB_STEP_SUMMARY`, `GITHUB_OUTPUT`, `GITHUB_PATH` and
//! `GITHUB_WORKSPACE` point at temporary files.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cislint::source::FileId;
use cislint::value::Node;
use common::{json, root, scratch};

fn action() -> Node {
    let text = std::fs::read_to_string(root().join("action.yml")).unwrap();
    cislint::parse::yaml::parse(FileId(0), &text).expect("action.yml is YAML")
}

fn steps() -> Vec<Node> {
    action()
        .get("runs")
        .unwrap()
        .get("steps")
        .unwrap()
        .items()
        .to_vec()
}

fn str_of<'a>(n: &'a Node, key: &str) -> &'a str {
    n.get(key).and_then(Node::as_str).unwrap_or_default()
}

/// The step named `name`.
fn step(name: &str) -> Node {
    steps()
        .into_iter()
        .find(|s| str_of(s, "name") == name)
        .unwrap_or_else(|| panic!("no step {name}"))
}

/// Evaluates the `${{ … }}` expressions the steps use.
fn expand(value: &str, inputs: &BTreeMap<&str, &str>, temp: &Path) -> String {
    let mut out = value.to_string();
    while let Some(start) = out.find("${{") {
        let end = out[start..].find("}}").expect("closed expression") + start;
        let expr = out[start + 3..end].trim().to_string();
        let v = if let Some(name) = expr.strip_prefix("inputs.") {
            inputs
                .get(name)
                .map(|s| s.to_string())
                .unwrap_or_else(|| default_of(name))
        } else {
            match expr.as_str() {
                "github.action_path" => root().display().to_string(),
                "runner.temp" => temp.display().to_string(),
                other => panic!("unexpected expression {other}"),
            }
        };
        out.replace_range(start..end + 2, &v);
    }
    out
}

fn default_of(input: &str) -> String {
    let a = action();
    str_of(a.get("inputs").unwrap().get(input).unwrap(), "default").to_string()
}

/// What running a step left behind.
struct Ran {
    code: i32,
    stdout: String,
    summary: String,
    output: String,
    path: String,
}

/// Runs step `name`'s `run:` with bash, as a composite action does, in `workspace`.
fn run_step(name: &str, inputs: &[(&str, &str)], workspace: &Path, extra_path: &[PathBuf]) -> Ran {
    let s = step(name);
    assert_eq!(str_of(&s, "shell"), "bash");
    let inputs: BTreeMap<&str, &str> = inputs.iter().copied().collect();
    let gh = tempfile::tempdir().unwrap();
    let files = ["summary.md", "output", "path"].map(|f| gh.path().join(f));
    for f in &files {
        std::fs::write(f, "").unwrap();
    }
    let mut cmd = Command::new("bash");
    cmd.arg("-e")
        .arg("-c")
        .arg(str_of(&s, "run"))
        .current_dir(workspace);
    if let Some(env) = s.get("env").and_then(Node::as_map) {
        for (k, v) in env.iter() {
            cmd.env(
                &k.name,
                expand(v.as_str().unwrap_or_default(), &inputs, gh.path()),
            );
        }
    }
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cislint"));
    let mut path = extra_path.to_vec();
    path.push(bin.parent().unwrap().to_path_buf());
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    cmd.env("PATH", std::env::join_paths(path).unwrap())
        .env("GITHUB_STEP_SUMMARY", &files[0])
        .env("GITHUB_OUTPUT", &files[1])
        .env("GITHUB_PATH", &files[2])
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("CISLINT");
    let out = cmd.output().expect("run bash");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    Ran {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        summary: read(&files[0]),
        output: read(&files[1]),
        path: read(&files[2]),
    }
}

#[test]
fn action_yml_is_a_composite_action_with_the_promised_inputs() {
    let a = action();
    assert_eq!(str_of(a.get("runs").unwrap(), "using"), "composite");
    let inputs: Vec<&str> = a
        .get("inputs")
        .unwrap()
        .as_map()
        .unwrap()
        .iter()
        .map(|(k, _)| k.name.as_str())
        .collect();
    assert_eq!(
        inputs,
        [
            "paths",
            "scope",
            "format",
            "fail-on",
            "config",
            "sarif-file"
        ]
    );
    let cache = &steps()[0];
    assert!(str_of(cache, "uses").starts_with("actions/cache@"));
    let with = cache.get("with").unwrap();
    assert_eq!(str_of(with, "path"), "${{ runner.temp }}/cislint");
    assert!(str_of(with, "key").contains("${{ github.action_ref || github.sha }}"));
    let install = step("Install cislint");
    assert_eq!(
        str_of(install.get("env").unwrap(), "CISLINT_ROOT"),
        "${{ runner.temp }}/cislint"
    );
}

#[test]
fn install_step_builds_from_the_action_checkout() {
    let temp = tempfile::tempdir().unwrap();
    // A stand-in `cargo` that records its arguments and "installs" a binary.
    let fake = temp.path().join("fakebin");
    std::fs::create_dir(&fake).unwrap();
    let log = temp.path().join("cargo.log");
    let script = format!(
        "#!/usr/bin/env bash\necho \"$@\" >> '{}'\nwhile [[ $# -gt 0 ]]; do if [[ $1 == --root ]]; then mkdir -p \"$2/bin\"; printf '#!/bin/sh\\n' > \"$2/bin/cislint\"; chmod +x \"$2/bin/cislint\"; fi; shift; done\n",
        log.display()
    );
    std::fs::write(fake.join("cargo"), script).unwrap();
    Command::new("chmod")
        .arg("+x")
        .arg(fake.join("cargo"))
        .status()
        .unwrap();
    let ws = tempfile::tempdir().unwrap();
    let first = run_step(
        "Install cislint",
        &[],
        ws.path(),
        std::slice::from_ref(&fake),
    );
    assert_eq!(first.code, 0, "{}", first.stdout);
    let recorded = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<&str> = recorded.lines().collect();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with(&format!(
            "install --locked --path {} --root ",
            root().display()
        )),
        "{recorded}"
    );
    let installed_root = lines[0].rsplit(' ').next().unwrap();
    assert!(installed_root.ends_with("/cislint"), "{installed_root}");
    assert_eq!(first.path, format!("{installed_root}/bin\n"));
}

const VIOLATION: &str = "resource \"aws_kms_key\" \"logs\" {}\n";

#[test]
fn run_step_annotates_summarises_and_writes_sarif() {
    let ws = scratch(&[("infra/main.tf", VIOLATION), ("README.md", "not ours\n")]);
    let r = run_step(
        "Run cislint",
        &[("paths", "infra"), ("sarif-file", "results/cislint.sarif")],
        ws.path(),
        &[],
    );
    assert_eq!(r.code, 1, "findings fail the step\n{}", r.stdout);
    assert_eq!(
        r.stdout,
        "::error file=infra/main.tf,line=1,col=1,endLine=1,endColumn=30,title=kms-key-rotation (CIS 2.8)::KMS key `aws_kms_key.logs` does not rotate automatically: `enable_key_rotation` is not set and defaults to false%0Ahelp: set `enable_key_rotation = true`\n1 finding in 1 file\n"
    );
    assert!(
        r.summary
            .starts_with("## cislint: CIS AWS Foundations Benchmark v1.1.0\n"),
        "{}",
        r.summary
    );
    assert!(
        r.summary.contains("### CIS 2.8 `kms-key-rotation`"),
        "{}",
        r.summary
    );
    assert!(
        r.summary
            .contains("| medium | [infra/main.tf:1:1](infra/main.tf#L1) | `aws_kms_key.logs` |"),
        "{}",
        r.summary
    );
    assert_eq!(r.output, "sarif-file=results/cislint.sarif\nexit-code=1\n");
    let sarif = json(&std::fs::read_to_string(ws.path().join("results/cislint.sarif")).unwrap());
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "kms-key-rotation");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/main.tf"
    );
}

#[test]
fn run_step_with_the_problem_matcher_and_a_threshold() {
    let ws = scratch(&[("main.tf", VIOLATION)]);
    let r = run_step(
        "Run cislint",
        &[("format", "gcc"), ("fail-on", "high")],
        ws.path(),
        &[],
    );
    // The only finding is medium: reported, but below the threshold.
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(
        r.stdout,
        format!(
            "::add-matcher::{}/.github/cislint-problem-matcher.json\nmain.tf:1:1: error: KMS key `aws_kms_key.logs` does not rotate automatically: `enable_key_rotation` is not set and defaults to false [kms-key-rotation CIS 2.8]\n::remove-matcher owner=cislint::\n",
            root().display()
        )
    );
    assert_eq!(r.output, "exit-code=0\n");
    assert!(r.summary.contains("`aws_kms_key.logs`"));
}

#[test]
fn run_step_reads_the_config_input_and_rejects_unknown_formats() {
    let ws = scratch(&[
        ("main.tf", VIOLATION),
        ("ci/cislint.toml", "select = [\"4\"]\n"),
    ]);
    let r = run_step(
        "Run cislint",
        &[("config", "ci/cislint.toml")],
        ws.path(),
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(r.stdout, "0 findings in 1 file\n");
    assert!(r.summary.contains("No findings."), "{}", r.summary);
    let r = run_step("Run cislint", &[("format", "sarif")], ws.path(), &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stdout
            .starts_with("::error title=cislint::format must be github or gcc")
    );
}
