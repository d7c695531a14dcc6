//! Guard rules end to end: the binary with `--rules`, every output format, selection,
//! `guard-view`, and rules files that are broken or hostile. Exact locations of each rule
//! kind are in the fixture cases under `testdata/guard/` (run by `tests/fixtures.rs`).

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

const TF: &str = "testdata/guard/terraform";
const TF_RULES: &str = "testdata/guard/terraform/rules.guard";

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = cislint(args, &root());
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (code, v)
}

fn finding<'a>(v: &'a serde_json::Value, rule: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {v:#}"))
}

#[test]
fn json_findings_carry_the_rule_its_severity_and_no_cis_number() {
    let (code, v) = json(&[
        "--format", "json", "--rules", TF_RULES, "--select", "guard", TF,
    ]);
    assert_eq!(code, 1);
    let owner = finding(&v, "guard:bucket_owner_tag");
    assert_eq!(owner["severity"], "high", "from `# severity: high`");
    assert_eq!(owner["cis"], serde_json::json!([]));
    assert_eq!(owner["message"], "every bucket has an `owner` tag");
    assert_eq!(
        owner["help"],
        "`tags.owner` of `aws_s3_bucket.data` is not set, expected `%buckets[*].Properties.tags.owner EXISTS`"
    );
    assert_eq!(owner["resource"], "aws_s3_bucket.data");
    assert_eq!(
        (owner["line"].as_u64(), owner["column"].as_u64()),
        (Some(19), Some(1))
    );
    let monitoring = finding(&v, "guard:instance_monitoring");
    assert_eq!(monitoring["severity"], "medium", "the default");
    assert_eq!(monitoring["help"], serde_json::Value::Null);
    assert_eq!(
        (
            monitoring["line"].as_u64(),
            monitoring["column"].as_u64(),
            monitoring["end_column"].as_u64()
        ),
        (Some(33), Some(19), Some(24))
    );
    assert_eq!(v["summary"]["findings"], 4);
    assert_eq!(v["summary"]["undetermined"], 1);
    assert_eq!(v["summary"]["by_severity"]["high"], 1);
    assert_eq!(v["undetermined"][0]["rule"], "guard:bucket_acl_private");
}

