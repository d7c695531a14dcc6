# No default, no tfvars: the port is known only when someone runs plan.
variable "port" {
  type = number
}

resource "aws_security_group" "maybe" {
  name = "maybe"

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
