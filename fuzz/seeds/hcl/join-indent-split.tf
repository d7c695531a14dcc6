locals {
  s = format("%9999s", "x")
  big = join(local.s, range(1000))
  huge = join(local.big, range(1000000))
  wide = indent(4096, join("\n", range(1000000)))
  chars = split("", local.big)
}
output "o" {
  value = [local.huge, local.wide, local.chars]
}
