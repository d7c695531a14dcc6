# A report definition that delivers to no bucket: a finding in every scope.
resource "aws_cur_report_definition" "nowhere" {
  report_name = "billing"
  time_unit   = "DAILY"
  format      = "textORcsv"
  compression = "GZIP"
  s3_bucket   = ""
  s3_region   = "us-east-1"
}
