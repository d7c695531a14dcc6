//! Text from the scanned tree cannot inject anything into a report: directory and file names
//! (any byte but `/` and NUL, UTF-8 or not), CloudFormation logical ids, Terraform map keys
//! (which become resource addresses), suppression reasons and ids, and error messages that
//! quote them go through every format, and no output line can start a workflow command, no
//! raw control character reaches a terminal, XML stays well-formed and Markdown gains no link.

mod common;

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use cislint::cli::Format;
use cislint::render::{self, Report};
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// What names and values are made of: control characters, terminal sequences, workflow
/// command and markup syntax, and ordinary text.
const PIECES: &[&str] = &[
    "\n",
    "\r",
    "\r\n",
    "\t",
    "\u{1}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{1b}]8;;http://evil\u{7}",
    "\u{7f}",
    "\u{85}",
    "\u{9b}2J",
    "\u{202e}",
    "\u{2066}",
    "\u{2028}",
    "::error::pwned",
    "::",
    "%0A",
    "%",
    ":",
    ",",
    "|",
    "`",
    "``",
    "](http://evil)",
    "](javascript:alert(1))",
    "[x]",
    "![i](http://evil/i.png)",
    "<img src=x onerror=alert(1)>",
    "</code>",
    "&amp;",
    "&#x1b;",
    "\"",
    "'",
    "\\",
    "*",
    "_",
    "~~",
    "a",
    "é",
    "日本",
    " ",
];

/// Joins the pieces chosen by `picks` that `allowed` admits.
fn text(picks: &[usize], allowed: impl Fn(&str) -> bool) -> String {
    let usable: Vec<&str> = PIECES.iter().copied().filter(|p| allowed(p)).collect();
    picks.iter().map(|i| usable[i % usable.len()]).collect()
}

/// A piece that fits in a file name.
fn in_name(p: &str) -> bool {
    !p.contains('/')
}

/// A piece that fits in a `#` comment and a suppression's `[ids]`.
fn in_comment(p: &str) -> bool {
    !p.contains(['\n', '\r', ']', ',', ' ', '\u{85}', '\u{2028}'])
}

/// A Terraform quoted string holding `s`.
fn hcl_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const INGRESS: &str =
    "  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n";

/// The hostile parts of one tree.
#[derive(Debug, Clone)]
struct Hostile {
    dir: Vec<u8>,
    file: String,
    logical_id: String,
    key: String,
    reason: String,
    comment_reason: String,
    rule: String,
}

fn hostile() -> impl Strategy<Value = Hostile> {
    let picks = || prop::collection::vec(any::<usize>(), 1..5);
    (
        picks(),
        any::<bool>(),
        prop::collection::vec(any::<usize>(), 0..4),
        picks(),
        picks(),
        picks(),
        picks(),
        picks(),
    )
        .prop_map(
            |(dir, not_utf8, file, logical_id, key, reason, comment, rule)| {
                let mut dir = format!("d{}", text(&dir, in_name)).into_bytes();
                if not_utf8 {
                    dir.extend_from_slice(b"\xff\xfe");
                }
                Hostile {
                    dir,
                    file: format!("f{}", text(&file, in_name)),
                    logical_id: text(&logical_id, |_| true),
                    key: text(&key, |_| true),
                    reason: text(&reason, |_| true),
                    comment_reason: text(&comment, in_comment),
                    rule: text(&rule, in_comment),
                }
            },
        )
}

/// Writes the tree: a Terraform module (a finding on a resource keyed by `key`, a suppressed
/// one with `comment_reason`, a suppression of the unknown control `rule`), a CloudFormation
/// template (a finding on `logical_id`, a suppression with `reason`, an unknown `rule`) and
/// a YAML file that does not parse, named with `dir` and `file`.
fn write_tree(root: &Path, h: &Hostile) -> PathBuf {
    let dir = root.join(OsString::from_vec(h.dir.clone()));
    std::fs::create_dir_all(dir.join("broken")).unwrap();
    let tf = format!(
        "# cislint:ignore[{rule}] because\nresource \"aws_security_group\" \"sg\" {{\n  for_each = {{ {key} = 1 }}\n{INGRESS}    cidr_blocks = [\"0.0.0.0/0\"]\n  }}\n}}\n\nresource \"aws_security_group\" \"quiet\" {{\n{INGRESS}    # cislint:ignore[4.1] {reason}\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }}\n}}\n",
        rule = h.rule,
        key = hcl_string(&h.key),
        reason = h.comment_reason,
    );
    std::fs::write(dir.join("main.tf"), tf).unwrap();
    let ingress = serde_json::json!([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]);
    let template = serde_json::json!({"Resources": {
        h.logical_id.clone(): {"Type": "AWS::EC2::SecurityGroup",
            "Properties": {"GroupDescription": "x", "SecurityGroupIngress": ingress}},
        "Quiet": {"Type": "AWS::EC2::SecurityGroup",
            "Metadata": {"cislint": {"ignore": [{"rule": "4.1", "reason": h.reason}, {"rule": h.rule, "reason": "r"}]}},
            "Properties": {"GroupDescription": "x", "SecurityGroupIngress": ingress}},
    }});
    std::fs::write(
        dir.join(format!("{}.json", h.file)),
        serde_json::to_string(&template).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("broken").join(format!("{}.yaml", h.file)),
        "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket: x\n",
    )
    .unwrap();
    dir
}

