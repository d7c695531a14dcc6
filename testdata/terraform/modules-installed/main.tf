# A registry module that `terraform init` installed: loaded from .terraform/modules.
module "sg" {
  source  = "example/sg/aws"
  version = "1.0.0"
  port    = 22
}
