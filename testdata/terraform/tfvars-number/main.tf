# The port comes from terraform.tfvars (a string, converted by the type constraint),
# the CIDR list from the variable's default.
variable "ssh_port" {
  type = number
}

variable "cidrs" {
  type    = list(string)
  default = ["10.0.0.0/8", "0.0.0.0/0"]
}

resource "aws_security_group" "web" {
  name = "web"

  ingress {
    from_port   = var.ssh_port
    to_port     = var.ssh_port
    protocol    = "tcp"
    cidr_blocks = var.cidrs
  }
}