#[test]
fn text_output_shows_the_snippet_and_where_the_rule_is_declared() {
    let (code, stdout, _) = cislint(
        &[
            "--rules",
            TF_RULES,
            "--select",
            "guard:bucket_owner_tag",
            "--no-summary",
            TF,
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let expected = "\
error[guard:bucket_owner_tag]: every bucket has an `owner` tag
  --> testdata/guard/terraform/main.tf:19:1
   |
19 | resource \"aws_s3_bucket\" \"data\" {
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: `tags.owner` of `aws_s3_bucket.data` is not set, expected `%buckets[*].Properties.tags.owner EXISTS`
   = note: Guard rule `bucket_owner_tag` (testdata/guard/terraform/rules.guard:8)

1 finding in 1 file
";
    assert_eq!(stdout, expected);
}

#[test]
fn html_report_lists_guard_findings() {
    let (code, stdout, _) = cislint(
        &[
            "--format", "html", "--rules", TF_RULES, "--select", "guard", TF,
        ],
        &root(),
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("<code>guard:bucket_owner_tag</code></h3>"),
        "{stdout}"
    );
    assert!(stdout.contains("Guard rule `bucket_owner_tag`"));
}

#[test]
fn guard_rules_are_selected_and_ignored_by_id() {
    let rules = |v: &serde_json::Value| -> Vec<String> {
        let mut r: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect();
        r.dedup();
        r
    };
    let (_, v) = json(&[
        "--format",
        "json",
        "--rules",
        TF_RULES,
        "--select",
        "guard:bucket_lifecycle",
        TF,
    ]);
    assert_eq!(rules(&v), ["guard:bucket_lifecycle"]);
    let (_, v) = json(&[
        "--format",
        "json",
        "--rules",
        TF_RULES,
        "--select",
        "guard",
        "--ignore",
        "guard:bucket_acl_private,guard:bucket_lifecycle",
        TF,
    ]);
    assert_eq!(
        rules(&v),
        ["guard:bucket_owner_tag", "guard:instance_monitoring"]
    );
    // Selecting CIS controls only leaves the Guard rules out, as any other rule.
    let (_, v) = json(&[
        "--format", "json", "--rules", TF_RULES, "--select", "1.21", TF,
    ]);
    assert!(
        rules(&v).iter().all(|r| r == "ec2-instance-profile"),
        "{:?}",
        rules(&v)
    );
    // Without --select, Guard findings come with the built-in ones.
    let (_, v) = json(&["--format", "json", "--rules", TF_RULES, TF]);
    let all = rules(&v);
    assert!(
        all.contains(&"ec2-instance-profile".to_string())
            && all.contains(&"guard:bucket_owner_tag".to_string())
    );
}

#[test]
fn guard_view_prints_the_terraform_view_and_templates_in_long_form() {
    let (code, stdout, _) = cislint(&["guard-view", "testdata/guard/terraform-unknown"], &root());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let doc = &v["testdata/guard/terraform-unknown"];
    let tagged = &doc["Resources"]["aws_s3_bucket.tagged_later"];
    assert_eq!(tagged["Type"], "aws_s3_bucket");
    assert_eq!(tagged["Properties"]["tags"], "(known after apply)");
    assert_eq!(
        tagged["Properties"]["versioning"],
        serde_json::json!([{"enabled": "(known after apply)"}])
    );
    assert!(doc["Resources"]["aws_s3_bucket.maybe[0]"].is_object());
    // Attributes keep the order they are written in.
    let keys: Vec<&String> = tagged["Properties"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["bucket", "tags", "versioning"]);

    let (code, stdout, _) = cislint(
        &["guard-view", "testdata/guard/cloudformation-yaml"],
        &root(),
    );
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let data = &v["testdata/guard/cloudformation-yaml/stack.yaml"]["Resources"]["Data"];
    assert_eq!(
        data["Properties"]["AccessControl"],
        serde_json::json!({"Ref": "Acl"})
    );
    assert_eq!(
        data["Properties"]["VersioningConfiguration"]["Status"],
        serde_json::json!({"Fn::If": ["IsProd", "Enabled", "Suspended"]})
    );
}

#[test]
fn whole_numbers_are_integers_to_guard() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        "resource \"aws_security_group_rule\" \"ssh\" {\n  from_port = 22\n  to_port = 22.5\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("ports.guard"),
        "rule no_ssh {\n  Resources.*[ Type == 'aws_security_group_rule' ].Properties.from_port != 22\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(&["guard-view", "."], dir.path());
    assert_eq!(code, 0);
    assert!(
        stdout.contains("\"from_port\": 22,") && stdout.contains("\"to_port\": 22.5"),
        "{stdout}"
    );
    let (code, stdout, _) = cislint(
        &["--rules", "ports.guard", "--select", "guard", "."],
        dir.path(),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("main.tf:2:15"), "{stdout}");
}

#[test]
fn rule_ids_must_be_unique_across_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.guard"),
        "rule same { Resources exists }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.guard"),
        "\n# severity: low\nrule same { Resources exists }\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a rules file").unwrap();
    std::fs::copy(root().join(TF).join("main.tf"), dir.path().join("main.tf")).unwrap();
    let (code, stdout, _) = cislint(
        &[
            "--rules",
            ".",
            "--select",
            "guard",
            "--no-summary",
            "main.tf",
        ],
        dir.path(),
    );
    assert_eq!(code, 2);
    assert!(
        stdout.contains("Guard rule id `guard:same` is already defined at ./a.guard:1:6"),
        "{stdout}"
    );
    assert!(stdout.contains("--> ./b.guard:3:6"), "{stdout}");
}

#[test]
fn unreadable_or_hostile_rules_are_errors_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(root().join(TF).join("main.tf"), dir.path().join("main.tf")).unwrap();
    let (code, stdout, _) = cislint(&["--rules", "nowhere.guard", "main.tf"], dir.path());
    assert_eq!(code, 2);
    assert!(
        stdout.contains("nowhere.guard: no such rules file or directory"),
        "{stdout}"
    );

    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let (code, stdout, _) = cislint(&["--rules", "empty", "main.tf"], dir.path());
    assert_eq!(code, 2);
    assert!(stdout.contains("no Guard rules files"), "{stdout}");

    let deep = format!(
        "rule deep {{ Resources.*.Properties.x IN {}1{} }}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    std::fs::write(dir.path().join("deep.guard"), deep).unwrap();
    let (code, stdout, _) = cislint(&["--rules", "deep.guard", "main.tf"], dir.path());
    assert_eq!(code, 2);
    assert!(stdout.contains("nested deeper than"), "{stdout}");

    std::fs::write(dir.path().join("bytes.guard"), b"rule a { x == \"\xff\" }").unwrap();
    let (code, stdout, _) = cislint(&["--rules", "bytes.guard", "main.tf"], dir.path());
    assert_eq!(code, 2);
    assert!(stdout.contains("not UTF-8"), "{stdout}");

    // Garbage of every kind: an error or nothing, never a panic.
    for junk in [
        "rule",
        "rule {",
        "}}}}",
        "let = ",
        "<< >>",
        "rule a { %x[ }",
        "rule a when { }",
        "\u{0}\u{1}",
    ] {
        std::fs::write(dir.path().join("junk.guard"), junk).unwrap();
        let (code, _, stderr) = cislint(&["--rules", "junk.guard", "main.tf"], dir.path());
        assert!(code == 2 || code == 1 || code == 0, "{junk}: {code}");
        assert!(!stderr.contains("panicked"), "{junk}: {stderr}");
    }
}

