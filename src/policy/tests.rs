//! Every form a policy is written in, with the position each statement maps to.

use super::*;
use crate::graph::{Graph, InputKind, ResourceId, Unit, UnitId};
use crate::source::{FileId, SourceMap, Span};
use crate::value::{Node, Value};

/// A scanned module or template, for tests.
pub(crate) struct Scanned {
    pub sources: SourceMap,
    pub graph: Graph,
}

impl Scanned {
    /// Evaluates one `main.tf`.
    pub fn tf(text: &str) -> Scanned {
        Scanned::tf_files(&[("main.tf", text)])
    }

    /// Evaluates a module of several files (`file()` targets included).
    pub fn tf_files(files: &[(&str, &str)]) -> Scanned {
        let sources = SourceMap::default();
        let mut parsed = Vec::new();
        for (name, text) in files {
            let id = sources.add(name.into(), (*text).into());
            if name.ends_with(".tf") {
                parsed.push(crate::terraform::parse_file(id, text).expect("valid HCL"));
            }
        }
        let mut graph = Graph::default();
        let unit = graph.add_unit(Unit {
            kind: InputKind::TerraformModule,
            anchor: Span::default(),
            name: "m".into(),
        });
        crate::terraform::load_module(&parsed, &mut graph, unit, &[]);
        Scanned { sources, graph }
    }

    /// Loads one CloudFormation template (YAML or JSON).
    pub fn cfn(text: &str) -> Scanned {
        let sources = SourceMap::default();
        let id = sources.add("template".into(), text.into());
        let root = if text.trim_start().starts_with('{') {
            crate::parse::json::parse(id, text).expect("valid JSON")
        } else {
            crate::parse::yaml::parse(id, text).expect("valid YAML")
        };
        let mut graph = Graph::default();
        let unit = graph.add_unit(Unit {
            kind: InputKind::CloudFormation,
            anchor: Span::default(),
            name: "t".into(),
        });
        assert!(crate::parse::cloudformation::load(&root, &mut graph, unit).is_empty());
        Scanned { sources, graph }
    }

    pub fn id(&self, address: &str) -> ResourceId {
        self.graph
            .by_address(UnitId(0), address)
            .unwrap_or_else(|| panic!("no {address}"))
    }

    pub fn attr(&self, address: &str, key: &str) -> &Node {
        self.graph
            .resource(self.id(address))
            .attrs
            .get(key)
            .unwrap_or_else(|| panic!("no {address}.{key}"))
    }

    /// The documents of an attribute.
    pub fn docs(&self, node: &Node) -> Vec<Resolved> {
        Resolver::new(&self.graph, &self.sources).documents(UnitId(0), node)
    }

    /// `line:col` of a span's start.
    pub fn at(&self, span: Span) -> String {
        let lc = self.sources.start(span);
        format!("{}:{}", lc.line, lc.column)
    }
}

fn one(docs: Vec<Resolved>) -> Policy {
    assert_eq!(docs.len(), 1, "{docs:#?}");
    docs.into_iter()
        .next()
        .map(|d| d.policy)
        .unwrap_or_default()
}

fn admin(p: &Policy) -> Vec<Option<bool>> {
    p.statements
        .iter()
        .map(Statement::grants_full_admin)
        .collect()
}

#[test]
fn jsonencode_points_into_the_object_even_with_unknown_values() {
    let s = Scanned::tf(
        r#"resource "aws_s3_bucket" "b" {}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:GetObject", Resource = aws_s3_bucket.b.arn },
      {
        Effect   = "Allow"
        Action   = ["*"]
        Resource = "*"
      },
    ]
  })
}
"#,
    );
    let p = one(s.docs(s.attr("aws_iam_policy.p", "policy")));
    assert_eq!(p.statements.len(), 2);
    assert_eq!(s.at(p.statements[0].span), "6:7");
    assert_eq!(s.at(p.statements[1].span), "7:7");
    assert_eq!(admin(&p), vec![Some(false), Some(true)]);
    // A resource attribute is some ARN, never a wildcard.
    let res = p.statements[0].resource.as_ref().unwrap();
    assert_eq!(
        res.items[0].value.as_deref(),
        Some("${aws_s3_bucket.b.arn}")
    );
}

