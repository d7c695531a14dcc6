locals {
  a0 = "xxxxxxxx"
  a1 = replace(local.a0, "x", "xxxxxxxx")
  a2 = replace(local.a1, "x", "xxxxxxxx")
  a3 = join("", [local.a2, local.a2, local.a2, local.a2, local.a2, local.a2, local.a2, local.a2])
  a4 = "${local.a3}${local.a3}${local.a3}${local.a3}${local.a3}${local.a3}${local.a3}${local.a3}"
  a5 = replace(local.a4, "x", "xxxxxxxx")
  a6 = upper(replace(local.a5, "x", "xxxxxxxx"))
  a7 = lower(replace(local.a6, "X", "xxxxxxxx"))
  a8 = format("%s%s%s%s%s%s%s%s", local.a7, local.a7, local.a7, local.a7, local.a7, local.a7, local.a7, local.a7)
  a9 = strrev(replace(local.a8, "x", "xxxxxxxx"))
  a10 = replace(local.a9, "/x/", "$0$0$0$0$0$0$0$0")
  a11 = indent(8, replace(local.a10, "x", "x\n"))
  a12 = replace(local.a11, "x", "xxxxxxxx")
}
output "o" {
  value = local.a12
}
