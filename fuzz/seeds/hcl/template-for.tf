locals {
  big = format("%9999s", "x")
  t = "%{for i in range(1000000)}${local.big}%{endfor}"
  h = <<EOT
%{for i in range(100000)}${i}%{if i % 2 == 0}${local.big}%{endif}%{endfor}
EOT
}
output "o" {
  value = [local.t, local.h]
}
