//! The pre-commit hook, end to end: `pre-commit try-repo` installs this repository's hook
//! (`language: rust`, so pre-commit runs `cargo install`) into a scratch git repository and
//! runs it on the files named. Skipped, with a notice, when pre-commit is not installed
//! (`.ci/run` installs it).
//!
//! The build is shared between runs: `PRE_COMMIT_HOME` and `CARGO_TARGET_DIR` live under
//! `target/`, and the release profile is unoptimised here, since only behaviour is tested.

mod common;

use std::path::Path;
use std::process::Command;

use cislint::source::FileId;
use cislint::value::Node;
use common::root;

#[test]
fn the_hook_definition_matches_what_pre_commit_passes() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let doc = cislint::parse::yaml::parse(FileId(0), &text).unwrap();
    let hook = &doc.items()[0];
    let get = |k: &str| {
        hook.get(k)
            .and_then(Node::as_str)
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(get("id"), "cislint");
    assert_eq!(get("entry"), "cislint");
    assert_eq!(get("language"), "rust");
    let files = regex::Regex::new(&get("files")).unwrap();
    for name in [
        "main.tf",
        "a/b.tf.json",
        "stack.yaml",
        "stack.yml",
        "plan.json",
        "x.template",
    ] {
        assert!(files.is_match(name), "{name} should be passed to the hook");
    }
    for name in [
        "README.md",
        "main.tfvars",
        ".terraform.lock.hcl",
        "tf",
        "yaml.txt",
    ] {
        assert!(!files.is_match(name), "{name} should not be passed");
    }
}

fn pre_commit_available() -> bool {
    Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn git(repo: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .current_dir(repo)
        .status()
        .expect("git")
        .success();
    assert!(ok, "git {args:?}");
}

/// Runs the hook through `pre-commit try-repo` on `files` of `repo`.
fn try_repo(repo: &Path, files: &[&str]) -> (i32, String) {
    let target = root().join("target");
    let mut cmd = Command::new("pre-commit");
    cmd.arg("try-repo")
        .arg(root())
        .arg("cislint")
        .arg("--files")
        .args(files)
        .current_dir(repo)
        .env("PRE_COMMIT_HOME", target.join("pre-commit-home"))
        .env("CARGO_TARGET_DIR", target.join("pre-commit-cargo"))
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        .env("GIT_AUTHOR_NAME", "cislint test")
        .env("GIT_AUTHOR_EMAIL", "test@example.invalid")
        .env("GIT_COMMITTER_NAME", "cislint test")
        .env("GIT_COMMITTER_EMAIL", "test@example.invalid")
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL");
    let out = cmd.output().expect("run pre-commit");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_hook_fails_on_a_violation_and_passes_once_fixed() {
    if !pre_commit_available() {
        common::skip(
            "the_hook_fails_on_a_violation_and_passes_once_fixed",
            "pre-commit not installed (pip install pre-commit)",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    // The variable's default in another file of the module decides the finding in main.tf.
    std::fs::write(
        repo.join("variables.tf"),
        "variable \"rotate\" {\n  default = false\n}\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("main.tf"),
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rotate\n}\n",
    )
    .unwrap();
    std::fs::write(repo.join("package.json"), "{\"name\": \"x\"}\n").unwrap();
    git(repo, &["add", "."]);

    let (code, out) = try_repo(repo, &["main.tf", "package.json"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("- hook id: cislint"), "{out}");
    assert!(
        out.contains(
            "error[kms-key-rotation CIS 2.8]: KMS key `aws_kms_key.k` does not rotate automatically"
        ),
        "{out}"
    );
    assert!(out.contains("--> main.tf:2:25"), "{out}");
    // Both files of the module were read; the finding is in the one named.
    assert!(out.contains("1 finding in 2 files"), "{out}");

    std::fs::write(
        repo.join("variables.tf"),
        "variable \"rotate\" {\n  default = true\n}\n",
    )
    .unwrap();
    git(repo, &["add", "."]);
    let (code, out) = try_repo(repo, &["main.tf"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");
}
