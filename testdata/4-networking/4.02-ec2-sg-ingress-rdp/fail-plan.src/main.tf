resource "aws_security_group_rule" "rdp" {
  type              = "ingress"
  security_group_id = "sg-12345678"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}
