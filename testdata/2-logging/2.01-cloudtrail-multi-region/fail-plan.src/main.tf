resource "aws_cloudtrail" "single" {
  name           = "single"
  s3_bucket_name = "logs"
}

resource "aws_cloudtrail" "multi" {
  name                  = "multi"
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
}
