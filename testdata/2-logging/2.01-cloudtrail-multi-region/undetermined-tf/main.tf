variable "multi_region" {
  type = bool
}

# Unknown until apply: never a finding, never a pass.
resource "aws_cloudtrail" "from_variable" {
  name                  = "var"
  s3_bucket_name        = "logs"
  is_multi_region_trail = var.multi_region
}
