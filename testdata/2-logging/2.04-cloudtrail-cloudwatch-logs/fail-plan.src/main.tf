resource "aws_cloudtrail" "none" {
  name           = "none"
  s3_bucket_name = "logs"
}
