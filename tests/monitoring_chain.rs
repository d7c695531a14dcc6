//! The 3.1–3.15 monitoring chains, control by control and link by link, in Terraform and in
//! CloudFormation: for every control, a complete chain passes, a reformatted-but-equivalent
//! pattern passes, and each broken link gives exactly one finding of the right rule at the
//! right line and column (the broken link itself). The fixture text is generated per case
//! in a temporary directory; locations are found in that text, not computed by cislint.

/// Every rule the chains touch.
const RULES: &[&str] = &[
    "monitor-unauthorized-api-calls",
    "monitor-console-login-without-mfa",
    "monitor-root-account-usage",
    "monitor-iam-policy-changes",
    "monitor-cloudtrail-changes",
    "monitor-console-auth-failures",
    "monitor-cmk-disable-deletion",
    "monitor-s3-bucket-policy-changes",
    "monitor-config-changes",
    "monitor-security-group-changes",
    "monitor-nacl-changes",
    "monitor-network-gateway-changes",
    "monitor-route-table-changes",
    "monitor-vpc-changes",
    "sns-topic-subscribers",
];

/// Per control: CIS number, an equivalent or broader pattern written differently, and a
/// pattern that misses events.
const CONTROLS: &[(&str, &str, &str)] = &[
    (
        "3.1",
        r#"{($.errorCode="AccessDenied*")||($.errorCode = "*UnauthorizedOperation")}"#,
        r#"{ $.errorCode = "AccessDenied*" }"#,
    ),
    (
        "3.2",
        r#"{ $.additionalEventData.MFAUsed != Yes && $.eventName = ConsoleLogin }"#,
        r#"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed = "No") }"#,
    ),
    (
        "3.3",
        r#"{ ($.eventType != "AwsServiceEvent") && ($.userIdentity.invokedBy NOT EXISTS) && ($.userIdentity.type = Root) }"#,
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" && $.sourceIPAddress != "203.0.113.7" }"#,
    ),
    (
        "3.4",
        r#"{ ($.eventName = "DetachGroupPolicy") || ($.eventName = "AttachGroupPolicy") || ($.eventName = "DetachUserPolicy") || ($.eventName = "AttachUserPolicy") || ($.eventName = "DetachRolePolicy") || ($.eventName = "AttachRolePolicy") || ($.eventName = "DeletePolicyVersion") || ($.eventName = "CreatePolicyVersion") || ($.eventName = "DeletePolicy") || ($.eventName = "CreatePolicy") || ($.eventName = "PutUserPolicy") || ($.eventName = "PutRolePolicy") || ($.eventName = "PutGroupPolicy") || ($.eventName = "DeleteUserPolicy") || ($.eventName = "DeleteRolePolicy") || ($.eventName = "DeleteGroupPolicy") }"#,
        r#"{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)}"#,
    ),
    (
        "3.5",
        r#"{ $.eventSource = "cloudtrail.amazonaws.com" && ($.eventName = StopLogging || $.eventName = StartLogging || $.eventName = DeleteTrail || $.eventName = UpdateTrail || $.eventName = CreateTrail) }"#,
        r#"{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) }"#,
    ),
    (
        "3.6",
        r#"{ $.errorMessage = "Failed authentication" && $.eventName = "ConsoleLogin" }"#,
        r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failedauthentication") }"#,
    ),
    (
        "3.7",
        r#"{ ($.eventName = ScheduleKeyDeletion || $.eventName = DisableKey) && $.eventSource = "kms.amazonaws.com" }"#,
        r#"{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }"#,
    ),
    (
        "3.8",
        r#"{ $.eventSource = s3.amazonaws.com && ($.eventName = "PutBucket*" || $.eventName = "DeleteBucket*") }"#,
        r#"{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle)) }"#,
    ),
    (
        "3.9",
        r#"{ (($.eventName = "PutConfigurationRecorder") || ($.eventName = "PutDeliveryChannel") || ($.eventName = "DeleteDeliveryChannel") || ($.eventName = "StopConfigurationRecorder")) && ($.eventSource = "config.amazonaws.com") }"#,
        r#"{($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel))}"#,
    ),
    (
        "3.10",
        r#"{ $.eventName = "AuthorizeSecurityGroup*" || $.eventName = "RevokeSecurityGroup*" || $.eventName = "CreateSecurityGroup" || $.eventName = "DeleteSecurityGroup" }"#,
        r#"{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)}"#,
    ),
    (
        "3.11",
        r#"{ $.eventSource = ec2.amazonaws.com && (($.eventName = ReplaceNetworkAclAssociation) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = CreateNetworkAcl)) }"#,
        r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) }"#,
    ),
    (
        "3.12",
        r#"{($.eventName="DetachInternetGateway")||($.eventName="DeleteInternetGateway")||($.eventName="CreateInternetGateway")||($.eventName="AttachInternetGateway")||($.eventName="DeleteCustomerGateway")||($.eventName="CreateCustomerGateway")}"#,
        r#"{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) }"#,
    ),
    (
        "3.13",
        r#"{($.eventSource = ec2.amazonaws.com) && ($.eventName =CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName =ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName= DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName =DisassociateRouteTable) }"#,
        r#"{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) }"#,
    ),
    (
        "3.14",
        r#"{ ($.eventName = EnableVpcClassicLink) || ($.eventName = DisableVpcClassicLink) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = ModifyVpcAttribute) || ($.eventName = DeleteVpc) || ($.eventName = CreateVpc) }"#,
        r#"{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) }"#,
    ),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Dialect {
    Terraform,
    CloudFormation,
}

