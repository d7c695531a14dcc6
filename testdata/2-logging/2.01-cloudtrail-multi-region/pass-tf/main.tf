variable "multi_region" {
  type = bool
}

resource "aws_cloudtrail" "all_regions" {
  name                  = "all"
  s3_bucket_name        = "logs"
  is_multi_region_trail = true
}

# Unknown until apply: never a finding.
resource "aws_cloudtrail" "from_variable" {
  name                  = "var"
  s3_bucket_name        = "logs"
  is_multi_region_trail = var.multi_region
}
