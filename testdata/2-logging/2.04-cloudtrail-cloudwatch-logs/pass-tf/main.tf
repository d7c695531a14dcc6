resource "aws_cloudwatch_log_group" "trail" {
  name = "cloudtrail"
}

resource "aws_iam_role" "trail" {
  name               = "cloudtrail-to-cloudwatch"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "cloudtrail.amazonaws.com" } }] })
}

# References to other resources' ARNs: known to be set, though their values are not.
resource "aws_cloudtrail" "integrated" {
  name                       = "integrated"
  s3_bucket_name             = "logs"
  cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn  = aws_iam_role.trail.arn
}
