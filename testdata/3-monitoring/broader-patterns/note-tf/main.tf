# Metric filters whose patterns pass a CIS 3.x control while matching more than its
# pattern (notes; findings with `strict-patterns`), beside one that only rewrites a CIS
# pattern (nothing to say) and a match-all filter whose chain is broken (nothing relies
# on it). Every other link of the chains holds.
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

# CIS 3.8: every S3 call, not only the bucket-policy changes.
resource "aws_cloudwatch_log_metric_filter" "s3_any_call" {
  name           = "S3AnyCall"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.eventSource = \"s3.amazonaws.com\" }"

  metric_transformation {
    name      = "S3AnyCall"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "s3_any_call" {
  alarm_name          = "s3_any_call"
  metric_name         = "S3AnyCall"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.2 and 3.6: every console sign-in.
resource "aws_cloudwatch_log_metric_filter" "console_login" {
  name           = "ConsoleLogin"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.eventName = ConsoleLogin }"

  metric_transformation {
    name      = "ConsoleLogin"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_metric_alarm" "console_login" {
  alarm_name          = "console_login"
  metric_name         = "ConsoleLogin"
  namespace           = "CISBenchmark"
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.alarms.arn]
}

# CIS 3.5, rewritten: the same events as the CIS pattern.
resource "aws_cloudwatch_log_metric_filter" "trail_changes" {
  name           = "TrailChanges"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ $.eventSource = \"cloudtrail.amazonaws.com\" && ($.eventName = \"StopLogging\" || ($.eventName = StartLogging || $.eventName = DeleteTrail) || $.eventName = UpdateTrail || $.eventName = CreateTrail) }"

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

# CIS 3.4 and one event more.
resource "aws_cloudwatch_log_metric_filter" "iam_policy" {
  name           = "IamPolicy"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = "{ ($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)||($.eventName=GetPolicy) }"

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

# Every event, but no alarm watches its metric: no control relies on it.
resource "aws_cloudwatch_log_metric_filter" "everything" {
  name           = "Everything"
  log_group_name = aws_cloudwatch_log_group.cloudtrail.name
  pattern        = ""

  metric_transformation {
    name      = "Everything"
    namespace = "CISBenchmark"
    value     = "1"
  }
}
