variable "port" {
  type    = number
  default = 22
}

resource "aws_security_group" "escaped" {
  name = "escaped"

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
