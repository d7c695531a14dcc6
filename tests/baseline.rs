//! Baselines: recorded findings stay quiet through line moves and reformatting, new ones are
//! reported, entries that match nothing any more are listed.

mod common;

use common::{json, run, scratch};

const MAIN: &str = r#"resource "aws_kms_key" "old" {}

resource "aws_security_group" "sg" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}
"#;

fn findings(stdout: &str) -> Vec<(String, String, u64)> {
    json(stdout)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn recorded_findings_survive_line_moves_and_reformatting() {
    let dir = scratch(&[("infra/main.tf", MAIN)]);
    let root = dir.path();
    let r = run(
        &["--write-baseline", "cislint-baseline.json", "infra"],
        root,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "cislint: recorded 2 findings in cislint-baseline.json\n"
    );
    let b = json(&std::fs::read_to_string(root.join("cislint-baseline.json")).unwrap());
    assert_eq!(b["version"], 1);
    let entries: Vec<(String, String, String, String)> = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["rule"].as_str().unwrap().into(),
                e["unit"].as_str().unwrap().into(),
                e["resource"].as_str().unwrap().into(),
                e["path"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(entries.contains(&(
        "ec2-sg-ingress-ssh".into(),
        "infra".into(),
        "aws_security_group.sg".into(),
        "ingress[0].cidr_blocks[1]".into()
    )));
    assert!(entries.contains(&(
        "kms-key-rotation".into(),
        "infra".into(),
        "aws_kms_key.old".into(),
        "".into()
    )));

    // Lines move, the file is reformatted, and a new violation appears.
    let moved = format!(
        "# a comment that moves everything down\n\n\n{}\nresource \"aws_kms_key\" \"new\" {{}}\n",
        MAIN.replace(
            "    from_port   = 22",
            "    description = \"ssh\"\n    from_port = 22"
        )
        .replace("  ingress {", "\n  ingress   {")
    );
    std::fs::write(root.join("infra/main.tf"), &moved).unwrap();
    // From another directory, so that paths as reached differ too.
    let r = run(
        &[
            "--format",
            "json",
            "--baseline",
            "../cislint-baseline.json",
            ".",
        ],
        &root.join("infra"),
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        findings(&r.stdout),
        vec![("kms-key-rotation".into(), "aws_kms_key.new".into(), 17)]
    );
    let doc = json(&r.stdout);
    assert_eq!(doc["summary"]["baselined"], 2);
    assert_eq!(doc["warnings"], serde_json::json!([]));

    // Fixing a recorded violation makes its entry stale.
    std::fs::write(
        root.join("infra/main.tf"),
        moved.replace("\"0.0.0.0/0\"", "\"192.168.0.0/16\""),
    )
    .unwrap();
    let r = run(
        &[
            "--baseline",
            "cislint-baseline.json",
            "--format",
            "gcc",
            "infra",
        ],
        root,
    );
    assert_eq!(
        r.stdout,
        "infra/main.tf:17:1: error: KMS key `aws_kms_key.new` does not rotate automatically: `enable_key_rotation` is not set and defaults to false [kms-key-rotation CIS 2.8]\n\
         cislint-baseline.json: warning: baseline entry 4.1 `ec2-sg-ingress-ssh` on `aws_security_group.sg` at `ingress[0].cidr_blocks[1]` in infra matches no finding any more; rewrite the baseline with --write-baseline [stale-baseline-entry]\n"
    );
}

#[test]
fn a_second_equal_finding_is_new_and_other_modules_are_not_stale() {
    let dir = scratch(&[
        ("a/main.tf", MAIN),
        ("b/main.tf", "resource \"aws_kms_key\" \"k\" {}\n"),
    ]);
    let root = dir.path();
    assert_eq!(run(&["--write-baseline", "base.json", "."], root).code, 0);
    // Same resource address in another module: a different fingerprint.
    std::fs::write(root.join("c.tf"), "resource \"aws_kms_key\" \"old\" {}\n").unwrap();
    let r = run(&["--format", "json", "--baseline", "base.json", "."], root);
    assert_eq!(
        findings(&r.stdout),
        vec![("kms-key-rotation".into(), "aws_kms_key.old".into(), 1)]
    );
    // Scanning only module `a`: entries of `b` are not called stale.
    let r = run(&["--format", "json", "--baseline", "base.json", "a"], root);
    assert_eq!(findings(&r.stdout), vec![]);
    assert_eq!(json(&r.stdout)["warnings"], serde_json::json!([]));
    assert_eq!(r.code, 0);
}

#[test]
fn a_broken_baseline_is_an_error() {
    let dir = scratch(&[
        ("main.tf", MAIN),
        ("base.json", "{\"version\": 1, \"findings\": [{}]}"),
    ]);
    let r = run(&["--baseline", "base.json", "."], dir.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("cislint: base.json:1:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("not a cislint baseline"), "{}", r.stderr);
    let r = run(&["--baseline", "missing.json", "."], dir.path());
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.starts_with("cislint: missing.json: "),
        "{}",
        r.stderr
    );
}
