# The rules files are what this case tests; one resource to run them on.
resource "aws_s3_bucket" "data" {
  bucket = "data"
}