/// One chain, link by link; the defaults make a complete chain.
#[derive(Clone)]
struct Chain {
    pattern: String,
    multi_region: bool,
    logging: bool,
    /// The trail's event selector includes management events.
    management: bool,
    /// The filter's log group: `None` for the trail's group (by reference).
    filter_group: Option<&'static str>,
    filter_name: &'static str,
    metric: &'static str,
    alarm_metric: AlarmMetric,
    alarm_namespace: &'static str,
    actions_enabled: bool,
    /// `None`: the topic; otherwise the literal list written.
    actions: Option<&'static str>,
    subscribed: bool,
}

#[derive(Clone, Copy)]
enum AlarmMetric {
    Literal(&'static str),
    /// Terraform `aws_cloudwatch_log_metric_filter.cis.id` (the filter's name).
    FilterId,
}

impl Chain {
    fn new(pattern: &str) -> Chain {
        Chain {
            pattern: pattern.to_string(),
            multi_region: true,
            logging: true,
            management: true,
            filter_group: None,
            filter_name: "cis-filter",
            metric: "CisMetric",
            alarm_metric: AlarmMetric::Literal("CisMetric"),
            alarm_namespace: "CISBenchmark",
            actions_enabled: true,
            actions: None,
            subscribed: true,
        }
    }

