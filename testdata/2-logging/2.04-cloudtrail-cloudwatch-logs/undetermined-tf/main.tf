variable "role_arn" {
  type = string
}

resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail"
}

# A variable may still be null or empty: whether the role is set is unknown.
resource "aws_cloudtrail" "integrated" {
  name                       = "integrated"
  s3_bucket_name             = "logs"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = var.role_arn
}
