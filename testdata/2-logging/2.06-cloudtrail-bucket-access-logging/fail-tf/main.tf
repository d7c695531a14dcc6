# The trail names its bucket literally; the bucket logs no access. The second trail
# writes to a bucket outside this code, which is not judged.
resource "aws_s3_bucket" "trail" {
  bucket = "example-trail-logs"
}

# Logging for another bucket.
resource "aws_s3_bucket_logging" "other" {
  bucket        = "example-other-bucket"
  target_bucket = "example-access-logs"
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "example-trail-logs"
}

resource "aws_cloudtrail" "elsewhere" {
  name           = "elsewhere"
  s3_bucket_name = "central-audit-logs"
}
