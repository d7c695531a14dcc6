# dynamic blocks over a variable list, with `iterator`, and over an unknown collection.
variable "rules" {
  type = list(object({
    port  = number
    cidrs = list(string)
  }))
}

variable "extra" {
  type = list(object({ port = number }))
}

resource "aws_security_group" "dyn" {
  name = "dyn"

  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidrs
    }
  }
}

resource "aws_security_group" "unknown" {
  name = "unknown"

  dynamic "ingress" {
    for_each = var.extra
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
