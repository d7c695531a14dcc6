//! Every suppression form, through the binary's JSON output: what is suppressed (rule, line,
//! column), with which reason, and what is warned about (code, line, column).

mod common;

use common::{json, run, scratch};
use serde_json::Value;

/// (rule, file, line, column) of each finding in a JSON list.
fn places(list: &Value) -> Vec<(String, String, u64, u64)> {
    list.as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// (code, line, column) of each warning.
fn warnings(doc: &Value) -> Vec<(String, u64, u64)> {
    doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_string(),
                w["line"].as_u64().unwrap_or(0),
                w["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn scan(files: &[(&str, &str)], extra: &[&str]) -> Value {
    let dir = scratch(files);
    let mut args = vec!["--format", "json", "--show-suppressed"];
    args.extend_from_slice(extra);
    args.push(".");
    let r = run(&args, dir.path());
    assert!(r.code == 0 || r.code == 1, "{}\n{}", r.stdout, r.stderr);
    json(&r.stdout)
}

fn p(rule: &str, file: &str, line: u64, col: u64) -> (String, String, u64, u64) {
    (rule.into(), file.into(), line, col)
}

fn w(code: &str, line: u64, col: u64) -> (String, u64, u64) {
    (code.into(), line, col)
}

const SG: &str = r#"resource "aws_security_group" "sg" {
  ingress {
    from_port = 22
    to_port   = 22
    protocol  = "tcp"
    cidr_blocks = [
      "0.0.0.0/0",
    ]
  }
}
"#;

#[test]
fn terraform_comment_above_a_resource_covers_all_its_findings() {
    let tf = "# cislint:ignore[2.2] validated by the SIEM pipeline\n\
              # cislint:ignore[cloudtrail-kms-encryption,2.4] logs stay in a locked account\n\
              resource \"aws_cloudtrail\" \"t\" {\n  is_multi_region_trail = true\n}\n";
    let doc = scan(&[("main.tf", tf)], &["--select", "2"]);
    assert_eq!(places(&doc["findings"]), vec![]);
    let sup = places(&doc["suppressed"]);
    assert_eq!(
        sup,
        vec![
            p("cloudtrail-cloudwatch-logs", "./main.tf", 3, 1),
            p("cloudtrail-kms-encryption", "./main.tf", 3, 1),
            p("cloudtrail-log-file-validation", "./main.tf", 3, 1),
        ]
    );
    assert_eq!(
        doc["suppressed"][2]["suppression"],
        serde_json::json!({"reason": "validated by the SIEM pipeline", "file": "./main.tf", "line": 1, "column": 1})
    );
    assert_eq!(doc["summary"]["suppressed"], 3);
    assert_eq!(warnings(&doc), vec![]);
}

#[test]
fn terraform_comment_above_an_enclosing_attribute_or_at_the_end_of_a_line() {
    // Above the multi-line attribute whose item is the finding.
    let above = SG.replace(
        "    cidr_blocks",
        "    # cislint:ignore[4.1] VPN range pending\n    cidr_blocks",
    );
    let doc = scan(&[("main.tf", &above)], &["--select", "4.1"]);
    assert_eq!(places(&doc["findings"]), vec![]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![p("ec2-sg-ingress-ssh", "./main.tf", 8, 7)]
    );
    // At the end of the finding's own line, `//` style.
    let trailing = SG.replace(
        "\"0.0.0.0/0\",",
        "\"0.0.0.0/0\", // cislint:ignore[ec2-sg-ingress-ssh] VPN",
    );
    let doc = scan(&[("main.tf", &trailing)], &["--select", "4.1"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![p("ec2-sg-ingress-ssh", "./main.tf", 7, 7)]
    );
    // At the end of the enclosing block's line: the whole block.
    let block = SG.replace(
        "  ingress {",
        "  ingress { # cislint:ignore[4] whole section",
    );
    let doc = scan(&[("main.tf", &block)], &["--select", "4.1"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![p("ec2-sg-ingress-ssh", "./main.tf", 7, 7)]
    );
    // At the end of the resource header.
    let header = SG.replace("\"sg\" {", "\"sg\" { # cislint:ignore[4.1] lab");
    let doc = scan(&[("main.tf", &header)], &["--select", "4.1"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![p("ec2-sg-ingress-ssh", "./main.tf", 7, 7)]
    );
}

#[test]
fn a_suppression_elsewhere_or_for_another_rule_does_not_apply() {
    // Another rule on the right line: not suppressed, and reported as unused.
    let other = SG.replace(
        "    cidr_blocks",
        "    # cislint:ignore[4.2] wrong control\n    cidr_blocks",
    );
    let doc = scan(&[("main.tf", &other)], &["--select", "4"]);
    assert_eq!(
        places(&doc["findings"]),
        vec![p("ec2-sg-ingress-ssh", "./main.tf", 8, 7)]
    );
    assert_eq!(warnings(&doc), vec![w("unused-suppression", 6, 5)]);
    // A blank line between comment and resource: the comment covers nothing.
    let detached = format!("# cislint:ignore[4.1] detached\n\n{SG}");
    let doc = scan(&[("main.tf", &detached)], &["--select", "4.1"]);
    assert_eq!(
        places(&doc["findings"]),
        vec![p("ec2-sg-ingress-ssh", "./main.tf", 9, 7)]
    );
    assert_eq!(warnings(&doc), vec![w("unused-suppression", 1, 1)]);
    // Inside a string, it is no comment at all.
    let string =
        "resource \"aws_kms_key\" \"k\" {\n  description = \"# cislint:ignore[2.8] no\"\n}\n";
    let doc = scan(&[("main.tf", string)], &["--select", "2.8"]);
    assert_eq!(
        places(&doc["findings"]),
        vec![p("kms-key-rotation", "./main.tf", 1, 1)]
    );
    assert_eq!(warnings(&doc), vec![]);
    // A suppression of a control that did not run is not called unused.
    let doc = scan(&[("main.tf", &other)], &["--select", "4.1"]);
    assert_eq!(warnings(&doc), vec![]);
}

#[test]
fn expiry_reason_and_form_warnings() {
    let tf = "# cislint:ignore[2.8] until=2999-12-31 rotation arrives with the HSM\n\
              resource \"aws_kms_key\" \"future\" {}\n\
              # cislint:ignore[2.8] until=2000-01-01 was temporary\n\
              resource \"aws_kms_key\" \"past\" {}\n\
              # cislint:ignore[2.8]\n\
              resource \"aws_kms_key\" \"bare\" {}\n\
              # cislint:ignore[2.8] until=2024-02-30 bad date\n\
              resource \"aws_kms_key\" \"bad\" {}\n\
              # cislint:ignore 2.8 no brackets\n\
              resource \"aws_kms_key\" \"malformed\" {}\n\
              # cislint:ignore[9.9] not a control\n\
              resource \"aws_kms_key\" \"unknown\" {}\n";
    let doc = scan(&[("main.tf", tf)], &["--select", "2.8"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![
            p("kms-key-rotation", "./main.tf", 2, 1),
            p("kms-key-rotation", "./main.tf", 6, 1)
        ]
    );
    assert_eq!(
        doc["suppressed"][0]["suppression"]["reason"],
        "rotation arrives with the HSM"
    );
    assert_eq!(doc["suppressed"][1]["suppression"]["reason"], Value::Null);
    assert_eq!(
        places(&doc["findings"]),
        vec![
            p("kms-key-rotation", "./main.tf", 4, 1),
            p("kms-key-rotation", "./main.tf", 8, 1),
            p("kms-key-rotation", "./main.tf", 10, 1),
            p("kms-key-rotation", "./main.tf", 12, 1),
        ]
    );
    assert_eq!(
        warnings(&doc),
        vec![
            w("expired-suppression", 3, 1),
            w("suppression-without-reason", 5, 1),
            w("invalid-suppression", 7, 1),
            w("invalid-suppression", 9, 1),
            w("invalid-suppression", 11, 1),
        ]
    );
    let msgs: Vec<&str> = doc["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        msgs[0],
        "suppression of `2.8` expired on 2000-01-01 and no longer applies"
    );
    assert!(
        msgs[2].contains("`until=2024-02-30` is not a date"),
        "{}",
        msgs[2]
    );
    assert!(
        msgs[4].contains("`9.9`, which is not a control"),
        "{}",
        msgs[4]
    );
    // Warnings do not change the exit status: only the findings do.
    let dir = scratch(&[(
        "main.tf",
        "# cislint:ignore[2.8]\nresource \"aws_kms_key\" \"k\" {}\n",
    )]);
    let r = run(&["."], dir.path());
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stdout.contains("warning[suppression-without-reason]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .ends_with("0 findings in 1 file, 1 suppressed (--show-suppressed), 1 warning\n"),
        "{}",
        r.stdout
    );
}

const CFN_METADATA: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
    Metadata:
      cislint:
        ignore:
          - rule: "2.8"
            reason: rotated by the key ceremony
  Bare:
    Type: AWS::KMS::Key
    Metadata:
      cislint:
        ignore: [kms-key-rotation]
  Expired:
    Type: AWS::KMS::Key
    Metadata:
      cislint:
        ignore:
          - {rule: "2.8", reason: old, until: "2001-01-01"}
  # cislint:ignore[2.8] the comment form works in YAML too
  Commented:
    Type: AWS::KMS::Key
  Open:
    Type: AWS::KMS::Key
    Properties:
      # cislint:ignore[2.8] on the property
      EnableKeyRotation: false
"#;

#[test]
fn cloudformation_metadata_and_yaml_comments() {
    let doc = scan(&[("stack.yaml", CFN_METADATA)], &["--select", "2.8"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![
            p("kms-key-rotation", "./stack.yaml", 3, 3),
            p("kms-key-rotation", "./stack.yaml", 10, 3),
            p("kms-key-rotation", "./stack.yaml", 22, 3),
            p("kms-key-rotation", "./stack.yaml", 28, 26),
        ]
    );
    assert_eq!(
        doc["suppressed"][0]["suppression"]["reason"],
        "rotated by the key ceremony"
    );
    assert_eq!(doc["suppressed"][0]["suppression"]["line"], 8);
    assert_eq!(
        places(&doc["findings"]),
        vec![p("kms-key-rotation", "./stack.yaml", 15, 3)]
    );
    assert_eq!(
        warnings(&doc),
        vec![
            w("suppression-without-reason", 14, 18),
            w("expired-suppression", 20, 13)
        ]
    );
}

#[test]
fn cloudformation_json_metadata() {
    let tpl = r#"{
  "Resources": {
    "Key": {
      "Type": "AWS::KMS::Key",
      "Metadata": {"cislint": {"ignore": [{"rule": "kms-key-rotation", "reason": "managed"}]}}
    }
  }
}
"#;
    let doc = scan(&[("stack.json", tpl)], &["--select", "2.8"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![p("kms-key-rotation", "./stack.json", 3, 5)]
    );
    assert_eq!(places(&doc["findings"]), vec![]);
}

#[test]
fn sam_metadata_covers_the_role_the_transform_creates() {
    // The execution role is not written in the template: the function's metadata (and a
    // comment on its `Policies`) suppress findings on it, and neither is unused.
    let tpl = r#"Transform: AWS::Serverless-2016-10-31
Resources:
  Admin:
    Type: AWS::Serverless::Function
    Metadata:
      cislint:
        ignore: [{rule: "1.24", reason: break-glass function}]
    Properties:
      Policies:
        - Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
  Other:
    Type: AWS::Serverless::Function
    Properties:
      # cislint:ignore[1.24] reviewed
      Policies:
        - Statement: [{Effect: Allow, Action: "*", Resource: "*"}]
  Open:
    Type: AWS::Serverless::Function
    Properties:
      Policies: [Statement: [{Effect: Allow, Action: "*", Resource: "*"}]]
"#;
    let doc = scan(&[("template.yaml", tpl)], &["--select", "1.24"]);
    assert_eq!(
        places(&doc["suppressed"]),
        vec![
            p("iam-policy-full-admin", "./template.yaml", 10, 23),
            p("iam-policy-full-admin", "./template.yaml", 16, 23),
        ]
    );
    assert_eq!(
        doc["suppressed"][0]["suppression"]["reason"],
        "break-glass function"
    );
    assert_eq!(
        places(&doc["findings"]),
        vec![p("iam-policy-full-admin", "./template.yaml", 20, 30)]
    );
    // Named as the deployed stack names it, with the path of an `AWS::IAM::Role` policy.
    assert_eq!(doc["findings"][0]["resource"], "OpenRole");
    assert_eq!(
        doc["findings"][0]["path"],
        "Policies[0].PolicyDocument.Statement[0]"
    );
    assert_eq!(warnings(&doc), vec![]);
}

#[test]
fn suppressed_findings_are_counted_and_listed_only_on_request() {
    let dir = scratch(&[(
        "main.tf",
        "# cislint:ignore[2.8] fine\nresource \"aws_kms_key\" \"k\" {}\n",
    )]);
    let r = run(&["--format", "json", "."], dir.path());
    let doc = json(&r.stdout);
    assert_eq!(doc["summary"]["suppressed"], 1);
    assert!(doc.get("suppressed").is_none());
    let r = run(&["--show-suppressed", "."], dir.path());
    assert!(
        r.stdout.contains(
            "suppressed[kms-key-rotation CIS 2.8]: ./main.tf:2:1: KMS key `aws_kms_key.k`"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("(fine)"));
}
