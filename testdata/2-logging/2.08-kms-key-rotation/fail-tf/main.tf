resource "aws_kms_key" "default" {
  description = "rotation defaults to false"
}

resource "aws_kms_key" "off" {
  description         = "explicitly off"
  enable_key_rotation = false
}

resource "aws_kms_key" "symmetric" {
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = false
}
