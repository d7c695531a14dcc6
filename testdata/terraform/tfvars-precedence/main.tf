# Each later source overrides the earlier: default, terraform.tfvars,
# terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order.
variable "port" {
  type    = number
  default = 80
}

variable "open_cidr" {
  type    = string
  default = "10.0.0.0/8"
}

resource "aws_security_group" "admin" {
  name = "admin"

  ingress {
    from_port   = var.port
    to_port     = var.port
    protocol    = "tcp"
    cidr_blocks = [var.open_cidr]
  }
}
