variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  count      = 1
  cidr_block = var.cidr
}

output "cidr" {
  value = aws_vpc.this[0].cidr_block
}

output "vpc_id" {
  value = aws_vpc.this[0].id
}
