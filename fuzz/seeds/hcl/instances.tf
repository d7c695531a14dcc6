resource "aws_s3_bucket" "b" {
  count = 10000
  dynamic "tag" {
    for_each = range(100000)
    content {
      key = tag.value
    }
  }
}
