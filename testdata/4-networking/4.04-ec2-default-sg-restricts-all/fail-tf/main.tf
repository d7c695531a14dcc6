resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc" "other" {
  cidr_block = "10.1.0.0/16"
}

# A rule added to the default group through the VPC's attribute.
resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_vpc.other.default_security_group_id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}

resource "aws_vpc_security_group_egress_rule" "all" {
  security_group_id = aws_default_security_group.main.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# A member of the default group.
resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  iam_instance_profile   = "app"
  vpc_security_group_ids = [aws_vpc.other.default_security_group_id]
}
