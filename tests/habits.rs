//! Editor and command-line habits: help on one screen, version, completions, `--output`,
//! `--quiet`, `--fail-on`, exit statuses, stdin with `--stdin-filename`, and module context
//! for named files (what pre-commit and editors pass).

mod common;

use common::{json, root, run, run_with, scratch};

#[test]
fn help_fits_one_screen_and_shows_examples() {
    let r = run(&["--help"], &root());
    assert_eq!(r.code, 0);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines.len() <= 50, "{} lines:\n{}", lines.len(), r.stdout);
    assert!(
        lines.iter().all(|l| l.chars().count() <= 100),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Examples:"));
    assert!(r.stdout.contains("Exit status: 0"));
    for flag in [
        "--format",
        "--output",
        "--config",
        "--fail-on",
        "--baseline",
        "--write-baseline",
        "--stdin-filename",
        "--quiet",
        "--statistics",
        "--show-suppressed",
        "--all-findings",
    ] {
        assert!(r.stdout.contains(flag), "{flag} missing from --help");
    }
    assert_eq!(run(&["-h"], &root()).stdout, r.stdout);
}

#[test]
fn version_and_completions() {
    let r = run(&["--version"], &root());
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, concat!("cislint ", env!("CARGO_PKG_VERSION"), "\n"))
    );
    for (shell, marker) in [
        ("bash", "_cislint()"),
        ("zsh", "#compdef cislint"),
        ("fish", "complete -c cislint"),
    ] {
        let r = run(&["completions", shell], &root());
        assert_eq!(r.code, 0, "{shell}");
        assert!(
            r.stdout.contains(marker),
            "{shell}: {}",
            &r.stdout[..200.min(r.stdout.len())]
        );
        assert!(
            r.stdout.contains("stdin-filename"),
            "{shell} completes flags"
        );
    }
    assert_eq!(run(&["completions", "powershell"], &root()).code, 2);
}

#[test]
fn output_file_quiet_and_fail_on() {
    let dir = scratch(&[("main.tf", "resource \"aws_kms_key\" \"k\" {}\n")]);
    let r = run(
        &["--format", "sarif", "--output", "out/cislint.sarif", "."],
        dir.path(),
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.stdout, "");
    let sarif = json(&std::fs::read_to_string(dir.path().join("out/cislint.sarif")).unwrap());
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "kms-key-rotation");
    // Medium finding: fails at low and medium, not at high or none.
    for (level, code) in [("low", 1), ("medium", 1), ("high", 0), ("none", 0)] {
        assert_eq!(
            run(&["--fail-on", level, "."], dir.path()).code,
            code,
            "{level}"
        );
    }
    let quiet = run(&["--quiet", "."], dir.path());
    assert!(
        quiet.stdout.starts_with("error[kms-key-rotation CIS 2.8]"),
        "{}",
        quiet.stdout
    );
    assert!(!quiet.stdout.contains("1 finding in 1 file"));
    let loud = run(&["."], dir.path());
    assert!(loud.stdout.ends_with("\n1 finding in 1 file\n"));
    // Errors win over findings: exit 2.
    std::fs::write(dir.path().join("bad.tf"), "resource {\n").unwrap();
    assert_eq!(run(&["."], dir.path()).code, 2);
}

const MODULE_MAIN: &str =
    "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n";
const MODULE_VARS: &str =
    "variable \"rotate\" {\n  default = false\n}\n\nresource \"aws_kms_key\" \"other\" {}\n";

#[test]
fn a_named_file_is_evaluated_in_its_module_and_only_its_findings_are_reported() {
    let dir = scratch(&[
        ("mod/main.tf", MODULE_MAIN),
        ("mod/variables.tf", MODULE_VARS),
    ]);
    let r = run(&["--format", "gcc", "mod/main.tf"], dir.path());
    // The variable's default, in another file of the module, decides the finding.
    assert_eq!(
        r.stdout,
        "mod/main.tf:2:25: error: KMS key `aws_kms_key.k` does not rotate automatically [kms-key-rotation CIS 2.8]\n"
    );
    assert_eq!(r.code, 1);
    let all = run(
        &["--format", "gcc", "--all-findings", "mod/main.tf"],
        dir.path(),
    );
    assert_eq!(all.stdout.lines().count(), 2);
    assert!(
        all.stdout
            .contains("mod/variables.tf:5:1: error: KMS key `aws_kms_key.other`")
    );
    // Both files named: both reported.
    let both = run(
        &["--format", "gcc", "mod/main.tf", "mod/variables.tf"],
        dir.path(),
    );
    assert_eq!(both.stdout.lines().count(), 2);
}

#[test]
fn stdin_stands_in_for_the_named_file() {
    let dir = scratch(&[
        ("mod/main.tf", MODULE_MAIN),
        ("mod/variables.tf", MODULE_VARS),
    ]);
    // An editor buffer with unsaved changes: the buffer is scanned, not the file on disk.
    let fixed = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = true\n}\n";
    let r = run_with(
        &["--format", "gcc", "--stdin-filename", "mod/main.tf", "-"],
        dir.path(),
        Some(fixed),
    );
    assert_eq!((r.code, r.stdout.as_str()), (0, ""));
    // A new file that does not exist yet, in the module's context.
    let new = "\n\nresource \"aws_kms_key\" \"n\" {\n  enable_key_rotation = var.rotate\n}\n";
    let r = run_with(
        &["--format", "gcc", "--stdin-filename", "mod/new.tf", "-"],
        dir.path(),
        Some(new),
    );
    assert_eq!(
        r.stdout,
        "mod/new.tf:4:25: error: KMS key `aws_kms_key.n` does not rotate automatically [kms-key-rotation CIS 2.8]\n"
    );
    // A CloudFormation template from stdin.
    let cfn = "Resources:\n  Key:\n    Type: AWS::KMS::Key\n";
    let r = run_with(
        &["--format", "gcc", "--stdin-filename", "stack.yaml", "-"],
        dir.path(),
        Some(cfn),
    );
    assert!(
        r.stdout.starts_with("stack.yaml:2:3: error: KMS key `Key`"),
        "{}",
        r.stdout
    );
    // `-` without a name, and a name without `-`, are usage errors.
    let r = run_with(&["-"], dir.path(), Some(fixed));
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        "cislint: reading stdin (`-`) needs --stdin-filename NAME\n"
    );
    assert_eq!(run(&["--stdin-filename", "x.tf", "."], dir.path()).code, 2);
}

#[test]
fn the_readme_documents_every_flag_and_subcommand() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let help = run(&["--help"], &root()).stdout;
    let flags: Vec<&str> = help
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| {
            w.starts_with("--")
                && w.len() > 2
                && w[2..].chars().all(|c| c.is_ascii_lowercase() || c == '-')
        })
        .collect();
    assert!(flags.len() >= 20, "{flags:?}");
    for flag in flags {
        if flag == "--help" || flag == "--version" {
            continue;
        }
        assert!(
            readme.contains(&format!("`{flag}")),
            "README does not document {flag}"
        );
    }
    for sub in [
        "cislint rules",
        "cislint explain",
        "cislint config",
        "cislint completions",
    ] {
        assert!(readme.contains(sub), "README does not show {sub}");
    }
}