#[test]
fn output_is_deterministic() {
    let args = [
        "--format",
        "json",
        "--rules",
        "testdata/guard",
        "--select",
        "guard",
        "--show-undetermined",
        "testdata/guard",
    ];
    let (_, a, _) = cislint(&args, &root());
    let (_, b, _) = cislint(&args, &root());
    assert_eq!(a, b);
    assert!(a.contains("guard:cfn_bucket_owner") && a.contains("guard:plan_instance_type"));
}

const BUCKETS: &str = "\
# cislint:ignore[guard:bucket_tagged] scratch bucket, deleted nightly
resource \"aws_s3_bucket\" \"scratch\" {
  bucket = \"scratch\"
}

resource \"aws_s3_bucket\" \"data\" {
  bucket = \"data\"
}
";

const TAGGED: &str = "\
rule bucket_tagged {
    Resources.*[ Type == 'aws_s3_bucket' ].Properties.tags exists
}
";

#[test]
fn suppressions_apply_to_guard_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), BUCKETS).unwrap();
    std::fs::write(dir.path().join("tagged.guard"), TAGGED).unwrap();
    std::fs::write(
        dir.path().join("stack.yaml"),
        "Resources:\n  Kept:\n    Type: AWS::S3::Bucket\n    Metadata:\n      cislint:\n        ignore: [{rule: \"guard:cfn_tagged\", reason: legacy}]\n  Other:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("cfn.guard"),
        "rule cfn_tagged {\n    Resources.*[ Type == 'AWS::S3::Bucket' ].Properties.Tags exists\n}\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(
        &[
            "--format",
            "json",
            "--rules",
            "tagged.guard",
            "--rules",
            "cfn.guard",
            "--select",
            "guard",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let found: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["resource"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "guard:bucket_tagged aws_s3_bucket.data",
            "guard:cfn_tagged Other"
        ],
        "{stdout}"
    );
    assert!(stdout.contains("\"suppressed\": 2"), "{stdout}");
}

#[test]
fn baseline_and_configuration_cover_guard_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        BUCKETS.replace("# cislint:ignore", "# ignore"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    std::fs::write(dir.path().join("policies/tagged.guard"), TAGGED).unwrap();
    // `rules = [...]` in cislint.toml, relative to the file.
    std::fs::write(
        dir.path().join("cislint.toml"),
        "select = [\"guard\"]\nrules = [\"policies\"]\n",
    )
    .unwrap();
    let (code, stdout, _) = cislint(&["--format", "json", "."], dir.path());
    assert_eq!(code, 1, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["summary"]["findings"], 2, "{stdout}");
    // A baseline records Guard findings like any other, and then hides them.
    let (code, _, _) = cislint(&["--write-baseline", "baseline.json", "."], dir.path());
    assert_eq!(code, 0);
    let (code, stdout, _) = cislint(
        &["--format", "json", "--baseline", "baseline.json", "."],
        dir.path(),
    );
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["summary"]["findings"], 0, "{stdout}");
}

