//! `--lang ja` text output is Japanese throughout: levels, `help`/`note` labels, notices,
//! statuses and the summary, with no line that mixes in English labels.

use std::process::Command;

const CODE: &str = r#"variable "cidr" {
  type = string
}

resource "aws_security_group" "open" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.cidr]
  }
}

# cislint:ignore[2.8]
resource "aws_kms_key" "k" {}

# cislint:ignore[4.3] no VPC here
resource "aws_s3_bucket" "b" {
  bucket = "b"
}
"#;

fn run(lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), CODE).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cislint"))
        .args([
            "--lang",
            lang,
            "--color",
            "never",
            "--show-undetermined",
            "--show-suppressed",
            "--scope",
            "account",
        ])
        .arg(dir.path())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// Labels and words that mark an English line of the text output.
const ENGLISH: &[&str] = &[
    "error[",
    "warning[",
    "note[",
    "help:",
    "note:",
    "info:",
    "suppressed[",
    "undetermined:",
    " pass ",
    " fail ",
    " not-found ",
    " undetermined ",
    " manual ",
    " not-applicable ",
];

#[test]
fn japanese_text_has_no_english_labels() {
    let ja = run("ja");
    // The output has each kind of line this test is about.
    for expected in [
        "エラー[ec2-sg-ingress-ssh CIS 4.1]",
        "注記[ec2-sg-ingress-rdp CIS 4.2]: 未確定:",
        "= 対処:",
        "= 注記: CIS AWS Foundations v1.1.0 §4.1",
        "警告[suppression-without-reason]",
        "抑制[kms-key-rotation CIS 2.8]",
        "スコアカード（スコープ: account）",
        "4.1   不合格",
        "1.14  手動確認",
        "2.1   不合格",
    ] {
        assert!(ja.contains(expected), "`{expected}` missing in:\n{ja}");
    }
    let mixed: Vec<&str> = ja
        .lines()
        .filter(|l| ENGLISH.iter().any(|w| format!("{l} ").contains(w)))
        .collect();
    assert!(mixed.is_empty(), "English in Japanese output:\n{mixed:#?}");
}

#[test]
fn english_text_keeps_its_labels() {
    let en = run("en");
    for expected in [
        "error[ec2-sg-ingress-ssh CIS 4.1]",
        "= help:",
        "warning[suppression-without-reason]",
        "4.1   fail",
    ] {
        assert!(en.contains(expected), "`{expected}` missing in:\n{en}");
    }
}
