resource "aws_cloudtrail" "explicit" {
  name                  = "explicit"
  s3_bucket_name        = "logs"
  is_multi_region_trail = false
}

resource "aws_cloudtrail" "defaulted" {
  name           = "defaulted"
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "stopped" {
  name                  = "stopped"
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
  enable_logging        = false
}
