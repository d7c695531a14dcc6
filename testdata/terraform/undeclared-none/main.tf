# Names that are declared, or that Terraform binds without a declaration: no
# undeclared-reference warning anywhere, and the flow log covers the VPC.
variable "names" {
  type    = list(string)
  default = ["a"]
}

variable "rules" {
  default = [{ port = 443 }]
}

locals {
  tags    = { for k, v in { a = 1 } : k => v }
  doubled = [for n in var.names : "${n}-${path.module}-${path.root}-${terraform.workspace}"]
  arn     = provider::aws::arn_parse("arn:aws:iam::123456789012:root")
  rendered = templatefile("${path.module}/policy.tpl", { name = "x" })
}

resource "aws_vpc" "main" {
  count      = 1
  cidr_block = "10.${count.index}.0.0/16"
  tags       = local.tags
}

resource "aws_flow_log" "main" {
  for_each        = toset(var.names)
  vpc_id          = aws_vpc.main[0].id
  traffic_type    = "ALL"
  log_destination = aws_s3_bucket.logs.arn
  tags            = { key = each.key, value = each.value, first = local.doubled[0] }
}

resource "aws_security_group" "sg" {
  vpc_id = aws_vpc.main[0].id
  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
  dynamic "egress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
  provisioner "local-exec" {
    command = "echo ${self.id}"
  }
  lifecycle {
    ignore_changes = [tags]
  }
}

data "terraform_remote_state" "net" {
  backend = "local"
  config  = { path = "net.tfstate" }
}

ephemeral "aws_secretsmanager_secret_version" "db" {
  secret_id = "db"
}

resource "aws_secretsmanager_secret_version" "copy" {
  secret_id                = "copy"
  secret_string_wo         = ephemeral.aws_secretsmanager_secret_version.db.secret_string
  secret_string_wo_version = 1
}

resource "aws_instance" "app" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = data.terraform_remote_state.net.outputs.subnet_id
  tags = {
    json   = aws_s3_bucket.from_json.id
    net    = module.net[0].vpc_id
    each   = module.each["a"].vpc_id
    policy = local.rendered
    arn    = local.arn.account_id
  }
}

module "net" {
  count  = 1
  source = "./modules/net"
  cidr   = "10.${count.index}.0.0/16"
}

module "each" {
  for_each = toset(var.names)
  source   = "./modules/net"
  cidr     = "10.9.0.0/16"
  name     = each.key
}

moved {
  from = aws_instance.old
  to   = aws_instance.app
}

import {
  to = aws_s3_bucket.logs
  id = "logs"
}

removed {
  from = aws_instance.gone
}

check "account" {
  data "aws_caller_identity" "scoped" {}
  assert {
    condition     = data.aws_caller_identity.scoped.account_id != ""
    error_message = "no account"
  }
}

output "ports" {
  value = [for s in aws_security_group.sg.ingress : s.from_port]
}
