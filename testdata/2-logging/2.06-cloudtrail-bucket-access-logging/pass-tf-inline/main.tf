# The deprecated inline `logging` block; the trail names its bucket literally.
resource "aws_s3_bucket" "trail" {
  bucket = "example-trail-logs"

  logging {
    target_bucket = "example-access-logs"
    target_prefix = "trail-bucket/"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "example-trail-logs"
}
