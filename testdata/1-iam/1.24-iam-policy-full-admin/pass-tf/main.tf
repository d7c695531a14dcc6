data "aws_iam_policy_document" "narrow" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
  }
  statement {
    not_actions = ["iam:*"]
    resources   = ["*"]
  }
  statement {
    actions   = ["*"]
    resources = ["arn:aws:s3:::example/*"]
  }
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "narrow" {
  policy = data.aws_iam_policy_document.narrow.json
}

# An admin statement replaced by sid through override_policy_documents.
data "aws_iam_policy_document" "admin" {
  statement {
    sid       = "All"
    actions   = ["*"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "restricted" {
  statement {
    sid       = "All"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
}

data "aws_iam_policy_document" "overridden" {
  source_policy_documents   = [data.aws_iam_policy_document.admin.json]
  override_policy_documents = [data.aws_iam_policy_document.restricted.json]
}

resource "aws_iam_role_policy" "overridden" {
  role   = "app"
  policy = data.aws_iam_policy_document.overridden.json
}

# Not identity policies: a trust policy and a bucket policy.
resource "aws_iam_role" "trust" {
  assume_role_policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*", Principal = { AWS = "*" } }]
  })
}

resource "aws_s3_bucket_policy" "bucket" {
  bucket = "example"
  policy = data.aws_iam_policy_document.admin.json
}

resource "aws_iam_policy" "notaction" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", NotAction = "*", Resource = "*" }]
  })
}
