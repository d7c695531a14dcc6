# String templates and heredocs with %{ if } / %{ for } directives and strip markers.
variable "tcp" {
  type    = bool
  default = true
}

variable "octets" {
  type    = list(number)
  default = [0, 0, 0, 0]
}

locals {
  protocol = "%{if var.tcp}tcp%{else}udp%{endif}"
  address  = "%{for i, o in var.octets~}  ${o}%{if i < length(var.octets) - 1}.%{endif}  %{~endfor}"
  cidr     = "${local.address}/0"
  note     = <<-EOT
    SSH from ${local.cidr}
    %{for o in var.octets}[${o}]%{endfor}
      %{if var.tcp}over TCP%{else}over UDP%{endif}
    EOT
}

resource "aws_security_group" "templated" {
  name = "templated"
  tags = {
    note = local.note
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = local.protocol
    cidr_blocks = [local.cidr]
  }
}
