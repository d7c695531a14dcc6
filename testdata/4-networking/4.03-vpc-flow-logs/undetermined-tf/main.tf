variable "vpc_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

# Might be the flow log of aws_vpc.main: undetermined, not failed.
resource "aws_flow_log" "by_variable" {
  vpc_id          = var.vpc_id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}
