data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "example-state"
    key    = "network.tfstate"
    region = "us-east-1"
  }
}

resource "aws_flow_log" "vpc" {
  vpc_id               = data.terraform_remote_state.network.outputs.vpc_id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::example-flow-logs"
}
