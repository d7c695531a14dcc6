# A JSON filter pattern CloudWatch would reject (a missing closing parenthesis) is an
# input error at the offending character, not a silent pass. Text patterns are fine.
resource "aws_cloudwatch_log_metric_filter" "broken" {
  name           = "CloudTrailChanges"
  log_group_name = "cloudtrail/cis"
  pattern        = "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail }"

  metric_transformation {
    name      = "CloudTrailChanges"
    namespace = "CISBenchmark"
    value     = "1"
  }
}

resource "aws_cloudwatch_log_metric_filter" "application_errors" {
  name           = "ApplicationErrors"
  log_group_name = "app"
  pattern        = "ERROR Exception"

  metric_transformation {
    name      = "ApplicationErrors"
    namespace = "App"
    value     = "1"
  }
}
