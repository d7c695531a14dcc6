variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  count      = 1
  cidr_block = "10.0.0.0/16"
}

resource "aws_route" "default" {
  route_table_id         = aws_vpc.this[0].main_route_table_id
  destination_cidr_block = var.cidr
  gateway_id             = "igw-12345678"
}

output "cidr" {
  value = aws_route.default.destination_cidr_block
}

output "vpc_id" {
  value = aws_vpc.this[0].id
}
