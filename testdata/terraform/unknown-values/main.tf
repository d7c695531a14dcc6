# Values known only at apply time are never reported, only undetermined.
data "aws_vpc" "main" {
  default = true
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_security_group" "unknown" {
  name = "unknown-${uuid()}"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.main.cidr_block]
  }

  ingress {
    from_port   = 3389
    to_port     = 3389
    protocol    = "tcp"
    cidr_blocks = ["${aws_eip.nat.public_ip}/32"]
  }

  ingress {
    from_port   = length(timestamp()) > 0 ? 22 : 0
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
