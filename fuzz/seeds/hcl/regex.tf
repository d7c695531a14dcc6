locals {
  l = [for i in range(1000) : can(regex("(\\w{20}){${i % 300 + 1}}x", "aaaa"))]
  r = replace(format("%99999s", "x"), "/ /", "$0$0$0$0$0$0$0$0$0$0")
  a = regexall("", format("%99999s", "x"))
}
output "o" {
  value = [local.l, local.r, local.a]
}