    fn terraform(&self) -> String {
        let group = match self.filter_group {
            None => "aws_cloudwatch_log_group.trail.name".to_string(),
            Some(g) => format!("\"{g}\""),
        };
        let pattern = format!(
            "\"{}\"",
            self.pattern.replace('\\', "\\\\").replace('"', "\\\"")
        );
        let metric = match self.alarm_metric {
            AlarmMetric::Literal(m) => format!("\"{m}\""),
            AlarmMetric::FilterId => "aws_cloudwatch_log_metric_filter.cis.id".to_string(),
        };
        let actions = self.actions.unwrap_or("[aws_sns_topic.alarms.arn]");
        let subscription = if self.subscribed {
            "\nresource \"aws_sns_topic_subscription\" \"team\" {\n  topic_arn = aws_sns_topic.alarms.arn\n  protocol  = \"email\"\n  endpoint  = \"security@example.com\"\n}\n"
        } else {
            ""
        };
        format!(
            r#"resource "aws_cloudwatch_log_group" "trail" {{
  name = "cloudtrail/cis"
}}

resource "aws_cloudtrail" "main" {{
  name                       = "cis"
  s3_bucket_name             = "example-trail-bucket"
  is_multi_region_trail      = {multi}
  enable_logging             = {logging}
  cloud_watch_logs_group_arn = "${{aws_cloudwatch_log_group.trail.arn}}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/cloudtrail"

  event_selector {{
    read_write_type           = "All"
    include_management_events = {management}
  }}
}}

resource "aws_cloudwatch_log_metric_filter" "cis" {{
  name           = "{fname}"
  log_group_name = {group}
  pattern        = {pattern}

  metric_transformation {{
    name      = "{metric_name}"
    namespace = "CISBenchmark"
    value     = "1"
  }}
}}

resource "aws_cloudwatch_metric_alarm" "cis" {{
  alarm_name          = "cis"
  metric_name         = {metric}
  namespace           = "{ns}"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  actions_enabled     = {enabled}
  alarm_actions       = {actions}
}}

resource "aws_sns_topic" "alarms" {{
  name = "cis-alarms"
}}
{subscription}"#,
            multi = self.multi_region,
            logging = self.logging,
            management = self.management,
            fname = self.filter_name,
            metric_name = self.metric,
            ns = self.alarm_namespace,
            enabled = self.actions_enabled,
        )
    }

    fn cloudformation(&self) -> String {
        let group = self.filter_group.unwrap_or("!Ref TrailLogGroup");
        let pattern = format!("'{}'", self.pattern.replace('\'', "''"));
        let metric = match self.alarm_metric {
            AlarmMetric::Literal(m) => m,
            AlarmMetric::FilterId => "!Ref Filter",
        };
        let actions = self.actions.unwrap_or("[!Ref AlarmTopic]");
        let subscription = if self.subscribed {
            "  Team:\n    Type: AWS::SNS::Subscription\n    Properties:\n      TopicArn: !Ref AlarmTopic\n      Protocol: email\n      Endpoint: security@example.com\n"
        } else {
            ""
        };
        format!(
            r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  TrailLogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: cloudtrail/cis
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: {logging}
      IsMultiRegionTrail: {multi}
      S3BucketName: example-trail-bucket
      CloudWatchLogsLogGroupArn: !GetAtt TrailLogGroup.Arn
      CloudWatchLogsRoleArn: arn:aws:iam::123456789012:role/cloudtrail
      EventSelectors:
        - ReadWriteType: All
          IncludeManagementEvents: {management}
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      FilterName: {fname}
      LogGroupName: {group}
      FilterPattern: {pattern}
      MetricTransformations:
        - MetricName: {metric_name}
          MetricNamespace: CISBenchmark
          MetricValue: "1"
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      MetricName: {metric}
      Namespace: {ns}
      Statistic: Sum
      Period: 300
      EvaluationPeriods: 1
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      ActionsEnabled: {enabled}
      AlarmActions: {actions}
  AlarmTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: cis-alarms
{subscription}"#,
            multi = self.multi_region,
            logging = self.logging,
            management = self.management,
            fname = self.filter_name,
            metric_name = self.metric,
            ns = self.alarm_namespace,
            enabled = self.actions_enabled,
        )
    }

    fn text(&self, d: Dialect) -> String {
        match d {
            Dialect::Terraform => self.terraform(),
            Dialect::CloudFormation => self.cloudformation(),
        }
    }
}

/// Where the value after `needle` starts (1-based line and column).
fn locate(text: &str, needle: &str) -> (usize, usize) {
    locate_at(text, needle, needle.len())
}

/// The 1-based line and column `offset` bytes into the only occurrence of `needle`.
fn locate_at(text: &str, needle: &str, offset: usize) -> (usize, usize) {
    let hits: Vec<_> = text.match_indices(needle).collect();
    assert_eq!(hits.len(), 1, "`{needle}` must occur once in:\n{text}");
    let at = hits[0].0 + offset;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    (line, text[line_start..at].chars().count() + 1)
}

/// Scans `text` as the only file of a fresh directory; findings as `line:col rule[ undetermined]`.
fn scan(d: Dialect, text: &str) -> Vec<String> {
    scan_with(d, text, false).0
}

/// [`scan`] with or without `strict-patterns`: the findings, and the notes as
/// `line:col code`.
fn scan_with(d: Dialect, text: &str, strict_patterns: bool) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let name = match d {
        Dialect::Terraform => "main.tf",
        Dialect::CloudFormation => "template.yaml",
    };
    std::fs::write(dir.path().join(name), text).unwrap();
    let options = cislint::RunOptions {
        strict_patterns,
        ..Default::default()
    };
    let (scanned, outcome) =
        cislint::run_with_options(&[dir.path().to_path_buf()], &options, &|id| {
            RULES.contains(&id)
        });
    assert!(
        scanned.errors.is_empty(),
        "input errors {:?} in:\n{text}",
        scanned.errors
    );
    let mut out = Vec::new();
    for (list, suffix) in [
        (&outcome.findings, ""),
        (&outcome.undetermined, " undetermined"),
    ] {
        for f in list {
            let lc = scanned.sources.start(f.span);
            out.push(format!("{}:{} {}{suffix}", lc.line, lc.column, f.rule()));
        }
    }
    out.sort();
    let mut notes: Vec<String> = outcome
        .notices
        .iter()
        .filter(|n| n.level() == cislint::notice::Level::Note)
        .map(|n| {
            let lc = scanned.sources.start(n.span.expect("notes have a place"));
            format!("{}:{} {}", lc.line, lc.column, n.code)
        })
        .collect();
    notes.sort();
    (out, notes)
}

