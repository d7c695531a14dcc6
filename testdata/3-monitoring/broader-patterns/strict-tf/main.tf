# With `strict-patterns`: patterns that match the same events as a CIS pattern, however
# written, pass; patterns that match more are findings at the pattern, unless another
# filter of this code matches exactly what the benchmark asks. Every other link holds.
resource "aws_cloudwatch_log_group" "cloudtrail" {
  name = "cloudtrail/cis"
}

resource "aws_cloudtrail" "main" {
  name                       = "cis"
  s3_bucket_name             = "example-cis-trail-logs"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.cloudtrail.arn}:*"
}

resource "aws_sns_topic" "alarms" {
  name = "cis-alarms"
}

resource "aws_sns_topic_subscription" "security_team" {
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = "security-alerts@example.com"
}

# CIS 3.2, v1.4.0's form, quoted differently and reordered.
resource "aws_cloudwatch_log_metric_filter" "console_no_mfa" {
  name           = "ConsoleNoMfa"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.responseElements.ConsoleLogin = Success && $.userIdentity.type = IAMUser && $.additionalEventData.MFAUsed != \"Yes\" && $.eventName = ConsoleLogin }"

  metric_transformation {
    name      = "ConsoleNoMfa"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "console_no_mfa" {
  alarm_name          = "console_no_mfa"
  metric_name         = "ConsoleNoMfa"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.4 with the eventSource every one of its events has.
resource "aws_cloudwatch_log_metric_filter" "iam_policy" {
  name           = "IamPolicy"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.eventSource = iam.amazonaws.com && ($.eventName=DeleteGroupPolicy||$.eventName=DeleteRolePolicy||$.eventName=DeleteUserPolicy||$.eventName=PutGroupPolicy||$.eventName=PutRolePolicy||$.eventName=PutUserPolicy||$.eventName=CreatePolicy||$.eventName=DeletePolicy||$.eventName=CreatePolicyVersion||$.eventName=DeletePolicyVersion||$.eventName=AttachRolePolicy||$.eventName=DetachRolePolicy||$.eventName=AttachUserPolicy||$.eventName=DetachUserPolicy||$.eventName=AttachGroupPolicy||$.eventName=DetachGroupPolicy) }"

  metric_transformation {
    name      = "IamPolicy"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "iam_policy" {
  alarm_name          = "iam_policy"
  metric_name         = "IamPolicy"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.5 as written ...
resource "aws_cloudwatch_log_metric_filter" "trail_changes" {
  name           = "TrailChanges"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }"

  metric_transformation {
    name      = "TrailChanges"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "trail_changes" {
  alarm_name          = "trail_changes"
  metric_name         = "TrailChanges"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# ... beside a broader one: the control does not rely on it.
resource "aws_cloudwatch_log_metric_filter" "trail_reads" {
  name           = "TrailReads"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.eventSource = cloudtrail.amazonaws.com }"

  metric_transformation {
    name      = "TrailReads"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "trail_reads" {
  alarm_name          = "trail_reads"
  metric_name         = "TrailReads"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.7 with `&&` distributed over `||`.
resource "aws_cloudwatch_log_metric_filter" "cmk" {
  name           = "Cmk"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ ($.eventName = DisableKey && $.eventSource = kms.amazonaws.com) || ($.eventSource = kms.amazonaws.com && $.eventName = ScheduleKeyDeletion) }"

  metric_transformation {
    name      = "Cmk"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "cmk" {
  alarm_name          = "cmk"
  metric_name         = "Cmk"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.10 with wildcards: more events than the six CIS names.
resource "aws_cloudwatch_log_metric_filter" "security_groups" {
  name           = "SecurityGroups"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.eventName = \"AuthorizeSecurityGroup*\" || $.eventName = \"RevokeSecurityGroup*\" || $.eventName = CreateSecurityGroup || $.eventName = DeleteSecurityGroup }"

  metric_transformation {
    name      = "SecurityGroups"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "security_groups" {
  alarm_name          = "security_groups"
  metric_name         = "SecurityGroups"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.11 with one wildcard for two of its events.
resource "aws_cloudwatch_log_metric_filter" "nacl" {
  name           = "Nacl"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = \"ReplaceNetworkAcl*\") }"

  metric_transformation {
    name      = "Nacl"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "nacl" {
  alarm_name          = "nacl"
  metric_name         = "Nacl"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.13 in its v3.0.0 audit form.
resource "aws_cloudwatch_log_metric_filter" "route_tables" {
  name           = "RouteTables"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{($.eventSource = ec2.amazonaws.com) && ($.eventName =CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName =ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName= DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName =DisassociateRouteTable) }"

  metric_transformation {
    name      = "RouteTables"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "route_tables" {
  alarm_name          = "route_tables"
  metric_name         = "RouteTables"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}
