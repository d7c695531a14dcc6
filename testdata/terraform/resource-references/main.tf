# A configured attribute of another resource is known at plan time; a computed one is not.
resource "aws_vpc" "open" {
  cidr_block = "0.0.0.0/0"
}

resource "aws_security_group" "base" {
  name = "base"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.open.cidr_block]
  }
}

resource "aws_security_group_rule" "copy" {
  type              = "ingress"
  security_group_id = aws_security_group.base.id
  from_port         = aws_security_group.base.ingress[0].from_port
  to_port           = one(aws_security_group.base.ingress).to_port
  protocol          = "tcp"
  cidr_blocks       = [aws_vpc.open.cidr_block]
}

resource "aws_security_group_rule" "computed" {
  type              = "ingress"
  security_group_id = aws_security_group.base.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [aws_vpc.open.default_network_acl_id]
}
