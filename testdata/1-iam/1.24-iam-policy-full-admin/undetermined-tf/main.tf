variable "policy" {
  type = string
}

variable "effect" {
  type = string
}

variable "custom_policy" {
  type = string
}

resource "aws_iam_policy" "input" {
  policy = var.policy
}

resource "aws_iam_policy" "effect" {
  policy = jsonencode({
    Statement = [{ Effect = var.effect, Action = "*", Resource = "*" }]
  })
}

data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

# The document is only one branch: the custom policy may be used instead.
resource "aws_iam_policy" "choice" {
  policy = var.custom_policy != "" ? var.custom_policy : data.aws_iam_policy_document.admin.json
}