/// Whether a character may not appear raw in a report (defined here, not by cislint).
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        )
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// No raw control character but line feeds, and tabs where `tabs` (source lines).
fn assert_no_controls(name: &str, out: &str, tabs: bool) {
    let bad: Vec<char> = out
        .chars()
        .filter(|&c| is_control(c) && c != '\n' && !(tabs && c == '\t'))
        .collect();
    assert!(bad.is_empty(), "{name}: raw {bad:?} in\n{out}");
}

/// No line can start a workflow command.
fn assert_no_commands(name: &str, out: &str) {
    for line in out.lines() {
        assert!(
            !line.starts_with("::"),
            "{name}: line starts a command: {line:?}"
        );
    }
}

/// Every diagnostic the report lists, as the line-per-diagnostic formats count them.
fn diagnostics(r: &Report<'_>) -> usize {
    r.errors.len()
        + r.path_errors.len()
        + r.outcome.findings.len()
        + r.outcome.undetermined.len()
        + r.outcome.suppressed.len()
        + r.outcome.notices.len()
}

/// The commit links of Markdown inside GitHub Actions point under.
const LINK_BASE: &str = "https://github.com/o/r/blob/0123abc/";

/// The cells of every table row of a Markdown document, as GitHub would read them.
fn markdown_rows(md: &str) -> Vec<Vec<String>> {
    // Links only to lines of the scanned files, relative or under `LINK_BASE`.
    let line_link = regex::Regex::new(&format!(
        "^({})?[A-Za-z0-9%/._~-]+#L[0-9]+$",
        regex::escape(LINK_BASE)
    ))
    .unwrap();
    let tags = regex::Regex::new(r"<[^>]*>").unwrap();
    let mut rows = Vec::new();
    let mut in_cell = false;
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) => {
                in_cell = true;
                if let Some(r) = rows.last_mut() {
                    r.push(String::new())
                }
            }
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Text(t) | Event::Code(t) if in_cell => {
                if let Some(c) = rows.last_mut().and_then(|r| r.last_mut()) {
                    c.push_str(&t)
                }
            }
            Event::Start(Tag::Image { .. })
            | Event::Start(Tag::Emphasis)
            | Event::Start(Tag::Strong)
            | Event::Start(Tag::Strikethrough) => panic!("markdown: input made {event:?}:\n{md}"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                assert!(
                    line_link.is_match(&dest_url),
                    "markdown: link to {dest_url:?}:\n{md}"
                );
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let ours = ["<details>", "<summary>", "</summary>", "</details>"];
                for tag in tags.find_iter(&h) {
                    assert!(ours.contains(&tag.as_str()), "markdown: HTML {h:?}:\n{md}");
                }
            }
            _ => {}
        }
    }
    rows
}

