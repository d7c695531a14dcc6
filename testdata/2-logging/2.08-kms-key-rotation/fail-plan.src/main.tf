resource "aws_kms_key" "default" {
  description = "rotation defaults to false"
}

resource "aws_kms_key" "rotating" {
  enable_key_rotation = true
}

resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}
