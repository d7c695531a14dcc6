resource "aws_cur_report_definition" "billing" {
  report_name                = "billing"
  time_unit                  = "DAILY"
  format                     = "textORcsv"
  compression                = "GZIP"
  additional_schema_elements = ["RESOURCES"]
  s3_bucket                  = "example-billing-reports"
  s3_region                  = "us-east-1"
}