fn rule_of(cis: &str) -> &'static str {
    let n: usize = cis[2..].parse().unwrap();
    RULES[n - 1]
}

/// Where a finding is: `offset` bytes into the only occurrence of `needle`.
struct Loc {
    needle: &'static str,
    offset: usize,
}

/// After `needle` (the value of `key = ` / `Key: `).
const fn after(needle: &'static str) -> Loc {
    Loc {
        needle,
        offset: needle.len(),
    }
}

/// A failing variant: what to change, and where the finding is in each dialect.
struct Broken {
    name: &'static str,
    change: fn(&mut Chain),
    tf: Loc,
    cfn: Loc,
    rule_315: bool,
}

const BROKEN: &[Broken] = &[
    Broken {
        name: "filter on a log group no trail delivers to",
        change: |c| c.filter_group = Some("cloudtrail/other"),
        tf: after("log_group_name = "),
        cfn: Loc {
            needle: "LogGroupName: cloudtrail/other",
            offset: "LogGroupName: ".len(),
        },
        rule_315: false,
    },
    Broken {
        name: "the only trail records one region",
        change: |c| c.multi_region = false,
        tf: after("log_group_name = "),
        cfn: Loc {
            needle: "LogGroupName: !Ref",
            offset: "LogGroupName: ".len(),
        },
        rule_315: false,
    },
    Broken {
        name: "the only trail is not logging",
        change: |c| c.logging = false,
        tf: after("log_group_name = "),
        cfn: Loc {
            needle: "LogGroupName: !Ref",
            offset: "LogGroupName: ".len(),
        },
        rule_315: false,
    },
    Broken {
        name: "the only trail records no management events",
        change: |c| c.management = false,
        tf: after("log_group_name = "),
        cfn: Loc {
            needle: "LogGroupName: !Ref",
            offset: "LogGroupName: ".len(),
        },
        rule_315: false,
    },
    Broken {
        name: "no alarm on the metric name",
        change: |c| c.alarm_metric = AlarmMetric::Literal("SomeOtherMetric"),
        tf: after("    name      = "),
        cfn: after("- MetricName: "),
        rule_315: false,
    },
    Broken {
        name: "alarm in another namespace",
        change: |c| c.alarm_namespace = "Other",
        tf: after("    name      = "),
        cfn: after("- MetricName: "),
        rule_315: false,
    },
    Broken {
        name: "alarm on the filter's name, not its metric",
        change: |c| c.alarm_metric = AlarmMetric::FilterId,
        tf: after("    name      = "),
        cfn: after("- MetricName: "),
        rule_315: false,
    },
    Broken {
        name: "alarm without actions",
        change: |c| c.actions = Some("[]"),
        tf: after("alarm_actions       = "),
        cfn: after("AlarmActions: "),
        rule_315: false,
    },
    Broken {
        name: "alarm whose action is not SNS",
        change: |c| c.actions = Some(r#"["arn:aws:automate:us-east-1:ec2:stop"]"#),
        tf: after("alarm_actions       = "),
        cfn: after("AlarmActions: "),
        rule_315: false,
    },
    Broken {
        name: "alarm with actions disabled",
        change: |c| c.actions_enabled = false,
        tf: after("actions_enabled     = "),
        cfn: after("ActionsEnabled: "),
        rule_315: false,
    },
    Broken {
        name: "topic without subscriber",
        change: |c| c.subscribed = false,
        tf: Loc {
            needle: "resource \"aws_sns_topic\" \"alarms\"",
            offset: 0,
        },
        cfn: Loc {
            needle: "AlarmTopic:\n",
            offset: 0,
        },
        rule_315: true,
    },
];

fn check(d: Dialect, cis: &str, chain: &Chain, expected: Vec<String>, what: &str) {
    let text = chain.text(d);
    let actual = scan(d, &text);
    assert_eq!(actual, expected, "{d:?} {cis} {what}:\n{text}");
}

#[test]
fn complete_chains_pass() {
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        for (cis, reformatted, _) in CONTROLS {
            for p in cislint::filter_pattern::cis_patterns(cis) {
                check(d, cis, &Chain::new(p), vec![], "accepted pattern");
            }
            check(
                d,
                cis,
                &Chain::new(reformatted),
                vec![],
                "reformatted pattern",
            );
        }
    }
}

#[test]
fn a_pattern_that_misses_events_is_reported_at_the_pattern() {
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        for (cis, _, failing) in CONTROLS {
            let chain = Chain::new(failing);
            let needle = match d {
                Dialect::Terraform => "pattern        = ",
                Dialect::CloudFormation => "FilterPattern: ",
            };
            let (l, c) = locate(&chain.text(d), needle);
            check(
                d,
                cis,
                &chain,
                vec![format!("{l}:{c} {}", rule_of(cis))],
                "failing pattern",
            );
        }
    }
}

