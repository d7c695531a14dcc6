variable "users" {
  type = list(string)
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  users      = var.users
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
