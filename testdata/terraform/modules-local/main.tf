# A local module called three times (for_each), another whose outputs flow back,
# and a call whose input is known only at apply time.
module "web" {
  source   = "./modules/sg"
  for_each = toset(["a", "b", "c"])
  name     = "web-${each.key}"
  port     = each.key == "b" ? 443 : 22
  cidrs    = ["0.0.0.0/0"]
}

module "net" {
  source = "./modules/net"
  cidr   = "0.0.0.0/0"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

module "later" {
  source = "./modules/sg"
  name   = "later"
  port   = 22
  cidrs  = ["${aws_eip.nat.public_ip}/32"]
}

resource "aws_security_group_rule" "from_output" {
  type              = "ingress"
  security_group_id = module.web["a"].id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = [module.net.cidr]
}

resource "aws_flow_log" "vpc" {
  vpc_id               = module.net.vpc_id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::flow-logs"
}
