resource "aws_cloudtrail" "all_regions" {
  name                  = "all"
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
}
