locals {
  l = [for a in range(3000) : [for b in range(3000) : "${a}-${b}"]]
  r = [for a in range(2000) : range(2000)]
}
output "o" {
  value = [local.l, local.r]
}
