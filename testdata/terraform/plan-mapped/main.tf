# A plan scanned with its configuration: findings point at this file, values come from
# the plan (after_unknown for what apply decides), and the directory is not evaluated twice.
variable "admin_port" {
  type    = number
  default = 22
}

variable "rules" {
  type = list(object({ port = number, cidr = string }))
  default = [
    { port = 443, cidr = "0.0.0.0/0" },
    { port = 3389, cidr = "0.0.0.0/0" },
  ]
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_security_group" "mapped" {
  count = 2
  name  = "mapped-${count.index}"

  ingress {
    from_port   = var.admin_port
    to_port     = var.admin_port
    protocol    = "tcp"
    cidr_blocks = count.index == 0 ? ["0.0.0.0/0"] : ["${aws_eip.nat.public_ip}/32"]
  }

  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }
}
