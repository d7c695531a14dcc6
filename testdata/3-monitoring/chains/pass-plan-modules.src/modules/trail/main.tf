resource "aws_cloudwatch_log_group" "cloudtrail" {
  count = 1
  name  = "cloudtrail-multi-region"
}

resource "aws_cloudtrail" "global" {
  name                       = "cis"
  s3_bucket_name             = "example-cis-trail-logs"
  is_multi_region_trail      = true
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.cloudtrail[0].arn}:*"
  cloud_watch_logs_role_arn  = "arn:aws:iam::123456789012:role/cloudtrail"

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

output "log_group" {
  value = aws_cloudwatch_log_group.cloudtrail[0].name
}
