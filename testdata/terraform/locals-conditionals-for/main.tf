# Locals, a conditional, `for` expressions (list and map forms, with `if`), splats and indexing.
variable "environment" {
  type    = string
  default = "prod"
}

variable "rules" {
  type = list(object({
    name  = string
    port  = number
    cidrs = list(string)
    admin = optional(bool, false)
  }))
  default = [
    { name = "https", port = 443, cidrs = ["0.0.0.0/0"] },
    { name = "ssh", port = 22, cidrs = ["0.0.0.0/0"], admin = true },
    { name = "rdp", port = 3389, cidrs = ["10.0.0.0/8"], admin = true },
  ]
}

locals {
  is_prod     = var.environment == "prod"
  admin_rules = [for r in var.rules : r if r.admin]
  by_name     = { for r in var.rules : r.name => r }
  admin_ports = local.admin_rules[*].port
  ssh         = local.by_name["ssh"]
  world       = local.is_prod ? local.ssh.cidrs[0] : "10.0.0.0/8"
}

resource "aws_security_group" "admin" {
  name = "admin-${var.environment}"

  ingress {
    from_port   = local.admin_ports[0]
    to_port     = local.by_name.ssh.port
    protocol    = "tcp"
    cidr_blocks = [local.world]
  }

  ingress {
    from_port   = local.admin_ports[1]
    to_port     = local.admin_ports[1]
    protocol    = "tcp"
    cidr_blocks = local.by_name["rdp"].cidrs
  }
}
