resource "aws_security_group" "inline" {
  name = "inline"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    from_port        = 0
    to_port          = 1024
    protocol         = "6"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_security_group_rule" "all_traffic" {
  type              = "ingress"
  security_group_id = aws_security_group.inline.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "range" {
  security_group_id = aws_security_group.inline.id
  ip_protocol       = "tcp"
  from_port         = 20
  to_port           = 25
  cidr_ipv4         = "0.0.0.0/0"
}
