variable "rdp_cidr" {
  type = string
}

resource "aws_security_group" "rdp" {
  name = "rdp"

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = [var.rdp_cidr]
  }
}
