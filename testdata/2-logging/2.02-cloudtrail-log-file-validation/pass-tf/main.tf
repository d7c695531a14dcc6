resource "aws_cloudtrail" "on" {
  name                       = "validated"
  s3_bucket_name             = "logs"
  enable_log_file_validation = true
}
