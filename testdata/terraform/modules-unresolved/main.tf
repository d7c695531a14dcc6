# Registry and git modules without .terraform/modules/modules.json: reported once per call
# as not resolved, never as an error; their outputs are unknown.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

module "git" {
  source = "git::https://example.com/modules.git//sg"
}

resource "aws_security_group" "uses_output" {
  name   = "uses-output"
  vpc_id = module.vpc.vpc_id

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [module.git.cidr]
  }
}
