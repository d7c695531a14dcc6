variable "rules" {
  type = list(object({ port = number }))
}

resource "aws_default_security_group" "main" {
  vpc_id = "vpc-12345678"

  dynamic "ingress" {
    for_each = var.rules
    content {
      protocol    = "tcp"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
