locals {
  big = format("%9999s", "x")
  b = join("", [for i in range(600) : local.big])
  j = jsonencode([local.b, local.b, local.b])
  l = [for i in range(100000) : local.b]
}
output "o" {
  value = [local.j, length(local.l)]
}
