//! Every output format on one fixed set of inputs (`tests/data/formats`: findings with labels,
//! an undetermined finding, a suppressed one, an unused suppression), compared exactly with
//! the snapshot files in `tests/snapshots/` (`CISLINT_BLESS=1 cargo test` rewrites them).
//! SARIF is also checked field by field and, when installed, by the official validator.

mod common;

use common::{json, root, run, snapshot};

/// The controls the fixture exercises: other controls, added later, do not change snapshots.
const SELECT: &str = "2.1,2.2,2.4,2.7,2.8,4.1,4.2";

const ALL: &[&str] = &[
    "--select",
    SELECT,
    "--show-undetermined",
    "--show-suppressed",
    "tests/data/formats",
];

fn render(format: &str) -> String {
    let mut args = vec!["--format", format];
    args.extend_from_slice(ALL);
    let r = run(&args, &root());
    assert_eq!(r.code, 1, "findings exit 1\n{}", r.stderr);
    r.stdout
}

/// SARIF names the current directory as an absolute URI: replace it for the snapshot.
fn portable_sarif(s: &str) -> String {
    let doc = json(s);
    let base = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("%SRCROOT% is defined")
        .to_string();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    s.replace(&base, "file:///SRCROOT/")
}

#[test]
fn text_snapshot() {
    snapshot("text.txt", &render("text"));
}

#[test]
fn json_snapshot() {
    snapshot("json.json", &render("json"));
}

#[test]
fn gcc_snapshot() {
    snapshot("gcc.txt", &render("gcc"));
}

#[test]
fn github_snapshot() {
    snapshot("github.txt", &render("github"));
}

#[test]
fn junit_snapshot() {
    snapshot("junit.xml", &render("junit"));
}

#[test]
fn markdown_snapshot() {
    snapshot("markdown.md", &render("markdown"));
}

#[test]
fn sarif_snapshot() {
    snapshot("sarif.json", &portable_sarif(&render("sarif")));
}

#[test]
fn statistics_snapshot() {
    let r = run(
        &["--statistics", "--select", SELECT, "tests/data/formats"],
        &root(),
    );
    assert_eq!(r.code, 1);
    snapshot("statistics.txt", &r.stdout);
    let r = run(
        &["--statistics", "--format", "json", "tests/data/formats"],
        &root(),
    );
    let rows = json(&r.stdout);
    assert_eq!(rows[0]["rule"], "kms-key-rotation");
    assert_eq!(rows[0]["count"], 2);
    // The three controls with findings, then the unused suppression of the fixture.
    assert_eq!(rows.as_array().unwrap().len(), 4);
    assert_eq!(rows[3]["rule"], "unused-suppression");
    assert_eq!(rows[3]["severity"], "warning");
    assert_eq!(rows[3]["count"], 1);
    assert_eq!(
        rows[3]["locations"][0],
        serde_json::json!({"file": "tests/data/formats/stack.yaml", "line": 17, "column": 13,
                           "message": "suppression of `4.1` matches no finding; remove it"})
    );
}

