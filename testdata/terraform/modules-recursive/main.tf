# A module that calls itself: Terraform never finishes loading it; cislint stops with an error.
variable "depth" {
  type    = number
  default = 0
}

module "again" {
  source = "./"
  depth  = var.depth + 1
}
