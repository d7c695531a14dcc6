resource "aws_cloudtrail" "off" {
  name                       = "off"
  s3_bucket_name             = "logs"
  enable_log_file_validation = false
}

resource "aws_cloudtrail" "unset" {
  name           = "unset"
  s3_bucket_name = "logs"
}

locals {
  validate = "false"
}

resource "aws_cloudtrail" "from_local" {
  name                       = "local"
  s3_bucket_name             = "logs"
  enable_log_file_validation = local.validate
}