/// Per control: a pattern that passes it while matching more events than the benchmark's
/// (and covers no other control).
const BROADER: &[(&str, &str)] = &[
    ("3.1", r#"{ $.errorCode = "*" }"#),
    (
        "3.2",
        r#"{ ($.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed != "Yes") || $.eventName = CheckMfa }"#,
    ),
    (
        "3.3",
        r#"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }"#,
    ),
    (
        "3.4",
        "{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)||($.eventName=GetPolicy)}",
    ),
    ("3.5", "{ $.eventSource = cloudtrail.amazonaws.com }"),
    (
        "3.6",
        r#"{ $.eventName = ConsoleLogin && $.errorMessage = "Failed*" }"#,
    ),
    ("3.7", r#"{ $.eventSource = "kms.amazonaws.com" }"#),
    ("3.8", r#"{ $.eventSource = "s3.amazonaws.com" }"#),
    ("3.9", "{ $.eventSource = config.amazonaws.com }"),
    ("3.10", r#"{ $.eventName = "*SecurityGroup*" }"#),
    (
        "3.11",
        r#"{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = "ReplaceNetworkAcl*") }"#,
    ),
    ("3.12", r#"{ $.eventName = "*Gateway" }"#),
    ("3.13", r#"{ $.eventName = "*Route*" }"#),
    ("3.14", r#"{ $.eventName = "*Vpc*" }"#),
];

/// The controls whose reformatted pattern in [`CONTROLS`] matches more than the CIS one
/// (wildcards standing for the events CIS lists).
const BROADER_REFORMATS: &[&str] = &["3.8", "3.10"];

fn pattern_location(d: Dialect, text: &str) -> String {
    let needle = match d {
        Dialect::Terraform => "pattern        = ",
        Dialect::CloudFormation => "FilterPattern: ",
    };
    let (l, c) = locate(text, needle);
    format!("{l}:{c}")
}

#[test]
fn a_broader_pattern_passes_with_a_note_at_the_pattern() {
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        for (cis, pattern) in BROADER {
            let text = Chain::new(pattern).text(d);
            let at = pattern_location(d, &text);
            assert_eq!(
                scan_with(d, &text, false),
                (vec![], vec![format!("{at} broader-pattern")]),
                "{d:?} {cis}:\n{text}"
            );
        }
    }
}

#[test]
fn with_strict_patterns_a_broader_pattern_breaks_the_chain_at_the_pattern() {
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        for (cis, pattern) in BROADER {
            let text = Chain::new(pattern).text(d);
            let at = pattern_location(d, &text);
            assert_eq!(
                scan_with(d, &text, true),
                (vec![format!("{at} {}", rule_of(cis))], vec![]),
                "{d:?} {cis}:\n{text}"
            );
        }
    }
}

#[test]
fn with_strict_patterns_equivalent_patterns_still_pass() {
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        for (cis, reformatted, _) in CONTROLS {
            for (i, p) in cislint::filter_pattern::cis_patterns(cis)
                .iter()
                .enumerate()
            {
                let text = Chain::new(p).text(d);
                let (findings, notes) = scan_with(d, &text, true);
                if (*cis, i) == ("3.1", 1) {
                    // v1.4.0's `||` makes it match nearly every event (spec §3.2 item 5):
                    // broader than v1.1.0's, and than most other controls' patterns.
                    let at = pattern_location(d, &text);
                    assert!(
                        findings.contains(&format!("{at} monitor-unauthorized-api-calls"))
                            && findings.iter().all(|f| f.starts_with(&format!("{at} "))),
                        "{d:?}: {findings:?}"
                    );
                } else {
                    assert_eq!(findings, Vec::<String>::new(), "{d:?} {cis}[{i}]");
                    // Nothing to note in the default mode either.
                    assert_eq!(
                        scan_with(d, &text, false).1,
                        Vec::<String>::new(),
                        "{d:?} {cis}[{i}]"
                    );
                }
                assert_eq!(notes, Vec::<String>::new(), "{d:?} {cis}[{i}]");
            }
            let text = Chain::new(reformatted).text(d);
            let expected = if BROADER_REFORMATS.contains(cis) {
                vec![format!("{} {}", pattern_location(d, &text), rule_of(cis))]
            } else {
                vec![]
            };
            assert_eq!(
                scan_with(d, &text, true),
                (expected, vec![]),
                "{d:?} {cis}:\n{text}"
            );
        }
    }
}

#[test]
fn each_broken_link_is_reported_where_it_breaks() {
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        for (cis, _, _) in CONTROLS {
            let accepted = cislint::filter_pattern::cis_patterns(cis)[0];
            for b in BROKEN {
                let mut chain = Chain::new(accepted);
                (b.change)(&mut chain);
                let loc = match d {
                    Dialect::Terraform => &b.tf,
                    Dialect::CloudFormation => &b.cfn,
                };
                let (l, c) = locate_at(&chain.text(d), loc.needle, loc.offset);
                let rule = if b.rule_315 {
                    "sns-topic-subscribers"
                } else {
                    rule_of(cis)
                };
                check(d, cis, &chain, vec![format!("{l}:{c} {rule}")], b.name);
            }
        }
    }
}

#[test]
fn unknown_links_are_undetermined_never_findings() {
    // Terraform: alarm actions from a variable without a value.
    let mut chain = Chain::new(cislint::filter_pattern::cis_patterns("3.5")[0]);
    chain.actions = Some("var.alarm_actions");
    let mut text = chain.terraform();
    text.push_str("\nvariable \"alarm_actions\" {\n  type = list(string)\n}\n");
    let (l, c) = locate(&text, "alarm_actions       = ");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-cloudtrail-changes undetermined")]
    );
    // An empty list from a variable default: a module's caller fills it.
    let mut text = chain.terraform();
    text.push_str("\nvariable \"alarm_actions\" {\n  type    = list(string)\n  default = []\n}\n");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-cloudtrail-changes undetermined")]
    );
    // A log group named by a variable, in a unit whose trail delivers to a known group:
    // it may be that group or another one.
    let mut chain = Chain::new(cislint::filter_pattern::cis_patterns("3.5")[0]);
    chain.filter_group = Some("${var.group}");
    let mut text = chain.terraform();
    text.push_str("\nvariable \"group\" {\n  type = string\n}\n");
    let (l, c) = locate(&text, "log_group_name = ");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-cloudtrail-changes undetermined")]
    );
    // Without a trail delivering to CloudWatch in the unit (a module scanned alone), the
    // chain leaves the code: nothing to say.
    let text = text.replace(
        "cloud_watch_logs_group_arn = \"${aws_cloudwatch_log_group.trail.arn}:*\"",
        "",
    );
    assert_eq!(scan(Dialect::Terraform, &text), Vec::<String>::new());
    // Whether the trail is multi-region is unknown.
    let chain = Chain::new(cislint::filter_pattern::cis_patterns("3.5")[0]);
    let mut text = chain.terraform().replace(
        "is_multi_region_trail      = true",
        "is_multi_region_trail      = var.everywhere",
    );
    text.push_str("\nvariable \"everywhere\" {\n  type = bool\n}\n");
    let (l, c) = locate(&text, "log_group_name = ");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-cloudtrail-changes undetermined")]
    );
    // CloudFormation: alarm actions imported from another stack.
    let mut chain = Chain::new(cislint::filter_pattern::cis_patterns("3.5")[0]);
    chain.actions = Some("[!ImportValue alerts-topic]");
    let text = chain.cloudformation();
    let (l, c) = locate(&text, "AlarmActions: ");
    assert_eq!(
        scan(Dialect::CloudFormation, &text),
        vec![format!("{l}:{c} monitor-cloudtrail-changes undetermined")]
    );
}

