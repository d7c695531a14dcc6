# A configured attribute of another resource is known at plan time; a computed one is not.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_route" "default" {
  route_table_id         = aws_vpc.main.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = "igw-12345678"
}

resource "aws_security_group" "base" {
  name   = "base"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [aws_route.default.destination_cidr_block]
  }
}

resource "aws_security_group_rule" "copy" {
  type              = "ingress"
  security_group_id = aws_security_group.base.id
  from_port         = tolist(aws_security_group.base.ingress)[0].from_port
  to_port           = one(aws_security_group.base.ingress).to_port
  protocol          = "tcp"
  cidr_blocks       = [aws_route.default.destination_cidr_block]
}

resource "aws_security_group_rule" "computed" {
  type              = "ingress"
  security_group_id = aws_security_group.base.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["${aws_vpc.main.default_network_acl_id}/32"]
}