/// Renders the scan of `dir` in every format and checks each output.
fn check_every_format(dir: &Path, h: &Hostile) {
    let (scanned, outcome) = cislint::run(&[dir.to_path_buf()], &|_| true);
    let scorecard = cislint::scorecard::compute(&cislint::scorecard::Inputs {
        outcome: &outcome,
        graph: &scanned.graph,
        scope: Default::default(),
        has_credential_report: false,
        selected: &|_| true,
    });
    let mut report = Report {
        sources: &scanned.sources,
        outcome: &outcome,
        errors: &scanned.errors,
        path_errors: &scanned.path_errors,
        counts: &scanned.counts,
        lang: cislint::catalog::Lang::En,
        show_undetermined: true,
        scorecard: &scorecard,
        scope: Default::default(),
        show_scorecard: true,
        show_suppressed: true,
        quiet: false,
        color: false,
        link_base: None,
        unresolved: &scanned.unresolved,
        stats: Some(&scanned.stats),
        skipped: &scanned.skipped,
    };
    // The tree holds what the checks below need: a finding on the logical id, an input
    // error, a suppressed finding and a warning.
    assert!(
        outcome.findings.iter().any(|f| f.resource == h.logical_id),
        "no finding on {:?}: {:?}",
        h.logical_id,
        outcome
            .findings
            .iter()
            .map(|f| &f.resource)
            .collect::<Vec<_>>()
    );
    assert!(!scanned.errors.is_empty(), "no input error");
    assert!(!outcome.notices.is_empty(), "no warning");
    assert!(!outcome.suppressed.is_empty(), "nothing suppressed");
    let n = diagnostics(&report);
    let command =
        regex::Regex::new(r"^::(error|warning|notice) [a-zA-Z]+=[^,:]*(,[a-zA-Z]+=[^,:]*)*::")
            .unwrap();
    for format in [
        Format::Text,
        Format::Json,
        Format::Sarif,
        Format::Gcc,
        Format::Github,
        Format::Junit,
        Format::Markdown,
        Format::Html,
    ] {
        let name = format!("{format:?}");
        let out = render::render(format, &report);
        let snippets = matches!(format, Format::Text | Format::Html);
        assert_no_controls(&name, &out, snippets);
        if format != Format::Github {
            assert_no_commands(&name, &out);
        }
        match format {
            Format::Gcc => assert_eq!(out.lines().count(), n, "gcc: one line each:\n{out}"),
            Format::Github => {
                let lines: Vec<&str> = out.lines().collect();
                assert_eq!(
                    lines.len(),
                    n + 1,
                    "github: a command each, a summary:\n{out}"
                );
                for l in &lines[..n] {
                    assert!(command.is_match(l), "github: {l:?}");
                }
                assert!(!lines[n].starts_with("::"));
            }
            Format::Json => {
                let doc = common::json(&out);
                let ids: Vec<&str> = doc["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|f| f["resource"].as_str())
                    .collect();
                // JSON keeps the value as it is, escaped by JSON's own rules.
                assert!(ids.contains(&h.logical_id.as_str()), "{ids:?}");
            }
            Format::Sarif => {
                common::json(&out);
            }
            Format::Junit => {
                if let Err(e) = roxmltree::Document::parse(&out) {
                    panic!("junit: not XML: {e}\n{out}");
                }
            }
            Format::Markdown => {
                for row in markdown_rows(&out) {
                    // A finding's row: severity, location, resource, message; the input
                    // cannot add or split a cell.
                    if row.first().is_some_and(|c| c == "high") {
                        assert_eq!(row.len(), 4, "{row:?}");
                        assert!(row[3].ends_with("(SSH)"), "markdown: split row {row:?}");
                    }
                }
            }
            Format::Html => {
                assert_eq!(out.matches("<script").count(), 1, "html: script");
                assert!(!out.contains("<img"), "html: input became markup");
            }
            Format::Text => {}
        }
    }
    // Colours are cislint's own escape sequences, and the only ones.
    report.color = true;
    let colored = render::render(Format::Text, &report);
    let sgr = regex::Regex::new("\u{1b}\\[[0-9;]*m").unwrap();
    let plain = sgr.replace_all(&colored, "");
    assert_no_controls("text --color always", &plain, true);
    assert_no_commands("text --color always", &plain);
    report.color = false;
    report.link_base = Some(LINK_BASE.into());
    let md = render::render(Format::Markdown, &report);
    assert_no_controls("markdown", &md, false);
    markdown_rows(&md);
    // --statistics: the table, then a line per error and warning.
    let stats = render::statistics::render(&report);
    assert_no_controls("statistics", &stats, false);
    assert_no_commands("statistics", &stats);
    let listed = stats.lines().skip_while(|l| !l.is_empty()).skip(1).count();
    assert_eq!(
        listed,
        scanned.errors.len() + scanned.path_errors.len() + outcome.notices.len()
    );
    common::json(&render::statistics::render_json(&report));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn no_input_injects_into_any_format(h in hostile()) {
        let root = tempfile::tempdir().unwrap();
        let dir = write_tree(root.path(), &h);
        check_every_format(&dir, &h);
    }
}

/// The case of the issue, through the binary: a directory named `dir<LF>::error::…` with a
/// finding, in the formats that `action.yml` prints to the log.
#[test]
fn a_directory_name_cannot_start_a_workflow_command() {
    let name = "dir\n::error::pwned\u{1b}[31m";
    let dir = common::scratch(&[(
        &format!("{name}/main.tf"),
        &format!(
            "resource \"aws_security_group\" \"b\" {{\n{INGRESS}    cidr_blocks = [\"0.0.0.0/0\"]\n  }}\n}}\n"
        ),
    )]);
    let shown = "dir\\n::error::pwned\\u{1b}[31m/main.tf";
    for format in ["gcc", "text", "markdown", "github"] {
        let r = common::run(&["--format", format, "."], dir.path());
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(!r.stdout.contains('\u{1b}'), "{format}: raw ESC");
        let lines: Vec<&str> = r.stdout.lines().collect();
        let commands: Vec<&&str> = lines.iter().filter(|l| l.starts_with("::")).collect();
        match format {
            "github" => {
                assert_eq!(commands.len(), 1, "{}", r.stdout);
                assert!(
                    commands[0].starts_with(&format!(
                        "::error file={},line=6,col=20,",
                        shown.replace(':', "%3A")
                    )),
                    "{}",
                    commands[0]
                );
            }
            _ => assert!(commands.is_empty(), "{format}: {commands:?}"),
        }
        if format == "gcc" {
            assert_eq!(
                lines,
                [format!(
                    "{shown}:6:20: error: `aws_security_group.b` admits `0.0.0.0/0` to port 22 (SSH) [ec2-sg-ingress-ssh CIS 4.1]"
                )]
            );
        }
    }
}
