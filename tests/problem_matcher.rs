//! The problem matcher in `.github/` (also a VS Code `problemMatcher`) applied to real `gcc`
//! output: file, line, column, severity, message and code are captured.

mod common;

use common::{json, root, run};

struct Matcher {
    regex: regex::Regex,
    groups: serde_json::Value,
}

fn matcher() -> Matcher {
    let text =
        std::fs::read_to_string(root().join(".github/cislint-problem-matcher.json")).unwrap();
    let doc = json(&text);
    let m = &doc["problemMatcher"][0];
    assert_eq!(m["owner"], "cislint");
    let pattern = &m["pattern"][0];
    Matcher {
        regex: regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap(),
        groups: pattern.clone(),
    }
}

/// The captures of a line, by the matcher's own group numbers.
fn apply(m: &Matcher, line: &str) -> Option<[String; 6]> {
    let caps = m.regex.captures(line)?;
    let get = |key: &str| {
        let i = m.groups[key].as_u64().unwrap() as usize;
        caps.get(i)
            .map(|c| c.as_str().to_string())
            .unwrap_or_default()
    };
    Some([
        get("file"),
        get("line"),
        get("column"),
        get("severity"),
        get("message"),
        get("code"),
    ])
}

#[test]
fn the_matcher_captures_real_gcc_output() {
    let m = matcher();
    let out = run(
        &[
            "--format",
            "gcc",
            "--show-undetermined",
            "--show-suppressed",
            "tests/data/formats",
        ],
        &root(),
    );
    let lines: Vec<&str> = out.stdout.lines().collect();
    let captured: Vec<[String; 6]> = lines.iter().filter_map(|l| apply(&m, l)).collect();
    let s = |a: [&str; 6]| a.map(String::from);
    assert_eq!(
        captured,
        vec![
            s([
                "tests/data/formats/main.tf",
                "21",
                "34",
                "error",
                "`aws_security_group.bastion` admits `0.0.0.0/0` to port 22 (SSH)",
                "ec2-sg-ingress-ssh"
            ]),
            s([
                "tests/data/formats/main.tf",
                "32",
                "1",
                "error",
                "KMS key `aws_kms_key.plain` does not rotate automatically: `enable_key_rotation` is not set and defaults to false",
                "kms-key-rotation"
            ]),
            s([
                "tests/data/formats/stack.yaml",
                "11",
                "19",
                "error",
                "`Rdp` admits `0.0.0.0/0` to port 3389 (RDP)",
                "ec2-sg-ingress-rdp"
            ]),
            s([
                "tests/data/formats/stack.yaml",
                "12",
                "3",
                "error",
                "KMS key `Key` does not rotate automatically: `EnableKeyRotation` is not set and defaults to false",
                "kms-key-rotation"
            ]),
            s([
                "tests/data/formats/main.tf",
                "28",
                "1",
                "warning",
                "undetermined: KMS key `aws_kms_key.maybe[0]` does not rotate automatically: `enable_key_rotation` is not set and defaults to false",
                "kms-key-rotation"
            ]),
            s([
                "tests/data/formats/stack.yaml",
                "17",
                "13",
                "warning",
                "suppression of `4.1` matches no finding; remove it",
                "unused-suppression"
            ]),
        ]
    );
    // The suppressed finding is a `note`, which the matcher leaves alone.
    assert_eq!(lines.len(), captured.len() + 1);
    assert!(
        lines
            .iter()
            .any(|l| l.contains(": note: suppressed:") && apply(&m, l).is_none())
    );
}

#[test]
fn the_matcher_handles_awkward_paths_and_messages() {
    let m = matcher();
    let got = apply(
        &m,
        "dir: with colon/a b.tf:3:7: warning: x: y [z] [kms-key-rotation CIS 2.8]",
    )
    .unwrap();
    assert_eq!(got[0], "dir: with colon/a b.tf");
    assert_eq!(
        (got[1].as_str(), got[2].as_str(), got[3].as_str()),
        ("3", "7", "warning")
    );
    assert_eq!(got[4], "x: y [z]");
    assert_eq!(got[5], "kms-key-rotation");
    assert!(apply(&m, "main.tf:3: error: no column [x]").is_none());
    assert!(apply(&m, "1 finding in 1 file").is_none());
}

#[test]
fn the_readme_vs_code_task_uses_the_same_pattern() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("\"tasks\": [")
        .expect("VS Code task in the README");
    let block = &readme[readme[..start].rfind("```json").unwrap() + 7..];
    let block = &block[..block.find("```").unwrap()];
    let task = json(block);
    let readme_regexp = &task["tasks"][0]["problemMatcher"]["pattern"]["regexp"];
    let m = json(
        &std::fs::read_to_string(root().join(".github/cislint-problem-matcher.json")).unwrap(),
    );
    assert_eq!(
        readme_regexp,
        &m["problemMatcher"][0]["pattern"][0]["regexp"]
    );
}
