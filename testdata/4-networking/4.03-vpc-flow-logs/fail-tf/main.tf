resource "aws_vpc" "none" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "accept_only" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_flow_log" "accept_only" {
  vpc_id          = aws_vpc.accept_only.id
  traffic_type    = "ACCEPT"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

# A flow log on a subnet is not a VPC flow log.
resource "aws_vpc" "subnet_only" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.subnet_only.id
  cidr_block = "10.2.0.0/24"
}

resource "aws_flow_log" "subnet" {
  subnet_id       = aws_subnet.a.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

resource "aws_default_vpc" "default" {}
