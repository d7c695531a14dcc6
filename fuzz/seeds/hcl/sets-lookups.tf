locals {
  m = {for i in range(100000) : tostring(i) => i}
  l = [for i in range(100000) : local.m[tostring(i)]]
  d = distinct(range(200000))
  s = toset([for i in range(200000) : tostring(i)])
  u = setunion(local.s, [for i in range(200000) : tostring(i + 1)])
  x = setsubtract(local.s, local.u)
  i = setintersection(local.s, local.u)
  k = matchkeys(range(100000), range(100000), range(100000))
  t = transpose({for i in range(10000) : tostring(i) => [tostring(i % 10)]})
  mm = merge([for i in range(300000) : {(tostring(i)) = i}]...)
}
output "o" {
  value = [local.l, local.d, local.x, local.i, local.k, local.t, local.mm]
}
