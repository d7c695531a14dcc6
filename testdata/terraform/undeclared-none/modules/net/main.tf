variable "cidr" {}

variable "name" {
  default = "net"
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}

resource "aws_flow_log" "this" {
  vpc_id          = aws_vpc.this.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

output "vpc_id" {
  value = aws_vpc.this.id
}
