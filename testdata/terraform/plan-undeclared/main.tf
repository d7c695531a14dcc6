# A plan scanned with its configuration: Terraform made the plan, so the configuration is
# not checked for undeclared references (`var.nope` here, which a real plan would not have).
resource "aws_vpc" "main" {
  cidr_block = var.nope
}
