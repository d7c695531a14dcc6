variable "spec" {
  type = string
}

# Whether rotation applies depends on a spec known only at apply time.
resource "aws_kms_key" "maybe" {
  customer_master_key_spec = var.spec
}
