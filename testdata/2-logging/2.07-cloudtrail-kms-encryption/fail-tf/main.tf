resource "aws_cloudtrail" "plain" {
  name           = "plain"
  s3_bucket_name = "logs"
  kms_key_id     = ""
}
