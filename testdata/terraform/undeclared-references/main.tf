# One reference to each kind of undeclared name: each is warned of where it is written,
# reads as unknown (the SSH rule's source is undetermined, never passed nor failed), and
# points at no resource.
module "local" {
  source = "./modules/out"
}

# Not loaded (no .terraform/modules): listed as unresolved, and its outputs are not judged.
module "remote" {
  source = "terraform-aws-modules/vpc/aws"
}

resource "aws_security_group" "sg" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.admin_cidr]
  }
  tags = {
    local  = local.owner
    call   = module.missing.name
    output = module.local.nope
    data   = data.aws_caller_identity.me.account_id
    remote = module.remote.vpc_id
    twice  = "${var.admin_cidr}-${module.local.name}"
  }
}
