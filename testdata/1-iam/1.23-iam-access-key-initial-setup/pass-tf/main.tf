# A service user without a console password may have a key.
resource "aws_iam_user" "ci" {
  name = "ci"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

# A console user without a key.
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

# A key for a user defined elsewhere.
resource "aws_iam_access_key" "external" {
  user = "someone-else"
}
