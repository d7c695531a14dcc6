# The flow log names a VPC that is not declared (a typo): Terraform rejects the
# reference, and it covers no VPC, so `aws_vpc.main` has no flow log.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "typo" {
  vpc_id          = aws_vpc.typo.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

# An undeclared variable is no VPC either.
resource "aws_flow_log" "undeclared_var" {
  vpc_id          = var.vpc_id
  traffic_type    = "REJECT"
  log_destination = "arn:aws:s3:::example-flow-logs"
}

# The undeclared references leave other VPCs alone: this one is covered.
resource "aws_vpc" "other" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_flow_log" "other" {
  vpc_id          = aws_vpc.other.id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}
