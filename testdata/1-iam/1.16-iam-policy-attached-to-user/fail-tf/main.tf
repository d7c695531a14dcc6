resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_policy" "read" {
  name   = "read"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}

resource "aws_iam_user_policy" "inline" {
  name   = "inline"
  user   = aws_iam_user.alice.name
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }] })
}

resource "aws_iam_user_policy_attachment" "managed" {
  user       = aws_iam_user.alice.name
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_policy_attachment" "shared" {
  name       = "shared"
  users      = [aws_iam_user.alice.name, "bob"]
  groups     = ["devs"]
  policy_arn = aws_iam_policy.read.arn
}

resource "aws_iam_user_policy_attachments_exclusive" "exclusive" {
  user_name   = "carol"
  policy_arns = [aws_iam_policy.read.arn]
}
