variable "validate" {
  type = bool
}

resource "aws_cloudtrail" "unknown" {
  name                       = "unknown"
  s3_bucket_name             = "logs"
  enable_log_file_validation = var.validate
}