#[test]
fn sarif_has_what_code_scanning_needs() {
    let doc = json(&render("sarif"));
    assert_eq!(doc["version"], "2.1.0");
    let run0 = &doc["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    // One rule per control that ran, in catalog order.
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "cloudtrail-multi-region",
            "cloudtrail-log-file-validation",
            "cloudtrail-cloudwatch-logs",
            "cloudtrail-kms-encryption",
            "kms-key-rotation",
            "ec2-sg-ingress-ssh",
            "ec2-sg-ingress-rdp"
        ]
    );
    let ssh = &rules[5];
    assert_eq!(ssh["name"], "Ec2SgIngressSsh");
    assert!(
        ssh["shortDescription"]["text"]
            .as_str()
            .unwrap()
            .contains("port 22")
    );
    assert!(!ssh["fullDescription"]["text"].as_str().unwrap().is_empty());
    assert!(!ssh["help"]["text"].as_str().unwrap().is_empty());
    assert!(ssh["help"]["markdown"].as_str().unwrap().contains("```hcl"));
    assert_eq!(
        ssh["helpUri"],
        "https://github.com/cislint/cislint/blob/main/checks/4-networking/4.01-ec2-sg-ingress-ssh.toml"
    );
    let tags: Vec<&str> = ssh["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(tags.contains(&"CIS-1.1.0/4.1"), "{tags:?}");
    assert!(tags.contains(&"security"));
    assert_eq!(ssh["properties"]["security-severity"], "8.0");
    assert_eq!(rules[4]["properties"]["security-severity"], "5.5");

    let results = run0["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "ec2-sg-ingress-ssh")
        .unwrap();
    assert_eq!(r["ruleIndex"], 5);
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "tests/data/formats/main.tf");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(
        loc["region"],
        serde_json::json!({"startLine": 21, "startColumn": 34, "endLine": 21, "endColumn": 45})
    );
    assert_eq!(
        r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "aws_security_group.bastion"
    );
    assert_eq!(
        r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        18
    );
    let fp = r["partialFingerprints"]["cislint/v1"].as_str().unwrap();
    assert_eq!(fp.len(), 16);
    // Undetermined results are notes; suppressed ones carry their justification.
    let note = results.iter().find(|r| r["level"] == "note").unwrap();
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("undetermined: ")
    );
    let sup = results
        .iter()
        .find(|r| r.get("suppressions").is_some())
        .unwrap();
    assert_eq!(sup["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        sup["suppressions"][0]["justification"],
        "the key is rotated by the platform team's job"
    );
    assert_eq!(results.len(), 6);
    // Without the flags: only the four violations.
    let plain = run(
        &[
            "--format",
            "sarif",
            "--select",
            SELECT,
            "tests/data/formats",
        ],
        &root(),
    );
    let plain = json(&plain.stdout);
    assert_eq!(plain["runs"][0]["results"].as_array().unwrap().len(), 4);
}

/// The validator's binary: on the PATH, or where `npm install -g` puts it.
fn validator() -> Option<std::path::PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("sarif-multitool-linux"))
            .find(|c| c.is_file())
    });
    on_path.or_else(|| {
        let out = std::process::Command::new("npm")
            .args(["root", "-g"])
            .output()
            .ok()?;
        let root = String::from_utf8(out.stdout).ok()?;
        let bin = std::path::Path::new(root.trim())
            .join("@microsoft/sarif-multitool-linux/Sarif.Multitool");
        bin.is_file().then_some(bin)
    })
}

#[test]
fn the_official_validator_accepts_the_sarif() {
    let Some(tool) = validator() else {
        common::skip(
            "the_official_validator_accepts_the_sarif",
            "SARIF validator not installed (npm install -g @microsoft/sarif-multitool-linux)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[&str]); 3] = [
        ("all.sarif", ALL),
        ("plain.sarif", &["testdata"]),
        ("clean.sarif", &["--select", "4.1", "testdata/2-logging"]),
    ];
    for (name, extra) in cases {
        let sarif = dir.path().join(name);
        let mut args = vec!["--format", "sarif", "--output", sarif.to_str().unwrap()];
        args.extend_from_slice(extra);
        let r = run(&args, &root());
        // `testdata` holds inputs that are errors on purpose (exit 2): their notifications
        // must be valid SARIF too.
        assert!((0..=2).contains(&r.code), "{}", r.stderr);
        assert!(sarif.is_file(), "{name} was written");
        let log = dir.path().join(format!("{name}.validation"));
        let out = std::process::Command::new(&tool)
            .arg("validate")
            .arg(&sarif)
            .arg("--output")
            .arg(&log)
            .args(["--log", "ForceOverwrite"])
            .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
            .output()
            .expect("run the SARIF validator");
        let console = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "validator failed on {name}:\n{console}"
        );
        let report = json(&std::fs::read_to_string(&log).unwrap());
        let problems: Vec<String> = report["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|r| matches!(r["level"].as_str(), Some("error") | Some("warning") | None))
            .map(|r| r["message"].to_string())
            .collect();
        assert!(problems.is_empty(), "{name}: {problems:#?}\n{console}");
    }
}