#[test]
fn heredoc_lines_and_columns_map_to_the_source() {
    let s = Scanned::tf(
        r#"resource "aws_iam_role_policy" "p" {
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "S3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": "*:*", "Resource": ["*"]}
      ]
    }
  EOF
}
resource "aws_iam_user_policy" "q" {
  policy = <<EOF
{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
EOF
}
"#,
    );
    let p = one(s.docs(s.attr("aws_iam_role_policy.p", "policy")));
    assert_eq!(s.at(p.statements[0].span), "6:9");
    assert_eq!(s.at(p.statements[1].span), "7:9");
    let action = &p.statements[1].action.as_ref().unwrap().items[0];
    assert_eq!(s.at(action.span), "7:39");
    assert_eq!(admin(&p), vec![Some(false), Some(true)]);
    let q = one(s.docs(s.attr("aws_iam_user_policy.q", "policy")));
    assert_eq!(s.at(q.statements[0].span), "14:15");
    assert_eq!(admin(&q), vec![Some(true)]);
}

#[test]
fn unknown_heredoc_is_read_from_its_template() {
    let s = Scanned::tf(
        r#"variable "actions" {}
resource "aws_s3_bucket" "b" {}
resource "aws_iam_policy" "p" {
  policy = <<EOF
{
  "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "${aws_s3_bucket.b.arn}/*"},
    {"Effect": "Allow", "Action": ${jsonencode(var.actions)}, "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": "$${literal}"}
  ]
}
EOF
}
"#,
    );
    let node = s.attr("aws_iam_policy.p", "policy");
    assert!(node.is_unknown());
    let p = one(s.docs(node));
    assert_eq!(s.at(p.statements[0].span), "7:5");
    assert_eq!(s.at(p.statements[1].span), "8:5");
    // `${…}/*` cannot be `*`; an unknown action list may be.
    assert_eq!(admin(&p), vec![Some(false), None, Some(false)]);
    let r = &p.statements[0].resource.as_ref().unwrap().items[0];
    assert_eq!(r.value.as_deref(), Some("${…}/*"));
    assert_eq!(s.at(r.span), "7:52");
}

#[test]
fn directives_make_a_heredoc_unknown() {
    assert_eq!(locate::mask_template("%{ if x }{}%{ endif }"), None);
    assert_eq!(
        locate::mask_template(r#"{"a": ${x}, "b": "p${y}q"}"#).unwrap(),
        "{\"a\": \"\u{7f}\u{7f}\", \"b\": \"p\u{7f}\u{7f}\u{7f}\u{7f}q\"}"
    );
    assert_eq!(
        locate::mask_template("%%{ x } $${y}").unwrap(),
        "%%{ x } $${y}"
    );
    assert_eq!(locate::unmask("\u{7f}\u{7f}"), None);
    assert_eq!(locate::unmask("\u{7f}:*"), None);
    assert_eq!(locate::unmask("s3:\u{7f}").as_deref(), Some("s3:${…}"));
}

#[test]
fn file_origin_maps_offsets_into_the_json_file() {
    let json = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}\n";
    let s = Scanned::tf_files(&[("main.tf", "# nothing\n"), ("admin.json", json)]);
    // As `file("admin.json")` returns it: the text, used in main.tf, from admin.json.
    let mut node = Node::new(Value::String(json.into()), Span::new(FileId(0), 0, 9));
    node.origin = Some(Span::new(FileId(1), 0, json.len()));
    let p = one(s.docs(&node));
    assert_eq!(p.statements[0].span.file, FileId(1));
    assert_eq!(s.at(p.statements[0].span), "3:5");
    assert_eq!(admin(&p), vec![Some(true)]);
}

#[test]
fn one_line_strings_point_at_the_whole_string() {
    let s = Scanned::tf(
        r#"resource "aws_iam_group_policy" "p" {
  policy = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"
}
"#,
    );
    let p = one(s.docs(s.attr("aws_iam_group_policy.p", "policy")));
    assert_eq!(s.at(p.statements[0].span), "2:12");
    assert_eq!(admin(&p), vec![Some(true)]);
}

#[test]
fn not_action_iam_star_and_narrow_resources_are_not_full_admin() {
    let s = Scanned::tf(
        r#"resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Statement = [
      { Effect = "Allow", NotAction = "iam:*", Resource = "*" },
      { Effect = "Allow", Action = "iam:*", Resource = "*" },
      { Effect = "Allow", Action = "*", Resource = "arn:aws:s3:::b/*" },
      { Effect = "Allow", Action = "*", NotResource = "arn:aws:s3:::b/*" },
      { Effect = "Deny", Action = "*", Resource = "*" },
      { Action = "*", Resource = "*" },
    ]
  })
}
"#,
    );
    let p = one(s.docs(s.attr("aws_iam_policy.p", "policy")));
    assert_eq!(admin(&p), vec![Some(false); 6]);
}

#[test]
fn policy_document_data_source_with_merges() {
    let s = Scanned::tf(
        r#"variable "extra" {}
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Admin"
    actions   = ["*"]
    resources = ["*"]
  }
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.base.json]
  statement {
    sid       = "Admin"
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "overridden" {
  statement {
    sid       = "Read"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  override_policy_documents = [data.aws_iam_policy_document.base.json]
}
data "aws_iam_policy_document" "maybe" {
  statement {
    sid       = "Admin"
    actions   = ["*"]
    resources = ["*"]
  }
  override_policy_documents = [var.extra]
}
resource "aws_iam_policy" "base" { policy = data.aws_iam_policy_document.base.json }
resource "aws_iam_policy" "merged" { policy = data.aws_iam_policy_document.merged.json }
resource "aws_iam_policy" "overridden" { policy = data.aws_iam_policy_document.overridden.json }
resource "aws_iam_policy" "maybe" { policy = data.aws_iam_policy_document.maybe.json }
resource "aws_iam_policy" "choice" {
  policy = var.extra != "" ? var.extra : data.aws_iam_policy_document.base.json
}
"#,
    );
    let base = s.docs(s.attr("aws_iam_policy.base", "policy"));
    assert_eq!(base.len(), 1);
    assert!(!base[0].uncertain);
    assert_eq!(base[0].via, Some(s.id("data.aws_iam_policy_document.base")));
    assert_eq!(admin(&base[0].policy), vec![Some(true), Some(false)]);
    assert_eq!(s.at(base[0].policy.statements[0].span), "3:3");

    // The data source's own "Admin" statement (a Deny) replaces the source's.
    let merged = one(s.docs(s.attr("aws_iam_policy.merged", "policy")));
    assert_eq!(admin(&merged), vec![Some(false), Some(false)]);
    assert_eq!(s.at(merged.statements[0].span), "16:3");

    // The override's statements replace "Read" and add "Admin".
    let over = one(s.docs(s.attr("aws_iam_policy.overridden", "policy")));
    assert_eq!(over.statements.len(), 2);
    assert_eq!(admin(&over), vec![Some(false), Some(true)]);
    assert_eq!(s.at(over.statements[1].span), "3:3");

    // An unknown override may replace the statement.
    let maybe = one(s.docs(s.attr("aws_iam_policy.maybe", "policy")));
    assert!(maybe.statements[0].replaceable);
    assert!(!maybe.unknown.is_empty());

    // The document is only one branch of a conditional.
    let choice = s.docs(s.attr("aws_iam_policy.choice", "policy"));
    assert_eq!(choice.len(), 1);
    assert!(choice[0].uncertain);
}

#[test]
fn data_source_principals_and_conditions() {
    let s = Scanned::tf(
        r#"data "aws_iam_policy_document" "d" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
  statement {
    actions   = ["s3:GetObject"]
    resources = ["*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
  statement {
    actions   = ["s3:PutObject"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = "b"
  policy = data.aws_iam_policy_document.d.json
}
"#,
    );
    let p = one(s.docs(s.attr("aws_s3_bucket_policy.p", "policy")));
    let public: Vec<_> = p.statements.iter().map(Statement::allows_public).collect();
    assert_eq!(public, vec![Some(true), Some(false), Some(false)]);
}

#[test]
fn cloudformation_maps_block_scalars_json_strings_and_sub() {
    let s = Scanned::cfn(
        r#"Parameters:
  Env: {Type: String, Default: prod}
Resources:
  Map:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
  Block:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: |
        {
          "Statement": [
            {"Effect": "Allow", "Action": ["*"], "Resource": "*"}
          ]
        }
  Sub:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument: !Sub |
        {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Sid": "${Env}"}}
"#,
    );
    let m = one(s.docs(s.attr("Map", "PolicyDocument")));
    assert_eq!(s.at(m.statements[0].span), "10:13");
    assert_eq!(admin(&m), vec![Some(true)]);
    let b = one(s.docs(s.attr("Block", "PolicyDocument")));
    assert_eq!(s.at(b.statements[0].span), "19:13");
    assert_eq!(admin(&b), vec![Some(true)]);
    let sub = one(s.docs(s.attr("Sub", "PolicyDocument")));
    assert_eq!(sub.statements[0].sid.as_deref(), Some("prod"));
    assert_eq!(admin(&sub), vec![Some(true)]);
}

#[test]
fn cloudformation_json_policy_string() {
    let s = Scanned::cfn(
        r#"{"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {
  "PolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"
}}}}"#,
    );
    let p = one(s.docs(s.attr("P", "PolicyDocument")));
    assert_eq!(s.at(p.statements[0].span), "2:21");
    assert_eq!(admin(&p), vec![Some(true)]);
}

#[test]
fn unknowns_are_undetermined_not_failures() {
    let s = Scanned::tf(
        r#"variable "policy" {}
variable "effect" {}
resource "aws_iam_policy" "p" { policy = var.policy }
resource "aws_iam_policy" "q" {
  policy = jsonencode({ Statement = [{ Effect = var.effect, Action = "*", Resource = "*" }] })
}
"#,
    );
    let p = one(s.docs(s.attr("aws_iam_policy.p", "policy")));
    assert!(p.statements.is_empty());
    assert_eq!(p.unknown.len(), 1);
    let q = one(s.docs(s.attr("aws_iam_policy.q", "policy")));
    assert_eq!(admin(&q), vec![None]);
}

#[test]
fn restricting_conditions() {
    let s = Scanned::cfn(
        r#"Resources:
  P:
    Type: AWS::S3::BucketPolicy
    Properties:
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}
          - {Effect: Allow, Principal: {AWS: "*"}, Action: "s3:*", Resource: "*",
             Condition: {StringEquals: {"aws:PrincipalOrgID": "o-123"}}}
          - {Effect: Allow, Principal: {AWS: ["*"]}, Action: "s3:*", Resource: "*",
             Condition: {StringEquals: {"s3:x-amz-acl": "bucket-owner-full-control"}}}
          - {Effect: Allow, Principal: {AWS: "*"}, Action: "s3:*", Resource: "*",
             Condition: {StringNotEquals: {"aws:SourceAccount": "1"}}}
          - {Effect: Deny, Principal: "*", Action: "s3:*", Resource: "*",
             Condition: {Bool: {"aws:SecureTransport": "false"}}}
          - {Effect: Allow, Principal: {Service: cloudtrail.amazonaws.com}, Action: "s3:*", Resource: "*"}
"#,
    );
    let p = one(s.docs(s.attr("P", "PolicyDocument")));
    let public: Vec<_> = p.statements.iter().map(Statement::allows_public).collect();
    assert_eq!(
        public,
        vec![
            Some(true),
            Some(false),
            Some(true),
            Some(true),
            Some(false),
            Some(false)
        ]
    );
}

#[test]
fn cycles_between_documents_end() {
    let s = Scanned::tf(
        r#"data "aws_iam_policy_document" "a" {
  source_policy_documents = [data.aws_iam_policy_document.b.json]
}
data "aws_iam_policy_document" "b" {
  source_policy_documents = [data.aws_iam_policy_document.a.json]
}
resource "aws_iam_policy" "p" { policy = data.aws_iam_policy_document.a.json }
"#,
    );
    let p = one(s.docs(s.attr("aws_iam_policy.p", "policy")));
    assert!(p.statements.is_empty());
    assert!(!p.unknown.is_empty());
}

#[test]
fn unknown_templates_keep_their_literal_text() {
    let s = Scanned::cfn(
        r#"Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: "*"
            Resource:
              - !Sub "arn:${AWS::Partition}:s3:::b/*"
              - {"Fn::Sub": "${AWS::AccountId}"}
              - !GetAtt Role.Arn
  Role:
    Type: AWS::IAM::Role
"#,
    );
    let p = one(s.docs(s.attr("P", "PolicyDocument")));
    let r: Vec<_> = p.statements[0]
        .resource
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.value.clone())
        .collect();
    assert_eq!(
        r,
        vec![
            Some("arn:${…}:s3:::b/*".into()),
            None,
            Some("${Role.Arn}".into())
        ]
    );
    let t = Scanned::tf(
        r#"variable "prefix" {}
resource "aws_iam_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "*", Resource = ["${var.prefix}-x", var.prefix] }] })
}
"#,
    );
    let p = one(t.docs(t.attr("aws_iam_policy.p", "policy")));
    let r: Vec<_> = p.statements[0]
        .resource
        .as_ref()
        .unwrap()
        .items
        .iter()
        .map(|i| i.value.clone())
        .collect();
    assert_eq!(r, vec![Some("${…}-x".into()), None]);
}

#[test]
fn fan_out_between_documents_stays_linear() {
    let mut hcl = String::from(
        "data \"aws_iam_policy_document\" \"d0\" {\n  statement {\n    actions = [\"*\"]\n    resources = [\"*\"]\n  }\n}\n",
    );
    for i in 1..40 {
        let p = i - 1;
        hcl.push_str(&format!(
            "data \"aws_iam_policy_document\" \"d{i}\" {{\n  source_policy_documents = [data.aws_iam_policy_document.d{p}.json, data.aws_iam_policy_document.d{p}.json]\n}}\n"
        ));
    }
    hcl.push_str(
        "resource \"aws_iam_policy\" \"p\" { policy = data.aws_iam_policy_document.d39.json }\n",
    );
    let s = Scanned::tf(&hcl);
    let p = one(s.docs(s.attr("aws_iam_policy.p", "policy")));
    // Depth-limited: beyond 16 levels the document is unknown, and it returns at once.
    assert!(
        p.statements
            .iter()
            .all(|st| st.grants_full_admin() == Some(true))
    );
}

#[test]
fn templatefile_origin_maps_lines_into_the_template() {
    // As `templatefile("admin.json.tpl", { bucket = "b" })` returns it: the rendered text,
    // whose lines are the template's lines.
    let template = "{\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::${bucket}/*\"},\n    {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}\n";
    let rendered = template.replace("${bucket}", "b");
    let s = Scanned::tf_files(&[("main.tf", "# nothing\n"), ("admin.json.tpl", template)]);
    let mut node = Node::new(Value::String(rendered.into()), Span::new(FileId(0), 0, 9));
    node.origin = Some(Span::new(FileId(1), 0, template.len()));
    let p = one(s.docs(&node));
    assert_eq!(s.at(p.statements[0].span), "3:5");
    assert_eq!(s.at(p.statements[1].span), "4:5");
    let action = &p.statements[1].action.as_ref().unwrap().items[0];
    assert_eq!(s.at(action.span), "4:35");
    assert_eq!(admin(&p), vec![Some(false), Some(true)]);
}
