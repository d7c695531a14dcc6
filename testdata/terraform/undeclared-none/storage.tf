# Declared in another file of the module.
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.names[0]}"
}
