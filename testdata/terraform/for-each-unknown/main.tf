# for_each over values known only at apply time: the instances cannot be told apart,
# so what they would admit is undetermined, never a finding.
resource "aws_eip" "office" {
  domain = "vpc"
}

resource "aws_security_group" "main" {
  name = "main"
}

resource "aws_security_group_rule" "ssh" {
  for_each          = toset(["${aws_eip.office.public_ip}/32", "0.0.0.0/0"])
  type              = "ingress"
  security_group_id = aws_security_group.main.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [each.value]
}
