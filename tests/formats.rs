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

/// A tree with a YAML template and a `.tf` file that do not parse, a finding and an unused
/// suppression, as (path, text).
const BROKEN_TREE: &[(&str, &str)] = &[
    (
        "infra/bad/stack.yaml",
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket: x\n    Properties: {}\n",
    ),
    (
        "infra/broken/main.tf",
        "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = \n}\n",
    ),
    (
        "infra/good/main.tf",
        "resource \"aws_security_group\" \"bastion\" {\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    ),
    (
        "infra/good/other.tf",
        "# cislint:ignore[2.8] no key here\nresource \"aws_s3_bucket\" \"x\" {}\n",
    ),
];

/// Where the inputs of [`BROKEN_TREE`] are reported: the two input errors, the finding, the
/// warning (file, line, column).
const YAML_ERROR: (&str, usize, usize) = ("infra/bad/stack.yaml", 3, 26);
const TF_ERROR: (&str, usize, usize) = ("infra/broken/main.tf", 2, 25);
const FINDING: (&str, usize, usize) = ("infra/good/main.tf", 6, 20);
const WARNING: (&str, usize, usize) = ("infra/good/other.tf", 1, 1);

fn run_broken(dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.push("infra");
    let r = run(&all, dir);
    assert_eq!(r.code, 2, "{args:?}: an input error exits 2\n{}", r.stderr);
    r.stdout
}

/// `file:line:col` appears in the output of `format` for every place.
fn assert_places(format: &str, out: &str, places: &[(&str, usize, usize)]) {
    for (file, line, col) in places {
        let place = format!("{file}:{line}:{col}");
        assert!(out.contains(&place), "{format}: {place} missing:\n{out}");
    }
}

#[test]
fn every_format_carries_input_errors_and_warnings() {
    let dir = common::scratch(BROKEN_TREE);
    let dir = dir.path();
    let all = [YAML_ERROR, TF_ERROR, FINDING, WARNING];
    for format in ["text", "gcc", "markdown", "html", "junit"] {
        let out = run_broken(dir, &["--format", format]);
        assert_places(format, &out, &all);
    }
    // JUnit: the errors are `<error>` test cases of their own suite, counted as errors.
    let junit = run_broken(dir, &["--format", "junit"]);
    let doc = roxmltree::Document::parse(&junit).expect("JUnit is XML");
    let suite = doc
        .descendants()
        .find(|n| n.attribute("name") == Some("cislint.input-errors"))
        .expect("the suite of input errors");
    assert_eq!(suite.attribute("errors"), Some("2"));
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|c| {
            let error = c.children().find(|n| n.has_tag_name("error")).unwrap();
            (
                c.attribute("file").unwrap(),
                c.attribute("line").unwrap(),
                error.attribute("type").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cases,
        [
            ("infra/bad/stack.yaml", "3", "input-error"),
            ("infra/broken/main.tf", "2", "input-error")
        ]
    );
    assert_eq!(doc.root_element().attribute("errors"), Some("2"));
    // HTML: a visible section, before the scorecard.
    let html = run_broken(dir, &["--format", "html"]);
    let section = html
        .find("<h2>Files that could not be checked</h2>")
        .expect("section");
    assert!(section < html.find("class=\"summary\"").unwrap());
    assert!(html.contains("<h2>Warnings</h2>"));
    // github: workflow commands at the place.
    let github = run_broken(dir, &["--format", "github"]);
    for (file, line, col) in all {
        let props = format!("file={file},line={line},col={col},");
        assert!(
            github.contains(&props),
            "github: {props} missing:\n{github}"
        );
    }
    // JSON and SARIF: the places as fields.
    let doc = json(&run_broken(dir, &["--format", "json"]));
    let place = |v: &serde_json::Value| {
        (
            v["file"].as_str().unwrap().to_string(),
            v["line"].as_u64().unwrap() as usize,
            v["column"].as_u64().unwrap() as usize,
        )
    };
    let places =
        |v: &serde_json::Value| v.as_array().unwrap().iter().map(place).collect::<Vec<_>>();
    let owned = |p: (&str, usize, usize)| (p.0.to_string(), p.1, p.2);
    assert_eq!(places(&doc["errors"]), [owned(YAML_ERROR), owned(TF_ERROR)]);
    assert_eq!(place(&doc["findings"][0]), owned(FINDING));
    assert_eq!(place(&doc["warnings"][0]), owned(WARNING));
    let sarif = json(&run_broken(dir, &["--format", "sarif"]));
    let run0 = &sarif["runs"][0];
    let region = |v: &serde_json::Value| {
        let loc = &v["locations"][0]["physicalLocation"];
        (
            loc["artifactLocation"]["uri"].as_str().unwrap().to_string(),
            loc["region"]["startLine"].as_u64().unwrap() as usize,
            loc["region"]["startColumn"].as_u64().unwrap() as usize,
        )
    };
    let notes: Vec<_> = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(region)
        .collect();
    assert_eq!(notes, [owned(YAML_ERROR), owned(TF_ERROR), owned(WARNING)]);
    assert_eq!(region(&run0["results"][0]), owned(FINDING));
    // --statistics: the counts, then each error and warning at its place.
    let stats = run_broken(dir, &["--statistics"]);
    assert_places("statistics", &stats, &[YAML_ERROR, TF_ERROR, WARNING]);
    let rows: Vec<(&str, usize)> = stats
        .lines()
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let n = words.next().unwrap().parse().unwrap();
            (words.next().unwrap(), n)
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("ec2-sg-ingress-ssh", 1),
            ("input-error", 2),
            ("unused-suppression", 1)
        ]
    );
    let rows = json(&run_broken(dir, &["--statistics", "--format", "json"]));
    assert_eq!(rows[0]["rule"], "ec2-sg-ingress-ssh");
    assert_eq!(rows[1]["rule"], "input-error");
    assert_eq!(
        places(&rows[1]["locations"]),
        [owned(YAML_ERROR), owned(TF_ERROR)]
    );
    assert_eq!(rows[2]["rule"], "unused-suppression");
    assert_eq!(place(&rows[2]["locations"][0]), owned(WARNING));
}
