# Every setting written, every one weaker than CIS asks.
resource "aws_iam_account_password_policy" "weak" {
  minimum_password_length      = 8
  require_uppercase_characters = false
  require_lowercase_characters = false
  require_symbols              = false
  require_numbers              = false
  password_reuse_prevention    = 5
  max_password_age             = 180
}
