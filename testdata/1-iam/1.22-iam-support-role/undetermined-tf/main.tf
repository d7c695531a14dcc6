variable "policy_arn" {
  type = string
}

resource "aws_iam_role" "support" {
  name               = "aws-support"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::123456789012:root" } }] })
}

# The attached policy is known only at apply time: it may be AWSSupportAccess.
resource "aws_iam_role_policy_attachment" "support" {
  role       = aws_iam_role.support.name
  policy_arn = var.policy_arn
}
