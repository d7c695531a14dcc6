variable "console" {
  type = bool
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

# The console password exists only if the variable says so.
resource "aws_iam_user_login_profile" "alice" {
  count = var.console ? 1 : 0
  user  = aws_iam_user.alice.name
}

resource "aws_iam_access_key" "alice" {
  user = aws_iam_user.alice.name
}
