variable "spec" {
  type = string
}

resource "aws_kms_key" "rotating" {
  enable_key_rotation = true
}

# Asymmetric and HMAC keys cannot rotate automatically: not applicable.
resource "aws_kms_key" "signing" {
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "hmac" {
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "aws_kms_key" "custom_store" {
  custom_key_store_id = "cks-1234567890abcdef0"
}

resource "aws_kms_external_key" "imported" {
  description = "imported material"
}
