locals {
  y = yamldecode("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
  l = [for i in range(1000) : local.y]
  j = jsondecode(jsonencode([for i in range(100000) : [i, i, i]]))
}
output "o" {
  value = [local.l, local.j]
}
