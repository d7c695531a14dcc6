resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Adopted without rules: Terraform removes them all.
resource "aws_default_security_group" "main" {
  vpc_id = aws_vpc.main.id
  tags = {
    Name = "DO NOT USE. DO NOT ADD RULES"
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ["10.0.0.0/8"]
}

# The default group as a source of another group's rule is not a rule of the default group.
resource "aws_security_group_rule" "from_default" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  source_security_group_id = aws_default_security_group.main.id
  from_port                = 443
  to_port                  = 443
  protocol                 = "tcp"
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.app.id]
}
