resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_vpc.main.default_security_group_id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}

# No rules: passes.
resource "aws_vpc" "clean" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_default_security_group" "clean" {
  vpc_id = aws_vpc.clean.id
}