#[test]
fn an_exported_topic_may_be_subscribed_elsewhere() {
    let mut chain = Chain::new(cislint::filter_pattern::cis_patterns("3.1")[0]);
    chain.subscribed = false;
    let mut text = chain.terraform();
    text.push_str("\noutput \"alarm_topic_arn\" {\n  value = aws_sns_topic.alarms.arn\n}\n");
    assert_eq!(scan(Dialect::Terraform, &text), Vec::<String>::new());
    let mut text = chain.cloudformation();
    text.push_str("Outputs:\n  TopicArn:\n    Value: !Ref AlarmTopic\n");
    assert_eq!(scan(Dialect::CloudFormation, &text), Vec::<String>::new());
}

/// The chain status per control, for the account scope.
fn statuses(d: Dialect, text: &str) -> Vec<(String, cislint::model::monitoring::ChainStatus)> {
    let dir = tempfile::tempdir().unwrap();
    let name = match d {
        Dialect::Terraform => "main.tf",
        Dialect::CloudFormation => "template.yaml",
    };
    std::fs::write(dir.path().join(name), text).unwrap();
    let inputs = cislint::discover::discover(
        &[dir.path().to_path_buf()],
        &cislint::root::ProjectRoot::at(dir.path()),
    );
    let scanned = cislint::scan::scan(inputs);
    let model = cislint::model::Model::build(&scanned.graph, &scanned.sources);
    cislint::model::monitoring::CONTROLS
        .iter()
        .map(|c| (c.to_string(), model.monitoring.status(c)))
        .filter(|(_, s)| *s != cislint::model::monitoring::ChainStatus::Absent)
        .collect()
}

