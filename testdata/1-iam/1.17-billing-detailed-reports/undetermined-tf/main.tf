variable "bucket" {
  type = string
}

# The bucket may be null or empty: whether the report is delivered is unknown.
resource "aws_cur_report_definition" "billing" {
  report_name = "billing"
  time_unit   = "DAILY"
  format      = "textORcsv"
  compression = "GZIP"
  s3_bucket   = var.bucket
  s3_region   = "us-east-1"
}
