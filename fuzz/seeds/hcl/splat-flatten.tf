locals {
  objs = [for i in range(1000000) : {a = i, b = [i, i]}]
  s = local.objs[*].b
  t = flatten(local.s)
  c = concat(local.t, local.t, local.t)
  k = chunklist(local.c, 1)
}
output "o" {
  value = length(local.k)
}