#[test]
fn the_account_scope_can_ask_for_a_complete_chain() {
    use cislint::model::monitoring::ChainStatus::*;
    let accepted = cislint::filter_pattern::cis_patterns("3.5")[0];
    for d in [Dialect::Terraform, Dialect::CloudFormation] {
        let chain = Chain::new(accepted);
        assert_eq!(statuses(d, &chain.text(d)), vec![("3.5".into(), Complete)]);
        let mut broken = Chain::new(accepted);
        broken.actions = Some("[]");
        assert_eq!(statuses(d, &broken.text(d)), vec![("3.5".into(), Broken)]);
        let failing = Chain::new(CONTROLS[4].2);
        assert_eq!(statuses(d, &failing.text(d)), vec![("3.5".into(), Broken)]);
    }
    let mut open = Chain::new(accepted);
    open.filter_group = Some("${var.group}");
    let mut text = open.terraform();
    text.push_str("\nvariable \"group\" {\n  type = string\n}\n");
    assert_eq!(
        statuses(Dialect::Terraform, &text),
        vec![("3.5".into(), Undetermined)]
    );
}

#[test]
fn a_literal_arn_may_name_a_topic_whose_name_is_unknown() {
    let mut chain = Chain::new(cislint::filter_pattern::cis_patterns("3.1")[0]);
    chain.subscribed = false;
    let text = chain
        .terraform()
        .replace("  name = \"cis-alarms\"\n", "  name = var.topic\n")
        + "\nvariable \"topic\" {\n  type = string\n}\n\nresource \"aws_sns_topic_subscription\" \"team\" {\n  topic_arn = \"arn:aws:sns:us-east-1:123456789012:cis-alarms\"\n  protocol  = \"email\"\n  endpoint  = \"security@example.com\"\n}\n";
    let (l, c) = locate_at(&text, "resource \"aws_sns_topic\" \"alarms\"", 0);
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} sns-topic-subscribers undetermined")]
    );
}

#[test]
fn a_near_miss_on_another_log_group_reads_other_logs() {
    // An application's JSON logs with an `errorCode` field, filtered for access errors: the
    // trail delivers elsewhere, so this is not a CIS 3.1 filter missing a clause.
    let mut chain = Chain::new(r#"{ $.errorCode = "AccessDenied*" }"#);
    chain.filter_group = Some("app/payments");
    assert_eq!(
        scan(Dialect::Terraform, &chain.terraform()),
        Vec::<String>::new()
    );
    // The same pattern where no trail says otherwise is a near miss.
    chain.filter_group = None;
    let text = chain.terraform();
    let (l, c) = locate(&text, "pattern        = ");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-unauthorized-api-calls")]
    );
}

#[test]
fn two_uses_of_one_unknown_parameter_are_the_same_value() {
    // The namespace comes from a parameter without a default: unknown, but the filter and
    // the alarm use the same one.
    let chain = Chain::new(cislint::filter_pattern::cis_patterns("3.9")[0]);
    let text = format!(
        "Parameters:\n  Ns:\n    Type: String\n{}",
        chain
            .cloudformation()
            .replace("MetricNamespace: CISBenchmark", "MetricNamespace: !Ref Ns")
            .replace("Namespace: CISBenchmark", "Namespace: !Ref Ns")
    );
    assert_eq!(scan(Dialect::CloudFormation, &text), Vec::<String>::new());
    // Terraform: a variable without a default, used by both.
    let mut text = chain
        .terraform()
        .replace("namespace = \"CISBenchmark\"", "namespace = var.ns")
        .replace(
            "namespace           = \"CISBenchmark\"",
            "namespace           = var.ns",
        );
    text.push_str("\nvariable \"ns\" {\n  type = string\n}\n");
    assert_eq!(scan(Dialect::Terraform, &text), Vec::<String>::new());
    // Two different unknowns cannot be compared: undetermined, not a finding.
    let mut text = chain
        .terraform()
        .replace("namespace = \"CISBenchmark\"", "namespace = var.ns")
        .replace(
            "namespace           = \"CISBenchmark\"",
            "namespace           = var.other",
        );
    text.push_str(
        "\nvariable \"ns\" {\n  type = string\n}\n\nvariable \"other\" {\n  type = string\n}\n",
    );
    let (l, c) = locate(&text, "    name      = ");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-config-changes undetermined")]
    );
}

