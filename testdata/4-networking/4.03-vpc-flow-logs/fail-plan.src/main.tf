# Two VPCs made by a module: only one gets a flow log.
module "logged" {
  source = "./modules/net"
  cidr   = "10.0.0.0/16"
}

module "unlogged" {
  source = "./modules/net"
  cidr   = "10.1.0.0/16"
}

resource "aws_flow_log" "logged" {
  vpc_id          = module.logged.vpc_id
  traffic_type    = "ALL"
  log_destination = "arn:aws:s3:::example-flow-logs"
}
