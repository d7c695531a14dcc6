locals {
  m = {for i in range(1000000) : tostring(i) => i}
  g = {for i in range(100000) : tostring(i % 7) => i...}
}
output "o" {
  value = [local.m, local.g]
}
