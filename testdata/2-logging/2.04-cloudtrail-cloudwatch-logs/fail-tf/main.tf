resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail"
}

resource "aws_cloudtrail" "none" {
  name           = "none"
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "no_role" {
  name                       = "no-role"
  s3_bucket_name             = "logs"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
}
