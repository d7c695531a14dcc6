# for_each over a map and over a set of strings: instances are addressed by key.
variable "sources" {
  type = map(string)
  default = {
    office = "0.0.0.0/0"
    vpn    = "10.8.0.0/16"
  }
}

resource "aws_security_group" "main" {
  name = "main"
}

resource "aws_security_group_rule" "ssh" {
  for_each          = var.sources
  type              = "ingress"
  security_group_id = aws_security_group.main.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [each.value]
}

resource "aws_security_group_rule" "rdp" {
  for_each          = toset(["0.0.0.0/0", "192.168.0.0/16"])
  type              = "ingress"
  security_group_id = aws_security_group.main.id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = [each.key]
}