#[test]
fn sarif_describes_guard_rules() {
    let (code, stdout, _) = cislint(
        &[
            "--format", "sarif", "--rules", TF_RULES, "--select", "guard", TF,
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in run["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "{r:#}");
    }
    let owner = rules
        .iter()
        .find(|r| r["id"] == "guard:bucket_owner_tag")
        .unwrap();
    assert_eq!(owner["defaultConfiguration"]["level"], "error");
}

#[test]
fn gcc_lines_of_guard_rules_match_the_problem_matcher() {
    let (code, stdout, _) = cislint(
        &[
            "--format",
            "gcc",
            "--rules",
            TF_RULES,
            "--select",
            "guard:bucket_owner_tag",
            TF,
        ],
        &root(),
    );
    assert_eq!(code, 1);
    let line = stdout.lines().next().unwrap();
    assert_eq!(
        line,
        "testdata/guard/terraform/main.tf:19:1: error: every bucket has an `owner` tag [guard:bucket_owner_tag]"
    );
    let text =
        std::fs::read_to_string(root().join(".github/cislint-problem-matcher.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let pattern = &doc["problemMatcher"][0]["pattern"][0];
    let re = regex::Regex::new(pattern["regexp"].as_str().unwrap()).unwrap();
    let caps = re
        .captures(line)
        .expect("the problem matcher reads Guard findings");
    let code_group = pattern["code"].as_u64().unwrap() as usize;
    assert_eq!(&caps[code_group], "guard:bucket_owner_tag");
}

#[test]
fn a_suppression_of_a_guard_rule_that_finds_nothing_is_reported_unused() {
    let dir = tempfile::tempdir().unwrap();
    // The scratch bucket is tagged: the suppression above it silences nothing.
    std::fs::write(
        dir.path().join("main.tf"),
        BUCKETS.replace(
            "bucket = \"scratch\"",
            "bucket = \"scratch\"\n  tags   = { team = \"a\" }",
        ),
    )
    .unwrap();
    std::fs::write(dir.path().join("tagged.guard"), TAGGED).unwrap();
    let args = [
        "--format",
        "gcc",
        "--select",
        "guard",
        "--rules",
        "tagged.guard",
        "main.tf",
    ];
    let (code, stdout, _) = cislint(&args, dir.path());
    assert_eq!(code, 1, "{stdout}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "main.tf:7:1: error: `tags` of `aws_s3_bucket.data` is not set, expected `Resources.*. (filter-clauses).Properties.tags EXISTS` [guard:bucket_tagged]",
            "main.tf:1:1: warning: suppression of `guard:bucket_tagged` matches no finding; remove it [unused-suppression]",
        ],
        "{stdout}"
    );
    // Without the rules file the rule did not run: nothing to say about the suppression.
    let (code, stdout, _) = cislint(
        &["--format", "gcc", "--select", "guard", "main.tf"],
        dir.path(),
    );
    assert_eq!((code, stdout.as_str()), (0, ""));
}

#[test]
fn severity_of_a_guard_rule_can_be_set_in_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), BUCKETS).unwrap();
    std::fs::write(
        dir.path().join("tagged.guard"),
        format!("# severity: low\n{TAGGED}"),
    )
    .unwrap();
    let config = |table: &str| {
        std::fs::write(
            dir.path().join("cislint.toml"),
            format!("select = [\"guard\"]\nrules = [\"tagged.guard\"]\n\n[severity]\n{table}\n"),
        )
        .unwrap();
    };
    let run = || -> (i32, serde_json::Value, String) {
        let (code, stdout, stderr) = cislint(&["--format", "json", "."], dir.path());
        (
            code,
            serde_json::from_str(&stdout).unwrap_or_default(),
            stderr,
        )
    };
    config("");
    let (code, v, _) = run();
    assert_eq!(
        (code, &v["findings"][0]["severity"]),
        (1, &serde_json::json!("low"))
    );
    // The configuration wins over the comment, and `--fail-on` sees it.
    config("\"guard:bucket_tagged\" = \"high\"");
    let (code, v, _) = run();
    assert_eq!(
        (code, &v["findings"][0]["severity"]),
        (1, &serde_json::json!("high"))
    );
    let (code, _, _) = cislint(&["--fail-on", "high", "."], dir.path());
    assert_eq!(code, 1);
    // A rule no rules file declares is an error naming the configuration file.
    config("\"guard:bucket_taged\" = \"high\"");
    let (code, stdout, _) = cislint(&["--format", "gcc", "."], dir.path());
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stdout.contains("cislint.toml:5:1: error: [severity] names `guard:bucket_taged`, but no rules file declares it"),
        "{stdout}"
    );
    // Built-in controls keep the catalog's severity.
    config("\"4.1\" = \"low\"");
    let (code, _, stderr) = run();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cislint.toml:5:1: `4.1` is not a Guard rule id"),
        "{stderr}"
    );
}
