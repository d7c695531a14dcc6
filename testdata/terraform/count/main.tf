# count expands into instances [0], [1], [2]; count = 0 removes; an unknown count
# makes the resource's existence unknown.
variable "web_count" {
  type    = number
  default = 3
}

variable "enabled" {
  type    = bool
  default = false
}

variable "replicas" {
  type = number
}

resource "aws_security_group" "web" {
  count = var.web_count
  name  = "web-${count.index}"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [count.index == 1 ? "10.0.0.0/8" : "0.0.0.0/0"]
  }
}

resource "aws_security_group" "disabled" {
  count = var.enabled ? 1 : 0
  name  = "disabled"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "scaled" {
  count = var.replicas
  name  = "scaled"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
