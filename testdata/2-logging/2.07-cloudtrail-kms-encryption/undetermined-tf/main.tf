variable "kms_key_arn" {
  type = string
}

# The key may be null or empty: whether the logs are encrypted is unknown.
resource "aws_cloudtrail" "maybe_encrypted" {
  name           = "maybe"
  s3_bucket_name = "logs"
  kms_key_id     = var.kms_key_arn
}
