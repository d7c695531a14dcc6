# Built-in functions on known values make the violation visible.
variable "ports" {
  type = map(string)
  default = {
    ssh = "22"
    rdp = "3389"
  }
}

locals {
  networks = {
    office = cidrsubnet("10.0.0.0/8", 8, 1)
    world  = cidrsubnet("0.0.0.0/0", 0, 0)
  }
  merged    = merge(local.networks, { vpn = cidrhost("192.168.0.0/24", 1) })
  all       = flatten([values(local.merged), [["172.16.0.0/12"]]])
  open      = [for c in compact(distinct(local.all)) : c if startswith(c, "0.")]
  ssh_port  = tonumber(lookup(var.ports, "ssh", "0"))
  fallback  = try(var.ports.missing, coalesce("", format("%d", 3389)))
  decoded   = jsondecode(jsonencode({ port = local.ssh_port, cidrs = local.open }))
  split     = element(split(",", join(",", concat(["a"], ["0.0.0.0/0"]))), 1)
}

resource "aws_security_group" "fn" {
  name = lower(upper(replace("FN-x", "-x", "")))

  ingress {
    from_port   = local.decoded.port
    to_port     = max(local.ssh_port, 22)
    protocol    = "tcp"
    cidr_blocks = local.decoded.cidrs
  }

  ingress {
    from_port   = tonumber(local.fallback)
    to_port     = min(3389, 4000)
    protocol    = "tcp"
    cidr_blocks = [local.split]
  }
}
