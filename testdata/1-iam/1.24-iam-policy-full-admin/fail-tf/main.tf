resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

# jsonencode: the finding points at the statement object.
resource "aws_iam_policy" "jsonencode" {
  name = "admin"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = "s3:GetObject"
        Resource = "${aws_s3_bucket.data.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = "*"
        Resource = "*"
      },
    ]
  })
}

# A heredoc with an interpolation: the statement line inside it.
resource "aws_iam_role_policy" "heredoc" {
  role   = "app"
  policy = <<-EOF
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "${aws_s3_bucket.data.arn}"},
        {"Effect": "Allow", "Action": ["*:*"], "Resource": ["*"]}
      ]
    }
  EOF
}

# A one-line JSON string: the whole string.
resource "aws_iam_group_policy" "string" {
  group  = "admins"
  policy = "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}"
}

# A policy document data source: the statement block, naming the policy that uses it.
data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "document" {
  user   = "ci"
  policy = data.aws_iam_policy_document.admin.json
}

# Merged in through source_policy_documents.
data "aws_iam_policy_document" "merged" {
  source_policy_documents = [data.aws_iam_policy_document.admin.json]

  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.data.arn]
  }
}

resource "aws_iam_policy" "merged" {
  policy = data.aws_iam_policy_document.merged.json
}

# An inline policy of a role.
resource "aws_iam_role" "inline" {
  name               = "inline"
  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }] })

  inline_policy {
    name = "everything"
    policy = jsonencode({
      Statement = [{ Effect = "Allow", Action = ["ec2:*", "*"], Resource = ["arn:aws:s3:::x", "*"] }]
    })
  }
}