#[test]
fn metric_math_alarms_watch_the_metrics_of_their_queries() {
    let chain = Chain::new(cislint::filter_pattern::cis_patterns("3.12")[0]);
    let text = chain.terraform().replace(
        "  metric_name         = \"CisMetric\"\n  namespace           = \"CISBenchmark\"\n  statistic           = \"Sum\"\n  period              = 300\n",
        "  metric_query {\n    id          = \"m1\"\n    return_data = true\n\n    metric {\n      metric_name = \"CisMetric\"\n      namespace   = \"CISBenchmark\"\n      period      = 300\n      stat        = \"Sum\"\n    }\n  }\n",
    );
    assert!(text.contains("metric_query"));
    assert_eq!(scan(Dialect::Terraform, &text), Vec::<String>::new());
    let text = chain.cloudformation().replace(
        "      MetricName: CisMetric\n      Namespace: CISBenchmark\n      Statistic: Sum\n      Period: 300\n",
        "      Metrics:\n        - Id: m1\n          ReturnData: true\n          MetricStat:\n            Metric:\n              MetricName: CisMetric\n              Namespace: CISBenchmark\n            Period: 300\n            Stat: Sum\n",
    );
    assert!(text.contains("MetricStat"));
    assert_eq!(scan(Dialect::CloudFormation, &text), Vec::<String>::new());
}

#[test]
fn a_redundant_broken_chain_beside_a_complete_one_is_not_a_gap() {
    let chain = Chain::new(cislint::filter_pattern::cis_patterns("3.11")[0]);
    // The 3.11 pattern has no quotes to escape.
    let extra = format!(
        "\nresource \"aws_cloudwatch_log_metric_filter\" \"duplicate\" {{\n  name           = \"duplicate\"\n  log_group_name = aws_cloudwatch_log_group.trail.name\n  pattern        = \"{}\"\n\n  metric_transformation {{\n    name      = \"Unwatched\"\n    namespace = \"CISBenchmark\"\n    value     = \"1\"\n  }}\n}}\n",
        cislint::filter_pattern::cis_patterns("3.11")[0]
    );
    let text = chain.terraform() + &extra;
    assert_eq!(scan(Dialect::Terraform, &text), Vec::<String>::new());
    // Without the complete chain, the duplicate's missing alarm is the gap.
    let mut broken = chain.clone();
    broken.actions = Some("[]");
    let text = broken.terraform() + &extra;
    let (l1, c1) = locate(&text, "alarm_actions       = ");
    let (l2, c2) = locate(&text, "name      = \"Unwatched\"");
    let (l2, c2) = (l2, c2 - "\"Unwatched\"".len());
    let mut expected = vec![
        format!("{l1}:{c1} monitor-nacl-changes"),
        format!("{l2}:{c2} monitor-nacl-changes"),
    ];
    expected.sort();
    assert_eq!(scan(Dialect::Terraform, &text), expected);
}

#[test]
fn literal_log_group_arns_and_names_link() {
    let mut chain = Chain::new(cislint::filter_pattern::cis_patterns("3.8")[0]);
    chain.filter_group = Some("cloudtrail/cis");
    let arn = "\"arn:aws:logs:us-east-1:123456789012:log-group:cloudtrail/cis:*\"";
    // No log group resource at all: the trail's ARN and the filter's name agree.
    let text = chain
        .terraform()
        .replace("\"${aws_cloudwatch_log_group.trail.arn}:*\"", arn)
        .replace(
            "resource \"aws_cloudwatch_log_group\" \"trail\" {\n  name = \"cloudtrail/cis\"\n}\n",
            "",
        );
    assert!(!text.contains("aws_cloudwatch_log_group"));
    assert_eq!(scan(Dialect::Terraform, &text), Vec::<String>::new());
    // They disagree: the filter reads a group the trail does not deliver to.
    let text = text.replace(
        "log_group_name = \"cloudtrail/cis\"",
        "log_group_name = \"cloudtrail/old\"",
    );
    let (l, c) = locate(&text, "log_group_name = ");
    assert_eq!(
        scan(Dialect::Terraform, &text),
        vec![format!("{l}:{c} monitor-s3-bucket-policy-changes")]
    );
}
