resource "aws_iam_group" "devs" {
  name = "devs"
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}

resource "aws_iam_group_policy_attachment" "devs" {
  group      = aws_iam_group.devs.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_role_policy_attachment" "app" {
  role       = "app"
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  users      = []
  groups     = [aws_iam_group.devs.name]
  roles      = ["app"]
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_user_group_membership" "alice" {
  user   = "alice"
  groups = [aws_iam_group.devs.name]
}
