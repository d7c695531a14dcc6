resource "aws_iam_policy" "admin_from_file" {
  name   = "admin"
  policy = file("${path.module}/policies/admin.json")
}

resource "aws_iam_policy" "admin_from_template" {
  name   = "templated"
  policy = templatefile("${path.module}/policies/template.json.tpl", { actions = "*" })
}
