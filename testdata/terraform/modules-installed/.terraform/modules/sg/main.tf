variable "port" {
  type = number
}

resource "aws_security_group" "this" {
  name = "installed"

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
